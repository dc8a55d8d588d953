import type { ServerResponse } from 'node:http';
import type { PageResponse } from '../page/types.js';

/** The response methods a capture saved before patching, to write with. */
export interface ResponseMethods {
  writeHead: Method;
  write: Method;
  end: Method;
  flushHeaders: Method;
}

/** A response method with its overloads erased: the capture forwards arguments as it got them. */
export type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/**
 * Sends a page the core served (a hit, a 304) in one `writeHead` + `end`: headers that earlier
 * middleware set stay, the page's win. For responses nothing else will write.
 *
 * @example
 * ```ts
 * if (decision.action === 'serve') sendPage(res, decision.response)
 * ```
 */
export function sendPage(res: ServerResponse, page: PageResponse): void {
  // a reason phrase set upstream (Koa's ctx.status) belongs to another status: Node uses the page's standard one
  if (res.statusMessage) res.statusMessage = '';
  const raw = (page as { rawHeaders?: unknown }).rawHeaders;
  if (!Array.isArray(raw)) res.writeHead(page.status, page.headers);
  // a hit's prebuilt field list (ReadyResponse): taken by writeHead as it is when nothing was set before
  else if (res.getHeaderNames().length === 0) res.writeHead(page.status, raw as string[]);
  else {
    // Node 20 would setHeader each pair, so a repeated name kept only its last line: set over what middleware set, repeats appended
    setFields(res, raw as string[]);
    res.writeHead(page.status);
  }
  res.end(page.body.byteLength === 0 ? undefined : page.body);
}

/** Sets `[name, value, …]` on the response: a field replaces one set before, a repeated name (consecutive) adds a line. */
function setFields(res: ServerResponse, fields: readonly string[]): void {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] as string;
    if (i > 0 && fields[i - 2] === name) res.appendHeader(name, fields[i + 1] as string);
    else res.setHeader(name, fields[i + 1] as string);
  }
}

/**
 * Writes a page the core returned. With `replace`, headers the page does not have are removed
 * (the core dropped them); without, headers that earlier middleware set for this request stay.
 * `methods` is the response itself, or the methods a capture saved before it patched them.
 *
 * @example
 * ```ts
 * if (decision.action === 'serve') writePage(res, decision.response, res, { head: req.method === 'HEAD', replace: false })
 * ```
 */
export function writePage(
  res: ServerResponse,
  page: PageResponse,
  methods: { end: Method } | ServerResponse,
  options: { head: boolean; replace: boolean; callback?: (() => void) | undefined },
): void {
  if (res.statusCode !== page.status) {
    res.statusCode = page.status;
    // let Node use the standard reason phrase of the new status
    res.statusMessage = '';
  }
  if (options.replace) {
    for (const name of res.getHeaderNames()) if (!Object.hasOwn(page.headers, name)) res.removeHeader(name);
  }
  for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
  const body = options.head || page.body.byteLength === 0 ? undefined : page.body;
  (methods.end as Method).call(res, body, options.callback);
}
