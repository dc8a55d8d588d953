import { type Cache, type Duration, InvalidOptionError, type PageCacheOptions } from '@cachette/core';
import { NO_ALLOWED_HOSTS_WARNING } from '@cachette/core/pages';
import type { Directives } from './harness.js';
import type { Runner } from './page-conformance.js';

/** The middleware factories every adapter exports, whatever its middleware type. */
export interface AdapterFactories {
  cachePage(ttl: Duration, options?: PageCacheOptions): unknown;
  cachette(options: PageCacheOptions & { cache: Cache; ttl?: Duration }): unknown;
  cacheControl(directives: Directives): unknown;
  varyOnHeaders(...names: string[]): unknown;
  varyOnCookies(...names: string[]): unknown;
  NEVER_CACHE: string;
}

/** Configuration mistakes throw when an adapter's middleware is made, never in a request. */
export function optionsConformance(adapterName: string, adapter: AdapterFactories, { describe, it, expect }: Runner): void {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      return (error as InvalidOptionError).code;
    }
    throw new Error('did not throw');
  };

  describe(`configuration mistakes throw when the middleware is made: ${adapterName}`, () => {
    it('cachePage and cachette check their options through the core', () => {
      expect(code(() => adapter.cachePage('soon'))).toBe('E_INVALID_DURATION');
      expect(code(() => adapter.cachePage('1m', { statuses: { 500: '1m' } }))).toBe('E_INVALID_OPTION');
      expect(code(() => adapter.cachette({ cache: undefined as never, ttl: -1 }))).toBe('E_INVALID_DURATION');
    });

    it('varyOnHeaders and varyOnCookies need valid names', () => {
      expect(code(() => adapter.varyOnHeaders())).toBe('E_INVALID_OPTION');
      expect(code(() => adapter.varyOnHeaders('Accept Language'))).toBe('E_INVALID_OPTION');
      expect(code(() => adapter.varyOnHeaders('*'))).toBe('E_INVALID_OPTION');
      expect(code(() => adapter.varyOnCookies('a;b'))).toBe('E_INVALID_OPTION');
      expect(() => adapter.varyOnHeaders('Accept-Language', 'X-Device')).not.toThrow();
    });

    it('cacheControl checks directives', () => {
      expect(code(() => adapter.cacheControl({ maxAge: 'soon' }))).toBe('E_INVALID_DURATION');
      expect(code(() => adapter.cacheControl({ bogus: true } as never))).toBe('E_INVALID_OPTION');
      expect(code(() => adapter.cacheControl({ public: 'yes' } as never))).toBe('E_INVALID_OPTION');
      expect(() => adapter.cacheControl({ public: true, maxAge: '5m' })).not.toThrow();
    });

    it('re-exports the core’s never_cache value', () => {
      expect(adapter.NEVER_CACHE).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    });

    it('without hosts, production says once, with a code, which option keeps junk Hosts out (issue 8 item 13)', async () => {
      const warnings: Error[] = [];
      const listen = (warning: Error) => warnings.push(warning);
      const env = process.env.NODE_ENV;
      process.on('warning', listen);
      try {
        adapter.cachePage('1m', { hosts: ['.example.com'] });
        process.env.NODE_ENV = 'production';
        adapter.cachePage('1m', { hosts: ['.example.com'] });
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((w) => (w as { code?: string }).code === NO_ALLOWED_HOSTS_WARNING)).toHaveLength(0);
        adapter.cachePage('1m');
        adapter.cachePage('2m');
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.env.NODE_ENV = env;
        process.off('warning', listen);
      }
      const ours = warnings.filter((w) => (w as { code?: string }).code === NO_ALLOWED_HOSTS_WARNING);
      expect(ours).toHaveLength(1);
      expect(ours[0]?.message).toContain('hosts');
    });

    it('never keeps or changes the caller’s options object', () => {
      const options = Object.freeze({ statuses: Object.freeze({ 200: '1m' }) });
      expect(() => adapter.cachePage('1m', options)).not.toThrow();
    });
  });
}
