import { createCache } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable, CacheEvict, CachePut } from '../src/index.js';
import { compileStandard, methodContext } from './support.js';

describe('TypeScript 5 standard decorators', () => {
  it('@Cacheable wraps the method it is given and keeps `this`', async () => {
    const cache = createCache();
    class Users {
      calls = 0;
      async load(id: number) {
        this.calls++;
        return `user ${id}`;
      }
    }
    const replaced = Cacheable({ cache, key: (id: number) => `user:${id}` })(
      Users.prototype.load,
      methodContext<Users, Users['load']>('load'),
    );
    expect(typeof replaced).toBe('function');
    Users.prototype.load = replaced as Users['load'];
    const users = new Users();
    expect(await users.load(1)).toBe('user 1');
    expect(await users.load(1)).toBe('user 1');
    expect(users.calls).toBe(1);
    expect(await cache.get('user:1')).toBe('user 1');
  });

  it('builds default keys from the class of `this`', async () => {
    const cache = createCache();
    class Catalog {
      async search(term: string) {
        return term;
      }
    }
    Catalog.prototype.search = Cacheable({ cache })(
      Catalog.prototype.search,
      methodContext<Catalog, Catalog['search']>('search'),
    ) as Catalog['search'];
    await new Catalog().search('red');
    expect(await cache.get('Catalog.search:["red"]')).toBe('red');
  });

  it('rejects fields, getters and classes', () => {
    const decorate = Cacheable() as (...args: unknown[]) => unknown;
    expect(() => decorate(undefined, { kind: 'field', name: 'count' })).toThrow(/@Cacheable decorates methods only; count is a field/);
    expect(() => decorate(() => 1, { kind: 'getter', name: 'total' })).toThrow(/total is a getter/);
    expect(() => decorate(class {}, { kind: 'class', name: 'Model' })).toThrow(/Model is a class/);
  });

  it('runs @Cacheable, @CachePut and @CacheEvict as compiled by TypeScript', async () => {
    const cache = createCache();
    const source = `
      function make() {
        class Users {
          loads = 0;
          @Cacheable({ cache, key: (id) => 'user:' + id })
          async load(id) { this.loads++; return { id, name: 'old' }; }
          @CachePut({ cache, key: (id) => 'user:' + id })
          async save(id, name) { return { id, name }; }
          @CacheEvict({ cache, key: (id) => 'user:' + id })
          async remove(id) {}
          @Cacheable({ cache, key: (n) => 'square:' + n })
          square(n) { this.loads++; return n * n; }
        }
        return Users;
      }`;
    const Users = compileStandard<
      new () => {
        loads: number;
        load(id: number): Promise<{ id: number; name: string }>;
        save(id: number, name: string): Promise<{ id: number; name: string }>;
        remove(id: number): Promise<void>;
        square(n: number): number;
      }
    >(source, { Cacheable, CachePut, CacheEvict, cache });
    const users = new Users();
    await users.load(1);
    await users.load(1);
    expect(users.loads).toBe(1);
    await users.save(1, 'new');
    expect(await users.load(1)).toEqual({ id: 1, name: 'new' });
    await users.remove(1);
    expect(await users.load(1)).toEqual({ id: 1, name: 'old' });
    expect(users.loads).toBe(2);
    expect(users.square(3)).toBe(9);
    expect(users.square(3)).toBe(9);
    expect(users.loads).toBe(3);
  });
});
