import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';

describe('quickstart demo', () => {
  it('shows a miss, a hit, a stale hit, the refreshed value and a purge', async () => {
    const steps = await runDemo();
    expect(steps.map((s) => (s.value as { version: number }).version)).toEqual([1, 1, 1, 2, 3]);
  });
});
