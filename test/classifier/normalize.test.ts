import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toOriginal } from '../../lambdas/core/text/mapped-text';
import { MASK, normalize } from '../../lambdas/core/text/normalize';

const compact = (text: string): string => normalize(text).compact.text;
const folded = (text: string): string => normalize(text).folded.text;

/** Strings that mix the scripts and tricks comments use, so properties see more than ASCII. */
const commentLike = fc.array(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom(
      'し',
      'ね',
      'シ',
      'ネ',
      'ｼ',
      'ﾈ',
      'ﾞ',
      'ｶ',
      'パ',
      'ハ\u309a',
      '氏',
      '4',
      '死',
      '.',
      ' ',
      '\u200b',
      '\u200d',
      '\ufe0f',
      '\u0301',
      'а',
      'о',
      'ｂ',
      '◯',
      '🔪',
      'ぶっ',
      'す',
      'hxxp://',
      '[.]',
      'ドット',
      'com',
      '力',
      'オン',
      'ジノ',
      'ｗ',
      '💩',
    ),
  ),
  { maxLength: 20 },
);
const anyText = fc.oneof(
  commentLike.map((parts) => parts.join('')),
  fc.string({ unit: 'binary' }),
);

describe('normalize: evasions fold onto the plain form', () => {
  it.each([
    ['し ね', 'しね'],
    ['死.ね.よ', '死ねよ'],
    ['ｼﾈ', 'しね'],
    ['シネ', 'しね'],
    ['氏ねばいいのに', 'しねばいいのに'],
    ['4ねばいいのに', 'しねばいいのに'],
    ['ぶっ🔪す', 'ぶっころす'],
    ['ｂｉｔｃｏｉｎ', 'bitcoin'],
    ['F O L L O W  M E', 'followme'],
    ['在\u200b宅\u200bワーク', 'ざいたくわーく'.replace('ざいたく', '在宅')],
    ['ｗｗｗｗｗｗ', 'w'],
    ['オン力ジノ', 'おんかじの'],
    ['café', 'cafe'],
  ])('%s → %s', (input, expected) => {
    expect(compact(input)).toBe(expected);
  });

  it('folds Cyrillic and Greek look-alikes to Latin', () => {
    expect(folded('city-rumоi-lg.jp')).toBe('city-rumoi-lg.jp');
    expect(folded('аmаzοn')).toBe('amazon');
  });

  it('keeps voiced marks: パ never becomes ハ', () => {
    expect(compact('パ')).toBe('ぱ');
    expect(compact('ﾊﾟ')).toBe('ぱ');
    expect(compact('ハ\u309a')).toBe('ぱ');
    expect(compact('ｶﾞｲｼﾞﾝ')).toBe('がいじん');
  });

  it('marks masked letters instead of dropping them', () => {
    expect(compact('セ◯レ')).toBe(`せ${MASK}れ`);
  });

  it('repairs obfuscated links in the folded view', () => {
    expect(folded('hxxps://shock-img[.]xyz/r')).toBe('https://shock-img.xyz/r');
    expect(folded('nishin-map ドット com/app.apk')).toBe('nishin-map.com/app.apk');
    expect(folded('ｈｔｔｐｓ：／／verify.net')).toBe('https://verify.net');
  });

  it('maps a compact match back to the characters the person typed', () => {
    const text = '担当者、4ねばいいのに';
    const { compact: view } = normalize(text);
    const at = view.text.indexOf('しね');
    const span = toOriginal(view, at, at + 2);
    expect(text.slice(span.start, span.end)).toBe('4ね');
  });
});

describe('normalize: properties', () => {
  it('never throws and every view maps inside the original', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const views = normalize(text);
        for (const view of [views.folded, views.compact]) {
          expect(view.starts.length).toBe(view.text.length);
          for (let i = 0; i < view.text.length; i++) {
            const s = view.starts[i] ?? -1;
            const e = view.ends[i] ?? -1;
            expect(s).toBeGreaterThanOrEqual(0);
            expect(e).toBeLessThanOrEqual(text.length);
            expect(s).toBeLessThanOrEqual(e);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('stays idempotent when a separator kept ドット apart from a letter (found by the property)', () => {
    const once = compact('𝐀.ドットhxxp://');
    expect(compact(once)).toBe(once);
  });

  it('stays idempotent when a lone voiced mark kept ドット apart from a link (found by the property)', () => {
    const once = compact('hxxp://ﾞドットhxxp://');
    expect(compact(once)).toBe(once);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = compact(text);
        expect(compact(once)).toBe(once);
        const f = folded(text);
        expect(folded(f)).toBe(f);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps offsets monotonic, so evidence spans are well ordered', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { compact: view } = normalize(text);
        for (let i = 1; i < view.text.length; i++) {
          expect(view.starts[i] ?? 0).toBeGreaterThanOrEqual(view.starts[i - 1] ?? 0);
        }
      }),
      { numRuns: 800 },
    );
  });
});
