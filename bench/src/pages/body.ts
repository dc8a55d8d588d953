/**
 * The one page every server answers on {@link PAGE_PATH}: a ~2 KB JSON catalogue page. Every
 * server returns exactly {@link PAGE_JSON}; the bench checks this before measuring.
 */
export const PAGE_PATH = '/catalogue';

export interface CataloguePage {
  page: number;
  total: number;
  items: Array<{ id: number; sku: string; name: string; price: number; currency: string; tags: string[]; inStock: boolean }>;
}

/** The page as a handler builds it. */
export const PAGE: CataloguePage = {
  page: 1,
  total: 240,
  items: Array.from({ length: 14 }, (_, id) => ({
    id,
    sku: `SKU-${String(id).padStart(6, '0')}`,
    name: `Product ${id} of the bench catalogue`,
    price: Math.round((9.99 + id * 3.5) * 100) / 100,
    currency: 'EUR',
    tags: ['bench', `group-${id % 4}`],
    inStock: id % 3 !== 0,
  })),
};

/** What every server sends, byte for byte. */
export const PAGE_JSON = JSON.stringify(PAGE);

/** The static floor's body, built once. */
export const PAGE_BUFFER = Buffer.from(PAGE_JSON);
