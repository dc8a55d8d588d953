import type { CacheOptions } from '@cachette/core';
import { CachetteModule } from '@cachette/nest';
import { type DynamicModule, Module } from '@nestjs/common';
import { Catalogue } from './catalogue.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Module({})
export class AppModule {}

/** The shop, on the cache options given (see `shopCacheOptions`). */
export function shopModule(cacheOptions: CacheOptions): DynamicModule {
  return {
    module: AppModule,
    imports: [CachetteModule.forRoot(cacheOptions)],
    controllers: [ProductsController],
    providers: [Catalogue, ProductsService],
  };
}
