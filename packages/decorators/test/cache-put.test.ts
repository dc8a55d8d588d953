import { createCache } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable, CachePut } from '../src/index.js';

interface User {
  id: number;
  name: string;
}

describe('@CachePut', () => {
  it('always runs the method and stores its result for readers of the key', async () => {
    const cache = createCache();
    class UserService {
      loads = 0;
      saves = 0;
      @Cacheable({ cache, key: (id: number) => `user:${id}` })
      async load(id: number): Promise<User> {
        this.loads++;
        return { id, name: 'old' };
      }
      @CachePut({ cache, key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
      async save(id: number, name: string): Promise<User> {
        this.saves++;
        return { id, name };
      }
    }
    const service = new UserService();
    await service.load(1);
    expect(await service.save(1, 'new')).toEqual({ id: 1, name: 'new' });
    expect(await service.save(1, 'newer')).toEqual({ id: 1, name: 'newer' });
    expect(service.saves).toBe(2);
    expect(await service.load(1)).toEqual({ id: 1, name: 'newer' });
    expect(service.loads).toBe(1);
    await cache.deleteByTag('user:1');
    expect(await cache.get('user:1')).toBeUndefined();
  });

  it('stores nothing when the method throws', async () => {
    const cache = createCache();
    class Broken {
      @CachePut({ cache, key: () => 'k' })
      async save(): Promise<number> {
        throw new Error('no');
      }
    }
    await expect(new Broken().save()).rejects.toThrow('no');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('keeps a sync method sync, honours condition and ttl', () => {
    const cache = createCache();
    class Settings {
      @CachePut({ cache, key: (name: string) => `setting:${name}`, condition: (name: string) => !name.startsWith('_'), ttl: '1m' })
      set(name: string, value: string): string {
        return `${value}`.length > 0 && name ? value : '';
      }
    }
    const settings = new Settings();
    const result = settings.set('theme', 'dark');
    expect(result).toBe('dark');
    expect(cache.peek('setting:theme')).toBe('dark');
    settings.set('_secret', 'x');
    expect(cache.peek('setting:_secret')).toBeUndefined();
  });

  it('requires a key function', () => {
    expect(() => CachePut({} as never)).toThrow(/^\[cachette:decorators\] @CachePut: key is required/);
    expect(() => CachePut({ key: 'k' as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => CachePut({ key: () => 'k', ttl: '1 day' })).toThrow(expect.objectContaining({ code: 'E_INVALID_DURATION' }));
  });
});
