import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffBound, fullJitterDelay } from '../../lambdas/core/act/backoff';

describe('full-jitter backoff', () => {
  it('every delay lies in [0, min(cap, base·2ⁿ)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (base, cap, n, r) => {
          const delay = fullJitterDelay({ baseSeconds: base, capSeconds: cap }, n, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(cap, base * 2 ** n));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('covers the whole interval: 0 at the bottom, the bound at the top', () => {
    const config = { baseSeconds: 2, capSeconds: 300 };
    expect(fullJitterDelay(config, 3, () => 0)).toBe(0);
    expect(fullJitterDelay(config, 3, () => 0.999_999)).toBe(16);
    expect(backoffBound(config, 0)).toBe(2);
    expect(backoffBound(config, 4)).toBe(32);
    expect(backoffBound(config, 8)).toBe(300);
    expect(backoffBound(config, 5000)).toBe(300);
  });

  it('a misbehaving random source cannot leave the interval', () => {
    const config = { baseSeconds: 2, capSeconds: 300 };
    for (const r of [-1, 1, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = fullJitterDelay(config, 2, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(8);
    }
  });
});
