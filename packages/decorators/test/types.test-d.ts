import { type Cache, createCache } from '@cachette/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  CACHETTE_CACHE,
  Cacheable,
  type CacheableOptions,
  type CacheDecorator,
  CacheEvict,
  CachePut,
  setDefaultCache,
} from '../src/index.js';

const cache = createCache();

interface User {
  id: number;
  name: string;
}

describe('key, tags and condition are typed against the method', () => {
  it('accepts functions of the method parameters, or of a prefix of them', () => {
    class Users {
      @Cacheable({ cache, key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`], condition: (id: number) => id > 0 })
      async load(id: number): Promise<User> {
        return { id, name: '' };
      }
      @Cacheable({ key: (id: number, lang?: string) => `${id}:${lang}` })
      async localized(id: number, lang?: string): Promise<string> {
        return `${id}${lang}`;
      }
      @Cacheable({ key: (id: number) => `${id}` })
      async withOptions(id: number, _verbose = false): Promise<number> {
        return id;
      }
      @Cacheable({ key: (id) => `user:${id}` })
      async untyped(id: number): Promise<number> {
        return id;
      }
      @Cacheable()
      async defaultKey(id: number): Promise<number> {
        return id;
      }
      @CacheEvict({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
      async rename(id: number, name: string): Promise<string> {
        return `${id}${name}`;
      }
      @CachePut({ key: (user: User) => `user:${user.id}` })
      save(user: User): User {
        return user;
      }
      @Cacheable({ key: (id: number) => `${id}` })
      static byId(id: number): number {
        return id;
      }
    }
    expectTypeOf<Users['load']>().returns.toEqualTypeOf<Promise<User>>();
    expectTypeOf<Users['save']>().returns.toEqualTypeOf<User>();
  });

  it('rejects functions whose parameters do not fit the method', () => {
    class Users {
      // @ts-expect-error key takes a string, load takes a number
      @Cacheable({ key: (id: string) => `user:${id}` })
      async load(id: number): Promise<number> {
        return id;
      }
      // @ts-expect-error key wants a second argument that load never gets
      @Cacheable({ key: (id: number, lang: string) => `${id}:${lang}` })
      async second(id: number): Promise<number> {
        return id;
      }
      // @ts-expect-error tags take a User
      @Cacheable({ tags: (user: User) => [`user:${user.id}`] })
      async tagged(id: number): Promise<number> {
        return id;
      }
      // @ts-expect-error condition takes a string
      @Cacheable({ condition: (name: string) => name !== '' })
      async conditional(id: number): Promise<number> {
        return id;
      }
      // @ts-expect-error key of CacheEvict takes a string
      @CacheEvict({ key: (id: string) => id })
      async remove(id: number): Promise<number> {
        return id;
      }
      // @ts-expect-error key of CachePut takes a User
      @CachePut({ key: (user: User) => `${user.id}` })
      async put(id: number): Promise<number> {
        return id;
      }
    }
    void Users;
  });

  it('rejects keys that return no string, and bad option values', () => {
    // @ts-expect-error key must return a string
    Cacheable({ key: (id: number) => id });
    // @ts-expect-error ttl is a Duration
    Cacheable({ ttl: true });
    // @ts-expect-error tags are strings
    Cacheable({ tags: [1] });
    // @ts-expect-error CachePut needs a key
    CachePut({ ttl: '1m' });
    // @ts-expect-error cache is a Cache or a function returning one
    Cacheable({ cache: 'default' });
  });

  it('types the standard decorator form too', () => {
    class Users {
      async load(id: number): Promise<number> {
        return id;
      }
    }
    const context = {} as ClassMethodDecoratorContext<Users, Users['load']>;
    const replaced = Cacheable({ key: (id: number) => `${id}` })(Users.prototype.load, context);
    expectTypeOf(replaced).toEqualTypeOf<Users['load']>();
    // @ts-expect-error key takes a string, load takes a number
    Cacheable({ key: (id: string) => id })(Users.prototype.load, context);
  });
});

describe('exports', () => {
  it('has the token, the default setter and the option types', () => {
    expectTypeOf(CACHETTE_CACHE).toEqualTypeOf<typeof CACHETTE_CACHE>();
    expectTypeOf(CACHETTE_CACHE).toMatchTypeOf<symbol>();
    expectTypeOf(setDefaultCache).parameter(0).toEqualTypeOf<Cache | undefined>();
    expectTypeOf(Cacheable<[number]>).returns.toEqualTypeOf<CacheDecorator<[number]>>();
    expectTypeOf<CacheableOptions<[number]>['key']>().toEqualTypeOf<((id: number) => string) | undefined>();
  });
});
