import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floodSpan, isLetterAt, repeatSpan } from '../../lambdas/core/classifier/signals';
import { normalize } from '../../lambdas/core/text/normalize';

/** `repeatSpan`: a phrase said over and over, with other words around it. */
const repeated = (text: string) => repeatSpan(normalize(text).folded);

// Letters that fold to themselves, so a generated unit is exactly the unit the scan sees.
const letter = fc.constantFrom(
  ...'留萌夕日港海雪祭市民見拡散返事最高あいうえかきくけさしすせたちつてなにぬね',
);
const phrase = (min: number, max: number) =>
  fc
    .array(letter, { minLength: min, maxLength: max })
    .map((xs) => xs.join(''))
    .filter((u) => new Set(u).size >= 3 && !/^(.+)\1+$/u.test(u));
const filler = fc.array(letter, { maxLength: 6 }).map((xs) => xs.join(''));
const mark = fc.constantFrom('', '！', '。', ' ', '🙏');

describe('isLetterAt', () => {
  it('agrees with \\p{L}\\p{N} on every UTF-16 unit, alone and in a pair', () => {
    const letter = /[\p{L}\p{N}]/u;
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const unit = String.fromCharCode(c);
      if (isLetterAt(`x${unit}`, 1) !== letter.test(unit)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
    // A surrogate pair is judged unit by unit, as the scan reads it.
    expect(isLetterAt('𠮷', 0)).toBe(letter.test('𠮷'[0] ?? ''));
  });
});

describe('repeatSpan', () => {
  it('finds a short phrase said five times or a long one said three times, words around it or not', () => {
    fc.assert(
      fc.property(phrase(3, 20), filler, filler, mark, (unit, before, after, sep) => {
        const copies = unit.length < 8 ? 5 : 3;
        const text = `${before}${sep}${`${unit}${sep}`.repeat(copies)}${after}`;
        const span = repeated(text);
        expect(span, text).toBeDefined();
        // The span covers the repetition, in the original text.
        expect(text.slice(span?.start, span?.end), text).toContain(unit);
      }),
      { numRuns: 300, seed: 1416 },
    );
  });

  it('leaves a phrase said twice, a short cheer said three times, and ordinary sentences alone', () => {
    fc.assert(
      fc.property(phrase(3, 7), filler, mark, (unit, after, sep) => {
        expect(repeated(`${`${unit}${sep}`.repeat(3)}${after}`)).toBeUndefined();
        expect(repeated(`${unit}${sep}${unit}${sep}${after}`)).toBeUndefined();
      }),
      { numRuns: 300, seed: 1417 },
    );
    for (const text of [
      'かわいいかわいいかわいい',
      '頑張れ留萌高校！頑張れ留萌高校！頑張れ留萌高校！',
      '除雪まだですか？除雪まだですか？毎年遅い',
      '黄金岬の夕日、今年も見に行きました。本当にきれいでした。',
    ]) {
      expect(repeated(text), text).toBeUndefined();
    }
  });

  it('does not count a run of one or two characters (flooding finds those)', () => {
    expect(repeated('ああああああああああああああああ')).toBeUndefined();
    expect(repeated('888888888888888888')).toBeUndefined();
    expect(repeated('あいあいあいあいあいあいあいあい')).toBeUndefined();
  });
});

/** `floodSpan`'s `long`: a flood past what a cheer or a laugh is (the rule that hides asks for it). */
describe('floodSpan long', () => {
  const flood = (text: string) => floodSpan(normalize(text).folded);

  it('is not set for a cheer said four or five times, nor for a laugh or applause of about twenty', () => {
    for (const text of [
      'がんばれがんばれがんばれがんばれ！',
      'おめでとうおめでとうおめでとうおめでとう',
      'わーわーわーわーわーわーわーわー',
      'w'.repeat(20),
      '8'.repeat(16),
    ]) {
      const found = flood(text);
      expect(found, text).toBeDefined();
      expect(found?.long, text).toBe(false);
    }
  });

  it('is set for six copies of a unit, a run of one letter, and laughter past 24', () => {
    for (const text of [
      'テストテストテストテストテストテスト',
      'あ'.repeat(20),
      '雪'.repeat(15),
      'ｗ'.repeat(24),
    ]) {
      expect(flood(text)?.long, text).toBe(true);
    }
  });

  it('follows the number of copies for any unit of three to five letters', () => {
    fc.assert(
      fc.property(phrase(2, 5), fc.integer({ min: 4, max: 12 }), (unit, copies) => {
        const found = flood(unit.repeat(copies));
        expect(found).toBeDefined();
        expect(found?.long).toBe(copies >= 6 && unit.length * copies >= 18);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
