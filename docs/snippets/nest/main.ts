import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule);
app.enableShutdownHooks(); // closes the cache's connections on SIGTERM
await app.listen(3000, '127.0.0.1');
console.log('try: curl -i http://127.0.0.1:3000/products/1');
