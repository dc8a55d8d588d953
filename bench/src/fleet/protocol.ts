/** Whose bus carries the deletes: cachette's `redisBus` or bentocache's Redis bus. */
export type BusVariant = 'cachette' | 'bentocache';

/** What the bench's parent asks of a child process, one task at a time. */
export type Task =
  | { kind: 'stampede'; variant: 'cachette' | 'cachette+lock' | 'bentocache'; namespace: string; callers: number; delayMs: number }
  | { kind: 'bus-send'; variant: BusVariant; namespace: string; messages: number; gapMs: number }
  | { kind: 'bus-receive'; variant: BusVariant; namespace: string; messages: number }
  | {
      kind: 'zipf';
      variant: 'memory' | 'memory+redis' | 'memory+redis+bus' | 'memory+redis+bus+lock';
      namespace: string;
      requests: number;
      urls: number;
      seed: number;
      concurrency: number;
      maxEntries: number;
      delayMs: number;
    };

/** A child's answers: `ready` once connected (then it waits for `go`), then `done`. */
export type Reply =
  | { type: 'ready' }
  | { type: 'done'; loaderCalls?: number; answered?: number; sentAt?: number[]; receivedAt?: number[] }
  | { type: 'failed'; error: string };

/** Milliseconds on a clock that every process on this machine shares. */
export const wallNow = () => performance.timeOrigin + performance.now();
