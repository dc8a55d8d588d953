import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageCapture, PageResponse } from '@cachette/core';

/** Listens on 127.0.0.1, port 0; returns the base URL and a close(). */
export async function listen(server: Server): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A PageCapture that records what the adapter did with it. */
export function fakeCapture(maxBodyBytes: number, answer?: (response: PageResponse) => PageResponse) {
  const calls = { finish: [] as PageResponse[], overflow: 0, fail: [] as unknown[] };
  const capture: PageCapture = {
    maxBodyBytes,
    async finish(response) {
      calls.finish.push(response);
      return answer ? answer(response) : response;
    },
    overflow() {
      calls.overflow++;
    },
    async fail(error) {
      calls.fail.push(error);
      return undefined;
    },
  };
  return { capture, calls };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
