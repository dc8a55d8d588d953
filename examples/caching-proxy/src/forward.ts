import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { HOP_BY_HOP } from '@cachette/core/http';

/** What goes in `Via` (RFC 9110 §7.6.3): the protocol version and a pseudonym for this proxy. */
const VIA = '1.1 cachette';

/**
 * Header fields as they came over the wire (`rawHeaders`), repeats kept as arrays, less the
 * hop-by-hop fields and those `Connection` nominates (RFC 9110 §7.6.1). Node's parsed
 * `headers` object drops repeats of `Age`, `Expires`, `ETag`… — a proxy must pass them on as
 * they are, and let the cache decide what a repeated field means.
 *
 * @example
 * endToEnd(['Connection', 'x-a', 'X-A', '1', 'Age', '1', 'Age', '2']) // { age: ['1', '2'] }
 */
export function endToEnd(raw: readonly string[]): Record<string, string | string[]> {
  const drop = new Set(HOP_BY_HOP);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== 'connection') continue;
    for (const name of (raw[i + 1] as string).split(',')) drop.add(name.trim().toLowerCase());
  }
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (drop.has(name)) continue;
    const previous = out[name];
    out[name] = previous === undefined ? value : [previous, value].flat();
  }
  return out;
}

// The page cache revalidates through `req.headers`: its validators replace the client's conditionals there, not in rawHeaders.
const CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];

/** The request's end-to-end fields as they came, its conditionals as the page cache left them in `req.headers`. */
function requestFields(req: IncomingMessage): Record<string, string | string[]> {
  const fields = endToEnd(req.rawHeaders);
  for (const name of CONDITIONALS) {
    const value = req.headers[name];
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return fields;
}

function withVia(headers: Record<string, string | string[]>): OutgoingHttpHeaders {
  const via = headers.via;
  return { ...headers, via: via === undefined ? VIA : [via, VIA].flat().join(', ') };
}

/**
 * An Express handler that forwards every request to `origin` (an `http://host:port` URL) and
 * streams the origin's response back: same method, path and query, end-to-end headers (the
 * client's `Host` kept, as Varnish and Squid do), the request body streamed up and the
 * response body streamed down. An origin that cannot be reached is a `502`.
 *
 * @example
 * ```ts
 * app.use(cachette({ cache, ttl: '1d' }))
 * app.use(forwardTo('http://127.0.0.1:8000'))
 * ```
 */
export function forwardTo(origin: string): (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => void {
  const target = new URL(origin);
  if (target.protocol !== 'http:') throw new Error(`[cachette:caching-proxy] origin must be an http:// URL, not ${JSON.stringify(origin)}`);
  return function forward(req, res) {
    let answered: IncomingMessage | undefined;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port === '' ? 80 : Number(target.port),
        method: req.method,
        path: req.originalUrl ?? req.url,
        headers: withVia(requestFields(req)),
        agent: false,
      },
      (answer) => {
        answered = answer;
        const headers = withVia(endToEnd(answer.rawHeaders));
        if (answer.statusMessage) res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        else res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    // RFC 9110 §15.2: a proxy forwards 1xx responses (they go out at once, never into the cache).
    upstream.on('information', (info) => {
      if (info.statusCode === 102) res.writeProcessing();
      else if (info.statusCode === 103) res.writeEarlyHints(endToEnd(info.rawHeaders));
    });
    upstream.on('error', () => {
      // Bytes past a complete response (a Content-Length shorter than the body): what came is passed on.
      if (answered?.complete) return;
      if (answered) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway: the origin could not be reached\n');
    });
    // The client left: stop asking the origin.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
