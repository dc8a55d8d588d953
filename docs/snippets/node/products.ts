import 'reflect-metadata';
import { createCache } from '@cachette/core';
import { Cacheable, CacheEvict, setDefaultCache } from '@cachette/decorators';

export const cache = createCache({ namespace: 'shop' });
setDefaultCache(cache); // the cache every decorated method uses, unless it names its own

export interface Product {
  id: string;
  name: string;
  loadedAt: string;
}

export class Products {
  loads = 0;

  // one load per id every 10 minutes, however many callers ask
  @Cacheable({ key: (id: string) => `product:${id}`, ttl: '10m', tags: (id: string) => [`product:${id}`] })
  async find(id: string): Promise<Product> {
    this.loads += 1;
    return { id, name: `Product ${id}`, loadedAt: new Date().toISOString() };
  }

  // once it succeeds, drops everything tagged product:<id>
  @CacheEvict({ tags: (id: string) => [`product:${id}`] })
  async rename(id: string, name: string): Promise<void> {
    console.log(`renamed ${id} to ${name}`);
  }
}
