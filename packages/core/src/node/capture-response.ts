import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { CachetteError, ErrorCode, message } from '../errors.js';
import type { PageCapture, PageResponse } from '../page/types.js';
import { runHeaderHooks } from './header-hooks.js';
import { responseHeaders } from './response-headers.js';
import { applyWriteHead, type WriteHeadArgs } from './write-head.js';
import { type Method, type ResponseMethods, writePage } from './write-page.js';

/** How `captureResponse` is told about the request. */
export interface CaptureOptions {
  /** The request is a HEAD: the page is sent without its body. */
  head: boolean;
  /** Asked on each write: true when this response is not to be captured any more (a `neverCache` route). */
  passThrough?: () => boolean;
}

type Callback = (error?: Error | null) => void;
// buffering → finishing (end() called, the core is deciding) → done; or → streaming / closed
type State = 'buffering' | 'finishing' | 'done' | 'streaming' | 'closed';

const PATCHED = ['writeHead', 'write', 'end', 'flushHeaders'] as const;

/**
 * Buffers what the handler writes to a Node `ServerResponse` instead of sending it, then hands
 * the whole response to `capture.finish` and writes what it returns. It gives up and streams
 * the rest, not stored: past `capture.maxBodyBytes` (`capture.overflow()`), or when the handler
 * flushes its headers or `passThrough()` says so (`capture.abandon()`). The client leaving
 * before the end is `capture.fail()`. The page is stored only once the headers went out
 * (`capture.sent`): a middleware wrapping `writeHead` (express-session's `Set-Cookie`) can veto it.
 *
 * Only the instance's own methods are patched, and put back as soon as the capture ends.
 *
 * @example
 * ```ts
 * if (decision.action === 'render') captureResponse(res, decision.capture, { head: req.method === 'HEAD' })
 * ```
 */
