import { Readable } from 'node:stream';
import type { Context } from 'koa';

/** The body as Koa would send it: all its bytes, or — past the limit — a stream of all of them. */
export type ReadBody = { complete: true; body: Buffer; streamed?: boolean } | { complete: false; stream: Readable };

// Statuses whose body Koa drops (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
const EMPTY_STATUSES = new Set([204, 205, 304]);

/**
 * Reads `ctx.body` as Koa's `respond()` would serialise it. A stream is read into memory up
 * to `maxBytes`; past that, what was read and the rest are handed back as one stream.
 */
export async function readBody(ctx: Context, maxBytes: number): Promise<ReadBody> {
  const body: unknown = ctx.body;
  if (EMPTY_STATUSES.has(ctx.status) || body === null) return { complete: true, body: Buffer.alloc(0) };
  if (body === undefined) {
    // what Koa's respond() sends for a status without a body
    const text = Buffer.from(ctx.message || String(ctx.status));
    ctx.type = 'text';
    ctx.length = text.length;
    return { complete: true, body: text };
  }
  if (typeof body === 'string') return { complete: true, body: Buffer.from(body) };
  if (Buffer.isBuffer(body)) return { complete: true, body };
  const stream = toStream(body);
  if (stream !== undefined) return readStream(stream, maxBytes);
  // Koa serialises anything else as JSON (its body setter already set the type)
  return { complete: true, body: Buffer.from(JSON.stringify(body)) };
}

function toStream(body: unknown): Readable | undefined {
  if (body instanceof Blob) return Readable.from(body.stream());
  if (body instanceof ReadableStream) return Readable.from(body);
  if (body instanceof Response) return Readable.from(body.body ?? '');
  if (typeof (body as { pipe?: unknown }).pipe === 'function') return body as Readable;
  return undefined;
}

async function readStream(stream: Readable, maxBytes: number): Promise<ReadBody> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) return { complete: true, body: Buffer.concat(chunks, size), streamed: true };
    const chunk = toBuffer(value);
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) return { complete: false, stream: Readable.from(replay(chunks, iterator), { objectMode: false }) };
  }
}

async function* replay(head: Buffer[], rest: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  try {
    yield* head.splice(0);
    for (;;) {
      const { done, value } = await rest.next();
      if (done) return;
      yield toBuffer(value);
    }
  } finally {
    // the client left early: stop (and destroy) the source too
    await rest.return?.();
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('[cachette:koa] a response stream must yield strings, Buffers or Uint8Arrays');
}
