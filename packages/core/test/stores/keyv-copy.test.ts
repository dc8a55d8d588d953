import KeyvCopy from 'keyv-copy';
import { describe, expect, it } from 'vitest';
import { keyvStore } from '../../src/keyv.js';

// Users' Keyv is often another copy of the package than core's (another version, another install).
describe('keyvStore and a Keyv from another copy of keyv', () => {
  it('is taken as a Keyv: its store, namespace and key prefix are used, not wrapped again', async () => {
    const map = new Map<string, unknown>();
    const store = keyvStore(new KeyvCopy({ store: map, namespace: 'users' }));
    expect(store.name).toBe('keyv:map');
    await store.set('k', { a: 1 }, 60_000);
    expect([...map.keys()]).toEqual(['users:k']);
    expect(await store.get('k')).toEqual({ a: 1 });
  });

  it('an adapter is still taken as an adapter', async () => {
    const map = new Map<string, unknown>();
    const store = keyvStore(map as never);
    await store.set('k', 1, 60_000);
    expect([...map.keys()]).toEqual(['keyv:k']);
  });
});
