import { describe, expect, it } from 'vitest';
import { cachette } from './run.js';

describe('cachette command line', () => {
  it('help, with no command or -h, exits 0', async () => {
    for (const argv of [[], ['help'], ['stats', '-h']]) {
      const run = await cachette(...argv);
      expect(run.code).toBe(0);
      expect(run.out).toContain('exit codes');
    }
  });

  it.each([
    [['nope', '--redis', 'redis://127.0.0.1:6379'], 'unknown command "nope"'],
    [['stats', '--bogus'], "Unknown option '--bogus'"],
    [['stats'], 'say where Redis is'],
    [['get', '--redis', 'redis://127.0.0.1:6379'], 'get needs exactly one key'],
    [['get', 'a', 'b', '--redis', 'redis://127.0.0.1:6379'], 'get needs exactly one key'],
    [['purge', '--redis', 'redis://127.0.0.1:6379'], 'purge needs --tag'],
    [['stats', '--tag', 't', '--redis', 'redis://127.0.0.1:6379'], '--tag and --url belong to purge'],
    [['stats', '--redis', 'redis://127.0.0.1:6379', '--version', '1.5'], '--version "1.5" must be an integer'],
    [['stats', '--redis', 'redis://127.0.0.1:6379', '--timeout', 'soon'], '--timeout "soon"'],
    [['stats', '--redis', 'redis://127.0.0.1:6379', '--namespace', 'shop//users'], '--namespace'],
    [['stats', '--redis', 'redis://127.0.0.1:6379', '--cluster', '127.0.0.1:7000'], 'give one of --redis, --cluster, --sentinel'],
  ])('%j is a usage error (exit 1): %s', async (argv, text) => {
    const run = await cachette(...argv);
    expect(run.code).toBe(1);
    expect(run.err).toContain(text);
    expect(run.err).toContain('cachette help');
  });

  it.each([
    [['--redis', 'http://127.0.0.1:6379']],
    [['--redis', 'redis://']],
    [['--redis', 'not a url']],
    [['--redis', 'redis://127.0.0.1:99999']],
    [['--cluster', '127.0.0.1:7000,']],
    [['--sentinel', '127.0.0.1:26379']],
    [['--sentinel', 'mymaster@127.0.0.1']],
  ])('a bad connection %j is E_INVALID_URL (exit 1), before any connection', async (flags) => {
    const run = await cachette('stats', ...flags, '--json');
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ ok: false, error: { code: 'E_INVALID_URL', exitCode: 1 } });
  });

  it('never prints a password', async () => {
    const run = await cachette('stats', '--redis', 'redis://user:s3cret@127.0.0.1:99999');
    expect(run.code).toBe(1);
    expect(run.err).not.toContain('s3cret');
  });

  it('a bad namespace name is a usage error, from core', async () => {
    for (const namespace of ['a b', 'shop/us:ers']) {
      const run = await cachette('stats', '--redis', 'redis://127.0.0.1:1', '--namespace', namespace);
      expect(run.code).toBe(1);
      expect(run.err).toContain('must be 1-64 characters');
    }
  });
});
