import type { Context } from 'koa';

/** One response header as a string, `undefined` when absent (Koa's `get` gives `''`). */
export function headerText(ctx: Context, name: string): string | undefined {
  const value = ctx.response.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}
