/** A product of the shop. */
export interface Product {
  id: string;
  name: string;
  price: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The shop's "database": a few products behind a deliberate delay, so that what the page
 * cache saves shows in the timings.
 */
export class Catalogue {
  readonly #products = new Map<string, Product>([
    ['1', { id: '1', name: 'Desk lamp', price: 39 }],
    ['2', { id: '2', name: 'Reading chair', price: 249 }],
    ['3', { id: '3', name: 'Bookshelf', price: 129 }],
  ]);
  readonly #latencyMs: number;
  /** How many times the database was read. */
  reads = 0;

  constructor(latencyMs = 40) {
    this.#latencyMs = latencyMs;
  }

  async find(id: string): Promise<Product | undefined> {
    this.reads++;
    await sleep(this.#latencyMs);
    const product = this.#products.get(id);
    return product && { ...product };
  }

  async update(id: string, changes: Partial<Omit<Product, 'id'>>): Promise<Product | undefined> {
    await sleep(this.#latencyMs);
    const product = this.#products.get(id);
    if (!product) return undefined;
    if (typeof changes.name === 'string') product.name = changes.name;
    if (typeof changes.price === 'number' && Number.isFinite(changes.price)) product.price = changes.price;
    return { ...product };
  }
}
