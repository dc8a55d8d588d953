/**
 * One autocannon run against one URL. autocannon's own latency histogram keeps whole
 * milliseconds; this also keeps every response's time (ms, from process.hrtime) for p50/p99
 * with sub-millisecond resolution.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** Paths asked in turn, across all connections (several pages); default: the URL's own path only. */
  paths?: readonly string[];
}

export interface LoadRun {
  requests: number;
  /** Seconds, as autocannon measured the run. */
  durationS: number;
  rps: number;
  /** Every 2xx response's latency, ms. */
  latenciesMs: number[];
  /** Response bytes (headers and body) per response. */
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export function runLoad(url: string, options: LoadOptions): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const paths = options.paths;
    let next = 0;
    const requests =
      paths === undefined || paths.length < 2
        ? undefined
        : [
            {
              setupRequest: (request: autocannon.Request) => {
                request.path = paths[next] as string;
                next = next + 1 === paths.length ? 0 : next + 1;
                return request;
              },
            },
          ];
    const instance = autocannon(
      { url, connections: options.connections, duration: options.durationS, pipelining: 1, timeout: 10, ...(requests ? { requests } : {}) },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const requests = result.requests.total;
        resolve({
          requests,
          durationS: result.duration,
          rps: requests / result.duration,
          latenciesMs,
          bytesPerResponse: requests > 0 ? result.throughput.total / requests : 0,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTime);
    });
  });
}

/** The q-quantile (0..1) of `values`, ms; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
