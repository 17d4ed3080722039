import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identity, rewrite, toOriginal } from '../lambdas/core/text/mapped-text';

describe('MappedText', () => {
  it('composes ｶﾞ into ガ and maps it back to both original units', () => {
    const mapped = rewrite(identity('aｶﾞb'), (c) => c.normalize('NFKC'));
    expect(mapped.text).toBe('aガb');
    expect(toOriginal(mapped, 1, 2)).toEqual({ start: 1, end: 3 });
    expect(toOriginal(mapped, 2, 3)).toEqual({ start: 3, end: 4 });
  });

  it('maps across dropped characters', () => {
    const mapped = rewrite(identity('し\u200bね'), (c) => (c === '\u200b' ? '' : c));
    expect(mapped.text).toBe('しね');
    expect(toOriginal(mapped, 0, 2)).toEqual({ start: 0, end: 3 });
  });

  it('keeps every mapped range inside the original text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), fc.nat(), (s, a, b) => {
        const mapped = rewrite(
          rewrite(identity(s), (c) => c.normalize('NFKC')),
          (c) => (c === ' ' ? '' : c.toLowerCase()),
        );
        const { start, end } = toOriginal(mapped, Math.min(a, b), Math.max(a, b));
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(s.length);
        expect(start).toBeLessThanOrEqual(end);
      }),
      { numRuns: 2000 },
    );
  });
});
