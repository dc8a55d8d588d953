import { describe, expect, it } from 'vitest';
import { Deadlines, TimeoutSignal } from '../src/cache/timeout.js';
import { manualClock } from '../src/index.js';

const never = () => new Promise<never>(() => undefined);

describe('Deadlines: one timer per instant for a shared tier’s calls', () => {
  it('times out every call begun in one instant with one timer, after exactly its timeout', async () => {
    const clock = manualClock();
    const deadlines = new Deadlines(200, clock);
    const outcomes: string[] = [];
    let answer: (value: string) => void = () => undefined;
    const answered = new Promise<string>((resolve) => {
      answer = resolve;
    });
    const calls = [deadlines.race(never()), deadlines.race(answered), deadlines.race(never())].map((call, i) =>
      Promise.resolve(call).then(
        (value) => outcomes.push(`${i}:${value}`),
        (error: unknown) => outcomes.push(`${i}:${error instanceof TimeoutSignal ? `timeout ${error.ms}` : 'error'}`),
      ),
    );
    expect(clock.pendingTimers).toBe(1);
    answer('ok');
    await clock.advance(199);
    expect(outcomes).toEqual(['1:ok']);
    await clock.advance(1);
    await Promise.all(calls);
    expect(outcomes).toEqual(['1:ok', '0:timeout 200', '2:timeout 200']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clears the timer of an instant whose calls all settled once a later instant begins', async () => {
    const clock = manualClock();
    const deadlines = new Deadlines(1_000, clock);
    expect(await deadlines.race(Promise.resolve('a'))).toBe('a');
    expect(clock.pendingTimers).toBe(1); // the instant is still current: later calls may join it
    await clock.advance(1);
    expect(await deadlines.race(Promise.resolve('b'))).toBe('b');
    expect(clock.pendingTimers).toBe(1);
    const failing = deadlines.race(Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
  });

  it('passes values that are not promises through, and sets no timer without a timeout', () => {
    const clock = manualClock();
    expect(new Deadlines(100, clock).race(5)).toBe(5);
    void new Deadlines(0, clock).race(never());
    expect(clock.pendingTimers).toBe(0);
  });
});
