import type { PageResponse } from '@cachette/core/pages';
import type { Context } from 'koa';

/**
 * Sets ctx status, body and headers from a page the core returned. With `replace`, headers
 * the page does not have are removed (the core dropped them); without, headers earlier
 * middleware set for this request stay. Koa computes `Content-Length` from the body.
 */
export function writePage(ctx: Context, page: PageResponse, options: { replace: boolean }): void {
  const before = new Set(Object.keys(ctx.response.headers));
  ctx.body = Buffer.from(page.body.buffer, page.body.byteOffset, page.body.byteLength);
  // after the body: Koa drops the body of a 304 when the status is set
  ctx.status = page.status;
  for (const name of Object.keys(ctx.response.headers)) {
    if (name === 'content-length' || Object.hasOwn(page.headers, name)) continue;
    // Koa's body setter added a Content-Type the page does not have; `replace` drops the rest
    if (options.replace || !before.has(name)) ctx.remove(name);
  }
  for (const [name, value] of Object.entries(page.headers)) ctx.set(name, value);
}
