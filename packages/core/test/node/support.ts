import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageCapture, PageResponse } from '../../src/pages.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Listens on 127.0.0.1, port 0 (unless already listening); returns the base URL and a close(). Shared by the adapters' tests. */
export async function listenOn(
  server: Server,
): Promise<{ url: string; port: number; connections: () => Promise<number>; close: () => Promise<void> }> {
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A bare Node server answering with `handler` (a throw destroys the response), listening as {@link listenOn}. */
export function listen(handler: Handler): ReturnType<typeof listenOn> {
  return listenOn(
    createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch(() => res.destroy());
    }),
  );
}

/** A PageCapture that records what the adapter did with it. */
export function fakeCapture(maxBodyBytes: number, answer?: (response: PageResponse) => PageResponse) {
  const calls = { finish: [] as PageResponse[], overflow: 0, abandon: 0, fail: [] as unknown[] };
  const capture: PageCapture = {
    maxBodyBytes,
    async finish(response) {
      calls.finish.push(response);
      return answer ? answer(response) : response;
    },
    overflow() {
      calls.overflow++;
    },
    abandon() {
      calls.abandon++;
    },
    async fail(error) {
      calls.fail.push(error);
      return undefined;
    },
  };
  return { capture, calls };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
