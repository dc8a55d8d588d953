import { describe, expect, it } from 'vitest';
import { redisBus, redisLock, redisStore } from '../src/index.js';

const invalid = expect.objectContaining({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/^\[cachette:redis\] /) });
const makers = { redisStore, redisBus, redisLock } as const;

describe('one connection shape for store, bus and lock', () => {
  const bad: Array<[string, unknown]> = [
    ['nothing', {}],
    ['not an object', 'redis://127.0.0.1:6379'],
    ['two shapes at once', { url: 'redis://127.0.0.1:6379', cluster: { rootNodes: [{ url: 'redis://127.0.0.1:7000' }] } }],
    ['a URL of another scheme', { url: 'http://127.0.0.1:6379' }],
    ['a cluster without root nodes', { cluster: { rootNodes: [] } }],
    ['a cluster root node with a bad URL', { cluster: { rootNodes: [{ url: 'nope' }] } }],
    ['a cluster root node with a bad port', { cluster: { rootNodes: [{ socket: { host: '127.0.0.1', port: 0 } }] } }],
    ['a sentinel set without a name', { sentinel: { sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] } }],
    ['a sentinel set without sentinels', { sentinel: { name: 'mymaster', sentinelRootNodes: [] } }],
    [
      'a sentinel with a port that is a string',
      { sentinel: { name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: '26379' }] } },
    ],
    [
      'a sentinel set asked to read from replicas',
      { sentinel: { name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }], replicaPoolSize: 1 } },
    ],
  ];
  for (const [name, make] of Object.entries(makers)) {
    it.each(bad)(`${name}: %s is E_INVALID_OPTION at configuration time`, (_, options) => {
      expect(() => (make as (o: unknown) => unknown)(options)).toThrow(invalid);
    });
  }

  it('takes a cluster or a sentinel set without connecting at construction', async () => {
    const store = redisStore({ cluster: { rootNodes: [{ url: 'redis://127.0.0.1:1' }] } });
    const bus = redisBus({ sentinel: { name: 'm', sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] } });
    expect(store.shared).toBe(true);
    await store.disconnect?.();
    await bus.disconnect?.();
  });
});
