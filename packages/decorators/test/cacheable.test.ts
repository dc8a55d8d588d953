import 'reflect-metadata';
import { createCache, manualClock } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable } from '../src/index.js';
import { deferred, tick } from './support.js';

describe('@Cacheable on async methods', () => {
  it('runs the method on a miss and answers hits from the cache', async () => {
    const cache = createCache();
    class UserService {
      calls = 0;
      @Cacheable({ cache, key: (id: number) => `user:${id}` })
      async load(id: number) {
        this.calls++;
        return { id, name: `user ${id}` };
      }
    }
    const service = new UserService();
    expect(await service.load(1)).toEqual({ id: 1, name: 'user 1' });
    expect(await service.load(1)).toEqual({ id: 1, name: 'user 1' });
    expect(await service.load(2)).toEqual({ id: 2, name: 'user 2' });
    expect(service.calls).toBe(2);
    expect(await cache.get('user:1')).toEqual({ id: 1, name: 'user 1' });
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, loads: 2 });
  });

  it('keys calls by class, method and the JSON of the arguments by default', async () => {
    const cache = createCache();
    class Catalog {
      calls = 0;
      @Cacheable({ cache })
      async search(term: string, page: number) {
        this.calls++;
        return `${term}#${page}`;
      }
    }
    const catalog = new Catalog();
    await catalog.search('red', 1);
    await catalog.search('red', 1);
    await catalog.search('red', 2);
    expect(catalog.calls).toBe(2);
    expect(await cache.get('Catalog.search:["red",1]')).toBe('red#1');
    expect(await cache.get('Catalog.search:["red",2]')).toBe('red#2');
  });

  it('tells apart subclasses in default keys, and asks for a key when JSON cannot encode the arguments', async () => {
    const cache = createCache();
    class Base {
      @Cacheable({ cache })
      async who(_n: unknown) {
        return this.constructor.name;
      }
    }
    class Derived extends Base {}
    expect(await new Base().who(1)).toBe('Base');
    expect(await new Derived().who(1)).toBe('Derived');
    await expect(new Base().who(10n)).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
      message: expect.stringMatching(/give a key function/),
    });
  });

  it('runs the method once for 100 concurrent calls with one key', async () => {
    const cache = createCache();
    const gate = deferred<string>();
    class Slow {
      calls = 0;
      @Cacheable({ cache, key: () => 'slow' })
      async load() {
        this.calls++;
        return gate.promise;
      }
    }
    const slow = new Slow();
    const calls = Array.from({ length: 100 }, () => slow.load());
    await tick();
    gate.resolve('done');
    expect(await Promise.all(calls)).toEqual(Array(100).fill('done'));
    expect(slow.calls).toBe(1);
  });

  it('never caches errors, and every waiting caller gets the same one', async () => {
    const cache = createCache();
    const gate = deferred<string>();
    class Flaky {
      calls = 0;
      @Cacheable({ cache, key: () => 'flaky' })
      async load() {
        this.calls++;
        if (this.calls === 1) return gate.promise;
        return 'second';
      }
    }
    const flaky = new Flaky();
    const waiting = Array.from({ length: 10 }, () => flaky.load());
    const failure = new Error('database down');
    await tick();
    gate.reject(failure);
    const results = await Promise.allSettled(waiting);
    expect(results.every((r) => r.status === 'rejected' && r.reason === failure)).toBe(true);
    expect(flaky.calls).toBe(1);
    expect(await cache.get('flaky')).toBeUndefined();
    expect(await flaky.load()).toBe('second');
    expect(flaky.calls).toBe(2);
  });

  it('keeps `this`, the method name, and returns a promise', async () => {
    const cache = createCache();
    class Prices {
      constructor(readonly rate: number) {}
      @Cacheable({
        cache,
        key(this: Prices, sku: string) {
          return `${this.rate}:${sku}`;
        },
      })
      async price(sku: string) {
        return sku.length * this.rate;
      }
    }
    const prices = new Prices(3);
    const result = prices.price('abc');
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(9);
    expect(await cache.get('3:abc')).toBe(9);
    expect(Prices.prototype.price.name).toBe('price');
  });

  it('keeps the Reflect metadata that decorators applied before it put on the method', async () => {
    const cache = createCache();
    const Route =
      (path: string): MethodDecorator =>
      (_target, _key, descriptor) => {
        Reflect.defineMetadata('route', path, descriptor.value as object);
      };
    class Controller {
      @Cacheable({ cache })
      @Route('/users')
      async list() {
        return [];
      }
    }
    expect(Reflect.getMetadata('route', Controller.prototype.list)).toBe('/users');
  });

  it('skips the cache when condition is false', async () => {
    const cache = createCache();
    class Users {
      calls = 0;
      @Cacheable({ cache, key: (id: number) => `u:${id}`, condition: (id: number) => id > 0 })
      async load(id: number) {
        this.calls++;
        return id;
      }
    }
    const users = new Users();
    await users.load(0);
    await users.load(0);
    await users.load(5);
    await users.load(5);
    expect(users.calls).toBe(3);
    expect(await cache.get('u:0')).toBeUndefined();
  });

  it('expires with its ttl on the cache clock', async () => {
    const clock = manualClock();
    const cache = createCache({ clock, ttl: '1h' });
    class Rates {
      calls = 0;
      @Cacheable({ cache, key: () => 'rates', ttl: '1m' })
      async load() {
        return ++this.calls;
      }
    }
    const rates = new Rates();
    expect(await rates.load()).toBe(1);
    await clock.advance(59_000);
    expect(await rates.load()).toBe(1);
    await clock.advance(2_000);
    expect(await rates.load()).toBe(2);
  });

  it('serves stale while revalidating, with staleWhileRevalidate', async () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    class Feed {
      calls = 0;
      @Cacheable({ cache, key: () => 'feed', ttl: '1m', staleWhileRevalidate: '5m' })
      async load() {
        return ++this.calls;
      }
    }
    const feed = new Feed();
    expect(await feed.load()).toBe(1);
    await clock.advance(90_000);
    expect(await feed.load()).toBe(1); // stale, refreshed in the background
    await tick();
    expect(await feed.load()).toBe(2);
    expect(feed.calls).toBe(2);
  });

  it('tags entries (fixed or from the arguments) for deleteByTag', async () => {
    const cache = createCache();
    class Products {
      calls = 0;
      @Cacheable({ cache, key: (id: number) => `product:${id}`, tags: (id: number) => [`product:${id}`, 'products'] })
      async load(id: number) {
        this.calls++;
        return id;
      }
      @Cacheable({ cache, key: () => 'menu', tags: ['products'] })
      async menu() {
        this.calls++;
        return 'menu';
      }
    }
    const products = new Products();
    await Promise.all([products.load(1), products.load(2), products.menu()]);
    await cache.deleteByTag('product:1');
    await Promise.all([products.load(1), products.load(2), products.menu()]);
    expect(products.calls).toBe(4);
    await cache.deleteByTag('products');
    await Promise.all([products.load(1), products.load(2), products.menu()]);
    expect(products.calls).toBe(7);
  });

  it('keeps entries in its namespace', async () => {
    const cache = createCache();
    class Users {
      @Cacheable({ cache, namespace: 'users', key: (id: number) => `${id}` })
      async load(id: number) {
        return `user ${id}`;
      }
    }
    await new Users().load(1);
    expect(await cache.namespace('users').get('1')).toBe('user 1');
    expect(await cache.get('1')).toBeUndefined();
  });

  it('caches static methods under their class name', async () => {
    const cache = createCache();
    // biome-ignore lint/complexity/noStaticOnlyClass: static methods are what this test decorates
    class Config {
      static calls = 0;
      @Cacheable({ cache })
      static async load(name: string) {
        Config.calls++;
        return name.toUpperCase();
      }
    }
    await Config.load('a');
    await Config.load('a');
    expect(Config.calls).toBe(1);
    expect(await cache.get('Config.load:["a"]')).toBe('A');
  });

  it('treats a method that returns a promise without `async` as async once it has seen one', async () => {
    const cache = createCache();
    const gate = deferred<number>();
    class Legacy {
      calls = 0;
      // no `async`, no return type: nothing tells the decorator before the first call
      @Cacheable({ cache, key: () => 'legacy' })
      load() {
        this.calls++;
        return gate.promise;
      }
    }
    const legacy = new Legacy();
    const calls = Array.from({ length: 20 }, () => legacy.load());
    expect(calls.every((c) => c instanceof Promise)).toBe(true);
    gate.resolve(7);
    expect(await Promise.all(calls)).toEqual(Array(20).fill(7));
    expect(legacy.calls).toBe(1);
    expect(await legacy.load()).toBe(7);
  });
});
