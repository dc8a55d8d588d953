import { createCache } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable, CacheEvict } from '../src/index.js';

function userService(cache = createCache()) {
  class UserService {
    loads = 0;
    @Cacheable({ cache, key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`, 'users'] })
    async load(id: number) {
      this.loads++;
      return { id };
    }
    @CacheEvict({ cache, key: (id: number) => `user:${id}` })
    async rename(id: number, fail = false) {
      if (fail) throw new Error('rename failed');
      return `renamed ${id}`;
    }
    @CacheEvict({ cache, tags: (id: number) => [`user:${id}`] })
    async touch(_id: number) {}
    @CacheEvict({ cache, tags: ['users'] })
    async reindex() {}
    @CacheEvict({ cache, all: true })
    async reset() {}
    @CacheEvict({ cache, key: (id: number) => `user:${id}`, beforeInvocation: true })
    async purge(id: number) {
      throw new Error(`purge ${id} failed`);
    }
  }
  return { cache, service: new UserService() };
}

describe('@CacheEvict', () => {
  it('deletes the key after the method succeeds, and passes its result through', async () => {
    const { cache, service } = userService();
    await service.load(1);
    await service.load(2);
    expect(await service.rename(1)).toBe('renamed 1');
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.get('user:2')).toEqual({ id: 2 });
    await service.load(1);
    expect(service.loads).toBe(3);
  });

  it('evicts nothing when the method throws', async () => {
    const { cache, service } = userService();
    await service.load(1);
    await expect(service.rename(1, true)).rejects.toThrow('rename failed');
    expect(await cache.get('user:1')).toEqual({ id: 1 });
  });

  it('evicts before the method runs, even when it throws, with beforeInvocation', async () => {
    const { cache, service } = userService();
    await service.load(1);
    await expect(service.purge(1)).rejects.toThrow('purge 1 failed');
    expect(await cache.get('user:1')).toBeUndefined();
  });

  it('deletes by tags, fixed or from the arguments', async () => {
    const { cache, service } = userService();
    await Promise.all([service.load(1), service.load(2)]);
    await service.touch(1);
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.get('user:2')).toEqual({ id: 2 });
    await service.reindex();
    expect(await cache.get('user:2')).toBeUndefined();
  });

  it('clears the cache with all: true, and only its namespace when it has one', async () => {
    const cache = createCache();
    await cache.set('kept', 1);
    await cache.namespace('reports').set('r1', 1);
    class Reports {
      @CacheEvict({ cache, namespace: 'reports', all: true })
      async rebuild() {}
    }
    await new Reports().rebuild();
    expect(await cache.namespace('reports').get('r1')).toBeUndefined();
    expect(await cache.get('kept')).toBe(1);
    const { service } = userService(cache);
    await service.reset();
    expect(await cache.get('kept')).toBeUndefined();
  });

  it('keeps a sync method sync, and a sync reader misses right after', () => {
    const cache = createCache();
    class Counter {
      value = 0;
      reads = 0;
      @Cacheable({ cache, key: () => 'count' })
      read(): number {
        this.reads++;
        return this.value;
      }
      @CacheEvict({ cache, key: () => 'count' })
      increment(): number {
        return ++this.value;
      }
      @CacheEvict({ cache, key: () => 'count' })
      broken(): number {
        throw new Error('broken');
      }
    }
    const counter = new Counter();
    expect(counter.read()).toBe(0);
    expect(() => counter.broken()).toThrow('broken');
    expect(counter.read()).toBe(0);
    expect(counter.reads).toBe(1);
    const result = counter.increment();
    expect(result).toBe(1);
    expect(counter.read()).toBe(1);
    expect(counter.reads).toBe(2);
  });

  it('must be told what to evict', () => {
    expect(() => CacheEvict({})).toThrow(/^\[cachette:decorators\] @CacheEvict: say what to evict/);
    expect(() => CacheEvict({ all: 'yes' as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => CacheEvict({ key: 'user:1' as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });
});
