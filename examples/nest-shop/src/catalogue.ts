import { Injectable } from '@nestjs/common';

/** A product of the shop. */
export interface Product {
  id: string;
  name: string;
  price: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shop's "database": a few products behind a delay, so that caching shows in timings. */
@Injectable()
export class Catalogue {
  readonly #products = new Map<string, Product>([
    ['1', { id: '1', name: 'Desk lamp', price: 39 }],
    ['2', { id: '2', name: 'Reading chair', price: 249 }],
  ]);
  /** How many times the database was read. */
  reads = 0;

  async find(id: string): Promise<Product | undefined> {
    this.reads++;
    await sleep(30);
    const product = this.#products.get(id);
    return product && { ...product };
  }

  async update(id: string, price: number): Promise<Product | undefined> {
    const product = this.#products.get(id);
    if (!product) return undefined;
    product.price = price;
    return { ...product };
  }
}
