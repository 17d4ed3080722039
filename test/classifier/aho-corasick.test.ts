import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAhoCorasick } from '../../lambdas/core/classifier/aho-corasick';

/** Every occurrence of every pattern, found the slow way: [pattern, start, end], sorted. */
const naive = (patterns: readonly string[], text: string): number[][] => {
  const found: number[][] = [];
  patterns.forEach((p, index) => {
    if (p.length === 0) return;
    for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + 1)) {
      found.push([index, at, at + p.length]);
    }
  });
  return found.sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0) || (a[0] ?? 0) - (b[0] ?? 0));
};

const scanned = (patterns: readonly string[], text: string): number[][] => {
  const found: number[][] = [];
  buildAhoCorasick(patterns).scan(text, (p, start, end) => found.push([p, start, end]));
  return found.sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0) || (a[0] ?? 0) - (b[0] ?? 0));
};

describe('Aho-Corasick word matcher', () => {
  it('finds exactly the occurrences a plain search finds, overlapping ones included (property)', () => {
    // A small alphabet so patterns overlap, share prefixes and suffixes and fail over often.
    const unit = fc.constantFrom('し', 'ね', '死', 'a', 'b', 'ｗ', '😀', '\uFFFF', '\u0000');
    const word = fc.array(unit, { maxLength: 5 }).map((u) => u.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 12 }),
        fc.array(unit, { maxLength: 40 }),
        (patterns, chars) => {
          const text = chars.join('');
          expect(scanned(patterns, text)).toEqual(naive(patterns, text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reports a word that is a suffix of another word met on the way (しね inside 死しね)', () => {
    expect(scanned(['死しねば', 'しね'], '死しねよ')).toEqual([[1, 1, 3]]);
  });
});
