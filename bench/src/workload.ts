/** A small JSON object, the kind of value a service caches: a product card. */
export interface Product {
  id: number;
  sku: string;
  name: string;
  price: number;
  tags: string[];
  inStock: boolean;
}

/** One key and the value stored under it. */
export interface Item {
  key: string;
  value: Product;
}

/** How many distinct keys every scenario reads. */
export const KEY_COUNT = 1_000;

/** The same keys and values for every library: `product:0` … `product:999`. */
export function makeItems(count = KEY_COUNT): Item[] {
  return Array.from({ length: count }, (_, id) => ({
    key: `product:${id}`,
    value: {
      id,
      sku: `SKU-${String(id).padStart(6, '0')}`,
      name: `Product ${id}`,
      price: 9.99 + id,
      tags: ['bench', `group-${id % 10}`],
      inStock: id % 3 !== 0,
    },
  }));
}

/** A loader that counts its calls; `delayMs > 0` makes it wait like a database would. */
export function countingLoader(value: Product, delayMs = 0): { calls: () => number; load: () => Promise<Product> } {
  let calls = 0;
  const load = async (): Promise<Product> => {
    calls++;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return value;
  };
  return { calls: () => calls, load };
}

/** A random order of `count` indexes below `keys`, the same for every library. */
export function randomOrder(keys: number, count: number): Uint32Array {
  let seed = 0x9e3779b9;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    out[i] = (seed >>> 0) % keys;
  }
  return out;
}
