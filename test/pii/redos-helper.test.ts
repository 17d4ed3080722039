import { describe, expect, it } from 'vitest';
import { assertNoReDoS } from '../support/redos';

describe('assertNoReDoS', () => {
  it('accepts a linear pattern', () => {
    assertNoReDoS([/\d{3}-\d{4}/u]);
  });

  it('rejects a pattern with exponential backtracking', () => {
    expect(() => assertNoReDoS([/^(a+)+$/])).toThrow();
  });
});
