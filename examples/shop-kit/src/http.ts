import { type IncomingHttpHeaders, request } from 'node:http';

/** What {@link send} resolves to: the status, the headers as Node parsed them, the body as text. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One request over real HTTP with node:http, for the examples' and docs' tests. Not fetch: fetch
 * adds `Cache-Control: no-cache` to a conditional request, and pools connections.
 *
 * @example
 * ```ts
 * const hit = await send(`${base}/products/1`, { headers: { 'accept-language': 'fr' } });
 * ```
 */
export function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
