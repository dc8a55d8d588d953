import { type CacheStore, createCache, manualClock, memoryStore } from '@cachette/core';
import { describe, expect, it } from 'vitest';
import { Cacheable } from '../src/index.js';
import { tick } from './support.js';

describe('@Cacheable on sync methods', () => {
  it('stays sync: returns the value, not a promise, and caches it', () => {
    const cache = createCache();
    class Pricing {
      calls = 0;
      @Cacheable({ cache, key: (sku: string) => `price:${sku}` })
      price(sku: string): number {
        this.calls++;
        return sku.length * 10;
      }
    }
    const pricing = new Pricing();
    const first = pricing.price('abc');
    expect(first).toBe(30);
    expect(first).not.toBeInstanceOf(Promise);
    expect(pricing.price('abc')).toBe(30);
    expect(pricing.price('abcd')).toBe(40);
    expect(pricing.calls).toBe(2);
    expect(cache.peek('price:abc')).toBe(30);
  });

  it('throws errors synchronously and caches nothing for them', () => {
    const cache = createCache();
    class Parser {
      calls = 0;
      @Cacheable({ cache, key: (text: string) => `parse:${text}` })
      parse(text: string): unknown {
        this.calls++;
        return JSON.parse(text);
      }
    }
    const parser = new Parser();
    expect(() => parser.parse('{')).toThrow(SyntaxError);
    expect(() => parser.parse('{')).toThrow(SyntaxError);
    expect(parser.calls).toBe(2);
    expect(cache.peek('parse:{')).toBeUndefined();
  });

  it('expires on the cache clock and drops with its tags', async () => {
    const clock = manualClock();
    const cache = createCache({ clock });
    class Labels {
      calls = 0;
      @Cacheable({ cache, key: (id: number) => `label:${id}`, ttl: 1_000, tags: (id: number) => [`label:${id}`] })
      label(id: number): string {
        this.calls++;
        return `#${id}`;
      }
    }
    const labels = new Labels();
    labels.label(1);
    labels.label(1);
    expect(labels.calls).toBe(1);
    await clock.advance(1_001);
    labels.label(1);
    expect(labels.calls).toBe(2);
    await cache.deleteByTag('label:1');
    labels.label(1);
    expect(labels.calls).toBe(3);
  });

  it('returns the value even when the cache cannot store it, without an unhandled rejection', async () => {
    const shared = new Map<string, unknown>();
    const store: CacheStore = {
      name: 'shared-map',
      shared: true,
      get: async (key) => shared.get(key),
      set: async (key, value) => void shared.set(key, value),
      delete: async (key) => shared.delete(key),
    };
    const cache = createCache({ tiers: [{ store: memoryStore() }, { store }] });
    class Factory {
      @Cacheable({ cache, key: () => 'fn' })
      make(): () => number {
        return () => 1; // a function cannot be encoded for a shared tier
      }
    }
    expect(new Factory().make()()).toBe(1);
    await tick();
    expect(shared.size).toBe(0);
  });
});

describe('@Cacheable misuse, caught when the class is declared', () => {
  it('rejects a bad ttl with E_INVALID_DURATION', () => {
    expect(() => Cacheable({ ttl: 'soon' })).toThrow(expect.objectContaining({ code: 'E_INVALID_DURATION' }));
    expect(() => Cacheable({ staleIfError: -5 })).toThrow(expect.objectContaining({ code: 'E_INVALID_DURATION' }));
  });

  it('rejects a key, condition or tags of the wrong kind', () => {
    expect(() => Cacheable({ key: 'user' as never })).toThrow(/^\[cachette:decorators\] @Cacheable: key must be a function/);
    expect(() => Cacheable({ condition: true as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => Cacheable({ tags: [''] })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => Cacheable({ cache: {} as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  it('rejects anything but a method', () => {
    const decorate = Cacheable() as (...args: unknown[]) => unknown;
    class Model {
      name = 'x';
      get upper() {
        return this.name.toUpperCase();
      }
    }
    expect(() => decorate(Model.prototype, 'name', undefined)).toThrow(/@Cacheable decorates methods only; Model\.name is a property/);
    const getter = Object.getOwnPropertyDescriptor(Model.prototype, 'upper');
    expect(() => decorate(Model.prototype, 'upper', getter)).toThrow(/Model\.upper is an accessor/);
    expect(() => decorate(Model)).toThrow(/is a class/);
    expect(() => decorate(() => 1, { kind: 'field', name: 'x' })).toThrow(/x is a field/);
  });

  it('rejects a key function that returns no string, at the call', async () => {
    const cache = createCache();
    class Bad {
      @Cacheable({ cache, key: () => 42 as never })
      async load() {
        return 1;
      }
    }
    await expect(new Bad().load()).rejects.toMatchObject({ code: 'E_INVALID_KEY', message: expect.stringContaining('Bad.load') });
  });
});
