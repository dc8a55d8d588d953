import { purgeUrl } from '@cachette/core';
import { CliError } from '../errors.js';
import { type Command, processes } from './result.js';

/**
 * `cachette purge --tag <tag>… --url <url>…`: `deleteByTag` and `purgeUrl` on a cache over the
 * shared tier and the bus, in the application's namespace and version: the marks land in Redis
 * and every process drops the entries from its memory tier.
 */
export const purge: Command = async (session) => {
  const { inv } = session;
  for (const url of inv.urls) checkPageUrl(url);
  const cache = session.cache();
  await session.requireNamespace(cache.path);
  const listeners = await session.listeners();
  if (inv.tags.length > 0) await cache.deleteByTag(inv.tags);
  for (const url of inv.urls) await purgeUrl(cache, url, { keyPrefix: inv.keyPrefix });
  await session.settle();
  const what = [...inv.tags.map((t) => `tag ${t}`), ...inv.urls.map((u) => `url ${u}`)].join(', ');
  return {
    data: { namespace: cache.path, tags: [...inv.tags], urls: [...inv.urls], listeners },
    text: `purged ${what} in ${cache.path}; ${processes(listeners)} told on ${inv.channel}`,
  };
};

/** Every URL is checked before anything is purged: all or nothing on a typo. */
function checkPageUrl(text: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new CliError('E_INVALID_URL', `--url ${JSON.stringify(text)} is not an absolute http(s) URL (https://shop.example/products/1)`);
  }
}
