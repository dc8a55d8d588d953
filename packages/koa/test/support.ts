import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

/** Listens on 127.0.0.1, port 0; returns the base URL and a close(). */
export async function listen(app: Koa): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
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
