import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { shopModule } from './app.module.js';
import { shopCacheOptions } from './cache.js';

const app = await NestFactory.create(shopModule(await shopCacheOptions()));
app.enableShutdownHooks();
const port = Number(process.env.PORT ?? 3000);
await app.listen(port, '127.0.0.1');
console.log(`nest-shop on http://127.0.0.1:${port} (${process.env.REDIS_URL ? 'memory + Redis' : 'memory + SQLite'})`);
