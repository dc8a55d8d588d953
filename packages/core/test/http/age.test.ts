import { describe, expect, it } from 'vitest';
import { parseAge } from '../../src/http/age.js';

describe('parseAge (RFC 9111 §5.1)', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    ['0, 7200', 0],
    ['7200, 0', 7200],
    [' 12 ', 12],
    ['99999999999', 2_147_483_648],
    [', 5', 5],
    ['7200;foo=bar', 7200],
    ['7200 ;foo=111', 7200],
  ])('%j is %d: the first value of a list or of repeated lines', (value, age) => {
    expect(parseAge(value)).toBe(age);
  });

  it.each([[undefined], [''], ['abc'], ['-7200'], ['7200.0'], ['1e3'], ['+5'], [' , '], ['7200foo'], [';7200']])(
    '%j is ignored, as if absent',
    (value) => {
      expect(parseAge(value)).toBeUndefined();
    },
  );
});
