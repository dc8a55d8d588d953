import { Cacheable, CacheEvict } from '@cachette/nest';
import { Inject, Injectable } from '@nestjs/common';
import { Catalogue, type Product } from './catalogue.js';

/** Products, cached by id; an update drops the product and every page tagged with it. */
@Injectable()
export class ProductsService {
  constructor(@Inject(Catalogue) private readonly catalogue: Catalogue) {}

  @Cacheable({ key: (id: string) => `product:${id}`, ttl: '5m', tags: (id: string) => [`product:${id}`] })
  async find(id: string): Promise<Product | undefined> {
    return this.catalogue.find(id);
  }

  @CacheEvict({ tags: (id: string) => [`product:${id}`] })
  async updatePrice(id: string, price: number): Promise<Product | undefined> {
    return this.catalogue.update(id, price);
  }
}
