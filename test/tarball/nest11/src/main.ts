import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type Cache, createCache } from '@cachette/core';
import { CachePage, CachetteModule, InjectCache, VaryOnHeaders } from '@cachette/nest';
import { Controller, Get, Header, Headers, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

let renders = 0;

@Controller()
class GreetingController {
  constructor(@InjectCache() private readonly cache: Cache) {}

  @Get('greeting')
  @CachePage('1m')
  @VaryOnHeaders('Accept-Language')
  @Header('Content-Type', 'text/plain')
  greet(@Headers('accept-language') language: string): string {
    return `hello ${language} #${++renders}`;
  }

  @Get('stats')
  stats() {
    return this.cache.stats();
  }
}

@Module({ imports: [CachetteModule.forRoot({ cache: createCache() })], controllers: [GreetingController] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`listening ${(app.getHttpServer().address() as AddressInfo).port}`);
}
void main();
