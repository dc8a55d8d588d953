import 'reflect-metadata';
import { type Cache, createCache } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable, CachePut } from '../src/index.js';
import { compileStandard } from './support.js';

/** Resolves to the promise's outcome if it settles within a few turns of the event loop, else to 'pending'. */
async function settlesSoon<T>(promise: Promise<T>, turns = 50): Promise<T | 'pending'> {
  let done = false;
  const outcome = promise.finally(() => {
    done = true;
  });
  for (let i = 0; i < turns && !done; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  return done ? outcome : 'pending';
}

type Repo = new () => { calls: number; find(filter: unknown, page?: number): Promise<string> };

/**
 * The same scenarios for both decorator forms: each builder returns classes made by the form
 * under test (SWC's legacy transform here, TypeScript's standard transform through
 * `compileStandard`).
 */
interface Form {
  name: string;
  /** A class `Repository` whose `find` is cached with a default key, answering `label:JSON(filter)`. */
  repository(cache: Cache, label: string, namespace?: string): Repo;
  /** `Base.load` and `Derived.load` (an override that calls `super.load`), both cached with default keys. */
  overriding(cache: Cache): {
    Base: new () => { load(id: number): Promise<string> };
    Derived: new () => { load(id: number): Promise<string> };
  };
}

const legacy: Form = {
  name: 'legacy decorators (experimentalDecorators)',
  repository(cache, label, namespace) {
    class Repository {
      calls = 0;
      @Cacheable({ cache, namespace })
      async find(filter: unknown, _page = 1): Promise<string> {
        this.calls++;
        return `${label}:${JSON.stringify(filter)}`;
      }
    }
    return Repository;
  },
  overriding(cache) {
    class Base {
      @Cacheable({ cache })
      async load(id: number): Promise<string> {
        return `base ${id}`;
      }
    }
    class Derived extends Base {
      @Cacheable({ cache })
      override async load(id: number): Promise<string> {
        return `derived(${await super.load(id)})`;
      }
    }
    return { Base, Derived };
  },
};

const standard: Form = {
  // other class names than the legacy form's: both run in this one process
  name: 'TypeScript 5 standard decorators',
  repository(cache, label, namespace) {
    return compileStandard<Repo>(
      `function make() {
        class StdRepository {
          calls = 0;
          @Cacheable({ cache, namespace })
          async find(filter, _page = 1) { this.calls++; return label + ':' + JSON.stringify(filter); }
        }
        return StdRepository;
      }`,
      { Cacheable, cache, label, namespace },
    );
  },
  overriding(cache) {
    return compileStandard(
      `function make() {
        class StdBase {
          @Cacheable({ cache })
          async load(id) { return 'base ' + id; }
        }
        class StdDerived extends StdBase {
          @Cacheable({ cache })
          async load(id) { return 'derived(' + (await super.load(id)) + ')'; }
        }
        return { Base: StdBase, Derived: StdDerived };
      }`,
      { Cacheable, cache },
    );
  },
};

for (const form of [legacy, standard]) {
  describe(`default keys, ${form.name}`, () => {
    it('refuses a second, different class with the same name, naming the fix (issue 8 item 17)', async () => {
      const cache = createCache();
      const First = form.repository(cache, 'orders');
      expect(await new First().find(1)).toBe('orders:1');
      // legacy decorators see the class when they decorate it; standard ones when it is first used
      const second = async () => {
        const Second = form.repository(cache, 'invoices');
        return new Second().find(1);
      };
      await expect(second()).rejects.toMatchObject({
        code: 'E_NAME_CLASH',
        message: expect.stringMatching(/two different classes named (Std)?Repository .*namespace/s),
      });
      // the first class keeps working, with its own entries
      expect(await new First().find(1)).toBe('orders:1');
    });

    it('lets same-named classes live apart in their own namespaces', async () => {
      const cache = createCache();
      const Orders = form.repository(cache, 'orders', 'orders');
      const Invoices = form.repository(cache, 'invoices', 'invoices');
      expect(await new Orders().find(1)).toBe('orders:1');
      expect(await new Invoices().find(1)).toBe('invoices:1');
    });

    it('a decorated override that calls its decorated super method completes (issue 8 item 18)', async () => {
      const cache = createCache();
      const { Base, Derived } = form.overriding(cache);
      expect(await settlesSoon(new Derived().load(1))).toBe('derived(base 1)');
      expect(await settlesSoon(new Derived().load(1))).toBe('derived(base 1)');
      expect(await settlesSoon(new Base().load(1))).toBe('base 1');
    });

    it('equal arguments in another property order, nested too, share one entry (issue 8 item 19)', async () => {
      const cache = createCache();
      const Repository = form.repository(cache, 'r', `ns${form === legacy ? 'l' : 's'}19`);
      const repo = new Repository();
      await repo.find({ a: 1, b: { c: [1, { x: 1, y: 2 }], d: 2 } });
      await repo.find({ b: { d: 2, c: [1, { y: 2, x: 1 }] }, a: 1 });
      expect(repo.calls).toBe(1);
      // arrays keep their order; other content is another key
      await repo.find({ a: 1, b: { c: [{ x: 1, y: 2 }, 1], d: 2 } });
      expect(repo.calls).toBe(2);
    });

    it('the decorated method keeps its name and length (issue 8 item 20)', () => {
      const Repository = form.repository(createCache(), 'r', `ns${form === legacy ? 'l' : 's'}20`);
      expect(Repository.prototype.find.name).toBe('find');
      expect(Repository.prototype.find.length).toBe(1);
    });
  });
}

describe('@CachePut keeps name and length too', () => {
  it('keeps them', () => {
    const cache = createCache();
    class Users {
      @CachePut({ cache, key: (id: number) => `u:${id}` })
      async save(id: number, _name: string) {
        return id;
      }
    }
    expect(Users.prototype.save.name).toBe('save');
    expect(Users.prototype.save.length).toBe(2);
  });
});
