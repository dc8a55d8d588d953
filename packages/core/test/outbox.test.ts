import { describe, expect, it } from 'vitest';
import { manualClock, Outbox } from '../src/index.js';

/** A send that fails while `down` is true, recording what went through, in order. */
function channel() {
  const sent: number[] = [];
  const late: number[] = [];
  const state = { down: true, calls: 0 };
  const clock = manualClock();
  const outbox = new Outbox<number>(
    async (item) => {
      state.calls++;
      if (state.down) throw new Error('down');
      sent.push(item);
    },
    { sent: (item) => late.push(item), clock },
  );
  return { outbox, sent, late, state, clock };
}

describe('Outbox: what could not be sent, sent again in order', () => {
  it('keeps items while sending fails, then sends them in order on flush and says which went through', async () => {
    const { outbox, sent, late, state } = channel();
    outbox.push(1);
    outbox.push(2);
    outbox.push(3);
    await outbox.flush();
    expect(sent).toEqual([]);
    expect(outbox.size).toBe(3);
    state.down = false;
    await outbox.flush();
    expect(sent).toEqual([1, 2, 3]);
    expect(late).toEqual([1, 2, 3]);
    expect(outbox.size).toBe(0);
  });

  it('stops at the first failure: nothing behind it goes first', async () => {
    const { outbox, sent, state } = channel();
    outbox.push(1);
    outbox.push(2);
    await outbox.flush();
    const callsWhileDown = state.calls;
    // one attempt per flush while down: the head fails, the rest wait behind it
    await outbox.flush();
    expect(state.calls).toBe(callsWhileDown + 1);
    state.down = false;
    outbox.push(3);
    await outbox.flush();
    expect(sent).toEqual([1, 2, 3]);
  });

  it('tries again by itself every 100 ms of its clock while items wait', async () => {
    const { outbox, sent, state, clock } = channel();
    outbox.push(1);
    await outbox.flush();
    const calls = state.calls;
    await clock.advance(99);
    expect(state.calls).toBe(calls);
    await clock.advance(1);
    expect(state.calls).toBe(calls + 1); // tried again, failed again: the next try is 100 ms on
    state.down = false;
    await clock.advance(100);
    expect(sent).toEqual([1]);
    await clock.advance(1_000);
    expect(state.calls).toBe(calls + 2); // nothing waits: no more tries
  });

  it('keeps at most 10,000, dropping the oldest and counting them; close forgets what waits', async () => {
    const { outbox, sent, state } = channel();
    for (let i = 0; i < 10_005; i++) outbox.push(i);
    expect(outbox.size).toBe(10_000);
    expect(outbox.dropped).toBe(5);
    outbox.close();
    expect(outbox.size).toBe(0);
    state.down = false;
    outbox.push(1);
    await outbox.flush();
    expect(sent).toEqual([]);
  });
});
