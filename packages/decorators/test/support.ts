/** A promise and the functions that settle it, to hold a method open while callers pile up. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
