import { createPageCache, type Duration, type PageCache, type PageCacheOptions } from '@cachette/core';
import type { RouteMarks } from './route-marks.js';

/**
 * The route's PageCache, made once (so configuration errors throw at creation), plus one
 * per distinct set of names that `varyOnHeaders` / `varyOnCookies` declared in front of it.
 * Those sets come from code, not from requests, so the memo stays as small as the app.
 */
export function pageCaches(ttl: Duration, options: PageCacheOptions): (marks: RouteMarks | undefined) => PageCache {
  const base = createPageCache(ttl, options);
  const declared = new Map<string, PageCache>();
  return (marks) => {
    if (marks === undefined || (marks.varyHeaders.length === 0 && marks.varyCookies.length === 0)) return base;
    const varyHeaders = union(options.varyHeaders, marks.varyHeaders, (name) => name.toLowerCase());
    const varyCookies = union(options.varyCookies, marks.varyCookies, (name) => name);
    // header and cookie names are tokens: neither holds a space or a newline
    const id = `${varyHeaders.join(' ')}\n${varyCookies.join(' ')}`;
    let page = declared.get(id);
    if (page === undefined) {
      page = createPageCache(ttl, { ...options, varyHeaders, varyCookies });
      declared.set(id, page);
    }
    return page;
  };
}

function union(a: readonly string[] | undefined, b: readonly string[], normalise: (name: string) => string): string[] {
  return [...new Set([...(a ?? []), ...b].map(normalise))].sort();
}
