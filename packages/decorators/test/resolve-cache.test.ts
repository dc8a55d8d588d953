import 'reflect-metadata';
import { type Cache, createCache, InvalidOptionError } from '@cachette/core';
import { container, injectable } from 'tsyringe';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHETTE_CACHE, Cacheable, CacheEvict, setDefaultCache } from '../src/index.js';

afterEach(() => {
  container.reset();
  setDefaultCache(undefined);
});

// Declared before any cache exists: the cache is looked up at each call.
class Greeter {
  calls = 0;
  @Cacheable({ key: (name: string) => `greet:${name}` })
  async greet(name: string) {
    this.calls++;
    return `hello ${name}`;
  }
  @Cacheable({ key: (name: string) => `shout:${name}` })
  shout(name: string): string {
    return name.toUpperCase();
  }
  @CacheEvict({ key: (name: string) => `greet:${name}` })
  async forget(_name: string) {}
}

describe('finding the cache', () => {
  it('uses the tsyringe registration under CACHETTE_CACHE', async () => {
    const cache = createCache();
    container.register(CACHETTE_CACHE, { useValue: cache });
    const greeter = new Greeter();
    await greeter.greet('ada');
    await greeter.greet('ada');
    expect(greeter.calls).toBe(1);
    expect(await cache.get('greet:ada')).toBe('hello ada');
    await greeter.forget('ada');
    expect(await cache.get('greet:ada')).toBeUndefined();
  });

  it('works for services that tsyringe builds with constructor injection', async () => {
    @injectable()
    class UserRepository {
      finds = 0;
      async find(id: number) {
        this.finds++;
        return { id };
      }
    }
    @injectable()
    class UserService {
      constructor(readonly users: UserRepository) {}
      @Cacheable({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
      async load(id: number) {
        return this.users.find(id);
      }
      @CacheEvict({ tags: (id: number) => [`user:${id}`] })
      async rename(_id: number) {}
    }
    const cache = createCache();
    container.registerInstance(CACHETTE_CACHE, cache);
    container.registerSingleton(UserRepository);
    const service = container.resolve(UserService);
    expect(service.users).toBeInstanceOf(UserRepository);
    expect(container.resolve<Cache>(CACHETTE_CACHE)).toBe(cache);
    await service.load(1);
    await service.load(1);
    expect(service.users.finds).toBe(1);
    await service.rename(1);
    await service.load(1);
    expect(service.users.finds).toBe(2);
  });

  it('falls back to setDefaultCache', async () => {
    const cache = createCache();
    setDefaultCache(cache);
    const greeter = new Greeter();
    await greeter.greet('bob');
    expect(await cache.get('greet:bob')).toBe('hello bob');
  });

  it('prefers options.cache, then tsyringe, then the default', async () => {
    const explicit = createCache();
    const registered = createCache();
    const fallback = createCache();
    setDefaultCache(fallback);
    container.register(CACHETTE_CACHE, { useValue: registered });
    class Both {
      @Cacheable({ cache: explicit, key: () => 'a' })
      async own() {
        return 'own';
      }
      @Cacheable({ cache: () => explicit, key: () => 'b' })
      async lazy() {
        return 'lazy';
      }
      @Cacheable({ key: () => 'c' })
      async shared() {
        return 'shared';
      }
    }
    const both = new Both();
    await Promise.all([both.own(), both.lazy(), both.shared()]);
    expect(await explicit.get('a')).toBe('own');
    expect(await explicit.get('b')).toBe('lazy');
    expect(await registered.get('c')).toBe('shared');
    expect(await fallback.get('c')).toBeUndefined();
  });

  it('says how to provide a cache when there is none: async methods reject, sync ones throw', async () => {
    const greeter = new Greeter();
    const error = await greeter.greet('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
    const text = (error as Error).message;
    expect(text).toMatch(/^\[cachette:decorators\] @Cacheable on Greeter\.greet: no cache to use/);
    expect(text).toContain('cache option');
    expect(text).toContain('container.register(CACHETTE_CACHE, { useValue: cache })');
    expect(text).toContain('setDefaultCache(cache)');
    expect(greeter.calls).toBe(0);
    expect(() => greeter.shout('x')).toThrow(/no cache to use/);
  });

  it('rejects what is not a cache', async () => {
    expect(() => setDefaultCache({} as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    class Odd {
      @Cacheable({ cache: () => undefined as never, key: () => 'k' })
      async load() {
        return 1;
      }
    }
    await expect(new Odd().load()).rejects.toThrow(/the cache option's function returned undefined/);
    container.register(CACHETTE_CACHE, { useValue: 'nope' });
    await expect(new Greeter().greet('x')).rejects.toThrow(/tsyringe's CACHETTE_CACHE registration gave string/);
  });

  it('shares the token with every copy of the package', () => {
    expect(CACHETTE_CACHE).toBe(Symbol.for('cachette:cache'));
  });
});
