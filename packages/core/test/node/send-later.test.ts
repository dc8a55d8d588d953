import { createServer, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sendPageLater } from '../../src/node.js';
import { ReadyResponse } from '../../src/page/ready-page.js';
import { listenOn, resetCode } from './support.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const FIELDS = ['content-type', 'text/plain', 'content-length', '3', 'age', '3'] as const;
const hit = () => new ReadyResponse(200, [...FIELDS], new TextEncoder().encode('hit'));

/** A server whose handler queues `page` with sendPageLater, then runs `after` on the response (as code upstream would). */
async function serve(after: (res: ServerResponse) => void, page = hit()) {
  const server = await listenOn(
    createServer((_req, res) => {
      sendPageLater(res, page);
      after(res);
    }),
  );
  close = server.close;
  return server.url;
}

describe('sendPageLater (issue 7)', () => {
  it('sends the page after the handler returned: headers set in between go out, the page’s win, the page is not changed', async () => {
    const page = hit();
    const url = await serve((res) => {
      res.setHeader('x-after', 'yes');
      res.setHeader('content-type', 'text/html');
      res.statusCode = 404;
    }, page);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-after')).toBe('yes');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('hit');
    expect(page.rawHeaders).toEqual(FIELDS);
  });

  it('sends nothing over a response already written', async () => {
    const url = await serve((res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('busy'));
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('busy');
  });

  it('sends nothing to a client gone before the page went out, and the next ones are answered', async () => {
    let first = true;
    const url = await serve((res) => {
      if (first) res.socket?.destroy();
      first = false;
    });
    expect(await resetCode(url)).toBe('ECONNRESET');
    const answers = await Promise.all([fetch(url), fetch(url), fetch(url)]);
    expect(await Promise.all(answers.map((a) => a.text()))).toEqual(['hit', 'hit', 'hit']);
  });

  it('destroys a response whose headers Node refuses, and the process goes on', async () => {
    const url = await serve(() => undefined, new ReadyResponse(200, ['x-bad', 'a\nb'], new TextEncoder().encode('hit')));
    expect(await resetCode(url)).toBe('ECONNRESET');
  });
});
