import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOLDS, foldOf, parseFolds } from '../../local/cli/folds';

describe('foldOf', () => {
  it('puts every id in one fold from 0 to 4, the same one every time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (id) => {
        const fold = foldOf(id);
        expect(Number.isInteger(fold)).toBe(true);
        expect(fold).toBeGreaterThanOrEqual(0);
        expect(fold).toBeLessThan(FOLDS);
        expect(foldOf(id)).toBe(fold);
      }),
    );
  });

  it('follows SHA-256 of the id (first four bytes, big-endian, mod 5)', () => {
    // sha256("a") = ca978112…: 0xca978112 = 3398926610, mod 5 = 0; sha256("b") = 3e23e816…: 1042540566 mod 5 = 1
    expect(foldOf('a')).toBe(0xca978112 % 5);
    expect(foldOf('b')).toBe(0x3e23e816 % 5);
  });

  it('spreads ids about evenly', () => {
    const counts = new Array<number>(FOLDS).fill(0);
    for (let i = 0; i < 5000; i++)
      counts[foldOf(`row-${i}`)] = (counts[foldOf(`row-${i}`)] ?? 0) + 1;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});

describe('parseFolds', () => {
  it('reads single folds, ranges and lists', () => {
    expect([...parseFolds('0')]).toEqual([0]);
    expect([...parseFolds('1-4')]).toEqual([1, 2, 3, 4]);
    expect([...parseFolds('1,3')]).toEqual([1, 3]);
  });

  it('rejects what is not a fold', () => {
    for (const bad of ['5', '-1', '4-1', 'x', '', '1-', '0..4']) {
      expect(() => parseFolds(bad)).toThrow(/--fold/);
    }
  });
});
