import type { Context, Middleware } from 'koa';

/**
 * Middleware that runs `patch` on the response before the handler, so that a page capture
 * inside sees it, and again after, as Django's decorators patch the view's response.
 */
export function aroundHandler(patch: (ctx: Context) => void): Middleware {
  return async (ctx, next) => {
    patch(ctx);
    await next();
    patch(ctx);
  };
}
