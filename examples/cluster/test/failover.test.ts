import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  clusterMasters,
  have,
  promotedWithout,
  Servers,
  sentinelMaster,
  startCluster,
  startSentinels,
} from '../../../packages/redis/test/helpers/servers.js';
import { type Fleet, startFleet } from '../src/fleet.js';
import { cliAgainstFleet } from './cli.js';
import { outageUnderLoad } from './outage.js';
import { freePorts } from './ports.js';

// beside cluster.test.ts (which takes PORT..PORT+4), run in parallel with it
const PORT = Number(process.env.CACHETTE_EXAMPLE_CLUSTER_PORT ?? 18300) + 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const services = have('nginx') && have('redis-server') && have('redis-cli');

describe.skipIf(!services)('examples/cluster on a Redis Cluster: a master killed, its replica promoted, under load', () => {
  const servers = new Servers();
  let ports: number[] = [];
  let fleet: Fleet;
  beforeAll(async () => {
    ports = await freePorts(6, true);
    startCluster(servers, ports);
    const rootNodes = ports.slice(0, 3).map((port) => `redis://127.0.0.1:${port}`);
    fleet = await startFleet({ redisEnv: { REDIS_CLUSTER: rootNodes.join(',') }, port: PORT, workers: 4 });
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    servers.stop();
  }, 30_000);

  it('the cachette CLI against the fleet, given the cluster nodes: stats, purge by tag and by URL, clear', async () => {
    await cliAgainstFleet(fleet, [
      '--cluster',
      ports
        .slice(0, 3)
        .map((port) => `127.0.0.1:${port}`)
        .join(','),
    ]);
  }, 60_000);

  it('no failed request, nothing past its window, the purge kept, the shared tier back within 2 s of the promotion', async () => {
    // the master that holds the shop's tag marks: the purge's mark must survive its death
    const reply = execFileSync('redis-cli', ['-p', String(ports[0]), 'get', '{shop@1}'], { encoding: 'utf8' });
    const victim = Number(/MOVED \d+ [\d.]+:(\d+)/.exec(reply)?.[1] ?? ports[0]);
    const witness = clusterMasters(ports[0] as number).find((port) => port !== victim) as number;
    await outageUnderLoad(fleet, {
      label: 'cluster master killed',
      down: () => servers.kill(victim),
      up: async () => {
        while (!(await promotedWithout(witness, victim))) await sleep(50);
      },
    });
  }, 120_000);
});

describe.skipIf(!services || !have('redis-sentinel'))('examples/cluster on Sentinel: the master killed, a failover, under load', () => {
  const servers = new Servers();
  let layout: { master: number; replica: number; sentinels: number[]; name: string };
  let fleet: Fleet;
  beforeAll(async () => {
    const [master, replica, ...sentinels] = await freePorts(5);
    layout = { master: master as number, replica: replica as number, sentinels, name: 'shop' };
    startSentinels(servers, layout);
    const nodes = sentinels.map((port) => `127.0.0.1:${port}`).join(',');
    fleet = await startFleet({ redisEnv: { REDIS_SENTINEL: `${layout.name}@${nodes}` }, port: PORT, workers: 4 });
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    servers.stop();
  }, 30_000);

  it('no failed request, nothing past its window, the purge kept, the shared tier back within 2 s of the failover', async () => {
    await outageUnderLoad(fleet, {
      label: 'sentinel failover',
      down: () => servers.kill(layout.master),
      up: async () => {
        while (sentinelMaster(layout) !== layout.replica) await sleep(50);
      },
    });
  }, 120_000);
});