export function captureResponse(res: ServerResponse, capture: PageCapture, options: CaptureOptions): void {
  const original: ResponseMethods = {
    writeHead: res.writeHead as Method,
    write: res.write as Method,
    end: res.end as Method,
    flushHeaders: res.flushHeaders as Method,
  };
  const ownBefore = new Map(PATCHED.map((name) => [name, Object.hasOwn(res, name)]));
  // The handler reads the request's headers through the capture's view: with `strict`, one that
  // records what it reads; on a revalidation, the cache's validators in place of the client's.
  const headersBefore = capture.headerView !== undefined ? res.req?.headers : undefined;
  if (headersBefore !== undefined) res.req.headers = capture.headerView as IncomingHttpHeaders;
  const passThrough = options.passThrough ?? (() => false);
  const chunks: Buffer[] = [];
  let size = 0;
  // The body came in pieces (a stream), not whole: several write()s, or one with no declared
  // length (a framework that sends a whole body with write() + end() declares Content-Length).
  let writes = 0;
  let state: State = 'buffering';

  const restore = () => {
    for (const name of PATCHED) {
      // a later patch (another middleware) sits on top: leave it, ours forwards anyway
      if (res[name] !== patched[name]) continue;
      if (ownBefore.get(name)) (res as unknown as Record<string, unknown>)[name] = original[name];
      else delete (res as unknown as Record<string, unknown>)[name];
    }
    res.off('close', onClose);
    // the request's own headers again: what the cache put in their place was for the handler only
    if (headersBefore !== undefined && res.req !== undefined && res.req.headers === capture.headerView) res.req.headers = headersBefore;
  };

  // Gives up buffering: the response goes out as the handler writes it, and is not stored.
  // Returns what the real write() returned, for back-pressure.
  const streamThrough = (why: 'overflow' | 'abandon'): boolean => {
    state = 'streaming';
    if (why === 'overflow') capture.overflow();
    else capture.abandon();
    restore();
    const ok = size > 0 ? original.write.call(res, Buffer.concat(chunks, size)) !== false : true;
    chunks.length = 0;
    return ok;
  };

  // Adds a chunk; once past the limit (or told to) the response streams: returns `streamed` and back-pressure.
  const buffer = (chunk: unknown, encoding: unknown): { streamed: boolean; ok: boolean } => {
    if (chunk !== undefined && chunk !== null) {
      const bytes = toBuffer(chunk, encoding);
      chunks.push(bytes);
      size += bytes.length;
    }
    const why = passThrough() ? 'abandon' : size > capture.maxBodyBytes ? 'overflow' : undefined;
    return why === undefined ? { streamed: false, ok: true } : { streamed: true, ok: streamThrough(why) };
  };

  const complete = async (callback: Callback | undefined) => {
    runHeaderHooks(res);
    const captured: PageResponse = {
      status: res.statusCode,
      headers: responseHeaders(res),
      body: Buffer.concat(chunks, size),
      streamed: writes > 1 || (writes === 1 && !res.hasHeader('content-length')),
    };
    chunks.length = 0;
    let result = captured;
    try {
      // Held until sent: a middleware may still add headers as they go out (on-headers).
      result = await capture.finish(captured, { untilSent: true });
    } catch {
      // finish never rejects by contract; should it, the handler's own response still goes out
    }
    restore();
    state = 'done';
    let sent = false;
    try {
      writePage(res, result, original, { head: options.head, replace: true, callback });
      sent = res.headersSent;
    } finally {
      // end() ran writeHead, and with it whatever wrapped it: these are the headers that went out.
      capture.sent?.(sent ? responseHeaders(res) : undefined);
    }
  };

  const onClose = () => {
    if (state !== 'buffering') return;
    // The client left before the handler ended: release the render; nothing can be sent.
    state = 'closed';
    restore();
    void capture.fail(new CachetteError(ErrorCode.ResponseAborted, message('the connection closed before the page was complete')));
  };

  const patched = {
    writeHead(this: ServerResponse, ...args: unknown[]) {
      if (state === 'finishing') return res;
      if (state !== 'buffering') return original.writeHead.apply(res, args);
      applyWriteHead(res, args as WriteHeadArgs);
      if (passThrough()) streamThrough('abandon');
      return res;
    },
    write(this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) {
      // after end(), while the core finishes: nothing more belongs to this response
      if (state === 'finishing') return false;
      if (state !== 'buffering') return original.write.call(res, chunk, encoding, callback);
      const cb = typeof encoding === 'function' ? encoding : callback;
      writes++;
      const { ok } = buffer(chunk, typeof encoding === 'function' ? undefined : encoding);
      if (typeof cb === 'function') process.nextTick(cb as Callback);
      return ok;
    },
    end(this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      if (state === 'finishing') return res;
      if (state !== 'buffering') return original.end.call(res, chunk, encoding, callback);
      const [data, enc, cb] = endArgs(chunk, encoding, callback);
      if (buffer(data, enc).streamed) return original.end.call(res, cb);
      state = 'finishing';
      void complete(cb);
      return res;
    },
    flushHeaders(this: ServerResponse) {
      // Headers wanted on the wire now (server-sent events, long polls): this page streams.
      if (state === 'finishing') return;
      if (state === 'buffering') streamThrough('abandon');
      original.flushHeaders.call(res);
    },
  };
  Object.assign(res, patched);
  res.on('close', onClose);
}

function endArgs(chunk: unknown, encoding: unknown, callback: unknown): [unknown, unknown, Callback | undefined] {
  if (typeof chunk === 'function') return [undefined, undefined, chunk as Callback];
  if (typeof encoding === 'function') return [chunk, undefined, encoding as Callback];
  return [chunk, encoding, typeof callback === 'function' ? (callback as Callback) : undefined];
}

// A copy: a stream may reuse its buffer once write() returned.
function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  throw new TypeError(message('res.write() takes a string, a Buffer or a Uint8Array'));
}
