import { createRequire } from 'node:module';

/** The part of tsyringe's root container that the cache lookup reads. */
export interface RootContainer {
  isRegistered(token: symbol, recursive: boolean): boolean;
  resolve<T>(token: symbol): T;
}

const require = createRequire(import.meta.url);
let path: string | null | undefined;

/**
 * tsyringe's root container when the application has loaded tsyringe, else undefined. It never
 * loads tsyringe (nor `reflect-metadata`, which tsyringe needs first): a registration under
 * `CACHETTE_CACHE` can only exist once the application has loaded it, and then Node's module cache
 * holds it, whether it was imported or required. tsyringe is an optional peer.
 */
export function loadedContainer(): RootContainer | undefined {
  if (path === undefined) {
    try {
      path = require.resolve('tsyringe');
    } catch {
      path = null;
    }
  }
  const module = path === null ? undefined : require.cache[path];
  return module?.loaded ? (module.exports as { container: RootContainer }).container : undefined;
}
