import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

/**
 * The node:cluster primary: forks one worker per port of `WORKER_PORTS` (each listens on its
 * own port, nginx balances between them), and reports on stdout when one exits — a worker
 * restart is something an operator must see.
 */
const ports = String(process.env.WORKER_PORTS ?? '')
  .split(',')
  .filter(Boolean)
  .map(Number);
cluster.setupPrimary({ exec: fileURLToPath(new URL('./worker.ts', import.meta.url)) });
for (const port of ports) cluster.fork({ WORKER_PORT: String(port) });
let stopping = false;
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) console.log(`worker ${worker.process.pid} exited (${signal ?? code})`);
});
process.once('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  cluster.disconnect(() => process.exit(0));
});
