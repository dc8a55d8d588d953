import { createServer } from 'node:net';

/** A port the kernel says is free now (and, for a cluster node, its bus port +10000 too). */
async function freePort(withBus = false): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (!withBus) return port;
    if (port + 10_000 <= 65_535 && (await listenOnce(port + 10_000).catch(() => 0)) !== 0) return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: taken } = server.address() as { port: number };
      server.close(() => resolve(taken));
    });
  });
}

export async function freePorts(count: number, withBus = false): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort(withBus);
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}
