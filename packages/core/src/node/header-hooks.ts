import type { ServerResponse } from 'node:http';
import { applyWriteHead, type WriteHeadArgs } from './write-head.js';

type HeaderHook = (res: ServerResponse) => void;

const pending = new WeakMap<ServerResponse, HeaderHook[]>();

/**
 * Runs `hook` once, when the handler's headers are final — as Django's decorators patch the
 * response after the view — so a handler's own `Cache-Control` or `Vary` is patched, not lost.
 * Hooks run on `writeHead` (explicit or implicit) or when a page capture reads the headers.
 *
 * @example
 * ```ts
 * beforeHeaders(res, () => addVary(res, ['Accept-Language']))
 * ```
 */
export function beforeHeaders(res: ServerResponse, hook: HeaderHook): void {
  let hooks = pending.get(res);
  if (hooks === undefined) {
    hooks = [];
    pending.set(res, hooks);
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithHooks(this: ServerResponse, ...args: unknown[]) {
      applyWriteHead(this, args as WriteHeadArgs);
      runHeaderHooks(this);
      return writeHead.call(this, this.statusCode);
    } as ServerResponse['writeHead'];
  }
  hooks.push(hook);
}

/**
 * Runs the hooks not run yet, in the order they were added.
 *
 * @example
 * ```ts
 * runHeaderHooks(res) // before reading the headers a handler left
 * ```
 */
export function runHeaderHooks(res: ServerResponse): void {
  const hooks = pending.get(res);
  if (hooks === undefined) return;
  for (const hook of hooks.splice(0)) hook(res);
}
