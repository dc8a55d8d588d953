/**
 * The pages every server answers: `/catalogue/<n>` for n in 0…pages-1, all with the same JSON
 * body of about `BENCH_PAGES_BODY_BYTES` bytes (default 2,048). Every server returns exactly
 * {@link PAGE_JSON}; the bench checks this before measuring. The size is read from the
 * environment so that the bench and each server process build the very same page.
 */
export const PAGE_ROUTE = '/catalogue';

/** The path of page `n`. */
export function pagePath(n: number): string {
  return `${PAGE_ROUTE}/${n}`;
}

export interface CataloguePage {
  page: number;
  total: number;
  items: Array<{ id: number; sku: string; name: string; price: number; currency: string; tags: string[]; inStock: boolean }>;
}

/** The body size asked for, in bytes (the page comes out a little above it). */
export const BODY_BYTES = Number(process.env.BENCH_PAGES_BODY_BYTES ?? 2048);

function item(id: number): CataloguePage['items'][number] {
  return {
    id,
    sku: `SKU-${String(id).padStart(6, '0')}`,
    name: `Product ${id} of the bench catalogue`,
    price: Math.round((9.99 + id * 3.5) * 100) / 100,
    currency: 'EUR',
    tags: ['bench', `group-${id % 4}`],
    inStock: id % 3 !== 0,
  };
}

/** The page of about `bytes` bytes of JSON. */
export function buildPage(bytes: number): CataloguePage {
  const page: CataloguePage = { page: 1, total: 240, items: [] };
  // ~145 bytes an item: grow until the JSON reaches the size asked for
  while (JSON.stringify(page).length < bytes) page.items.push(item(page.items.length));
  return page;
}

/** The page as a handler builds it. */
export const PAGE: CataloguePage = buildPage(BODY_BYTES);

/** What every server sends, byte for byte. */
export const PAGE_JSON = JSON.stringify(PAGE);

/** The static floor's body, built once. */
export const PAGE_BUFFER = Buffer.from(PAGE_JSON);

/** What `make` returns for each page, made on its first request and kept. */
function perPage<T>(make: () => T): (n: string) => T {
  const made = new Map<string, T>();
  return (n) => {
    let value = made.get(n);
    if (value === undefined) {
      value = make();
      made.set(n, value);
    }
    return value;
  };
}

/**
 * Page `n`'s own copy of the body: the `static-pages` reference, a prebuilt route whose working set
 * grows with the pages asked for as a cache's does (the floor sends one Buffer, which stays in the
 * CPU's caches however many pages there are).
 */
export const ownPageBuffer = perPage(() => Buffer.from(PAGE_JSON));

/** {@link ownPageBuffer} as text (Nest sends a string): a flat copy of its own, not a slice of {@link PAGE_JSON}. */
export const ownPageText = perPage(() => Buffer.from(PAGE_JSON).toString());

/** The page cache of the cachette servers, sized for the largest run (10,000 pages: 20,000 entries with their Vary lists). */
export const BENCH_CACHE_OPTIONS = { maxEntries: 50_000, maxBytes: '1gb' } as const;
