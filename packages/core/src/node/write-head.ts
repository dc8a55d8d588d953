import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The arguments of `res.writeHead(status, [statusMessage], [headers])`. */
export type WriteHeadArgs = [number, (string | OutgoingHttpHeaders | HeaderList)?, (OutgoingHttpHeaders | HeaderList)?];
type HeaderList = readonly (string | readonly string[])[];

/**
 * Applies what a `writeHead` call says to the response object, as Node would merge it,
 * without sending anything: status, reason phrase, then its headers over the ones set so far.
 *
 * @example
 * ```ts
 * applyWriteHead(res, [201, 'Made', { 'content-type': 'text/plain' }]) // res.statusCode === 201, nothing sent
 * ```
 */
export function applyWriteHead(res: ServerResponse, args: WriteHeadArgs): void {
  const [status, reasonOrHeaders, maybeHeaders] = args;
  res.statusCode = status;
  let headers = maybeHeaders;
  if (typeof reasonOrHeaders === 'string') res.statusMessage = reasonOrHeaders;
  // As Node: `writeHead(status, undefined, headers)` keeps the headers (obj ??= reason).
  else headers = maybeHeaders ?? reasonOrHeaders;
  if (headers === undefined) return;
  if (!Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) res.setHeader(name, value);
    }
    return;
  }
  // Node accepts a flat [name, value, …] list or a list of [name, value] pairs; repeats add up.
  const pairs: [string, string][] = Array.isArray(headers[0])
    ? (headers as (readonly string[])[]).map(([name, value]) => [String(name), String(value)])
    : chunkPairs(headers as readonly string[]);
  const seen = new Set<string>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (seen.has(key)) res.appendHeader(name, value);
    else res.setHeader(name, value);
    seen.add(key);
  }
}

function chunkPairs(flat: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), String(flat[i + 1])]);
  return pairs;
}
