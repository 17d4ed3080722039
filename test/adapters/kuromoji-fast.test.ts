import { join } from 'node:path';
import fc from 'fast-check';
import kuromoji from 'kuromoji';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Morpheme, morphemeWalker } from '../../lambdas/adapters/kuromoji-fast';
import { defaultDictionaryPath } from '../../lambdas/adapters/kuromoji-tokenizer';
import { datasetLines } from '../../local/cli/dataset';

/**
 * The morpheme walker must give exactly kuromoji's words: same surfaces, parts of speech, base
 * forms, readings, in the same order, for every input, including emoji, surrogate pairs, long runs
 * of one character class, unreachable words and mixed scripts.
 */
let tokenizer: kuromoji.Tokenizer<kuromoji.IpadicFeatures>;

beforeAll(async () => {
  tokenizer = await new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath: defaultDictionaryPath() }).build((err, t) => {
      if (err) reject(err);
      else resolve(t);
    });
  });
}, 60_000);

/** A kuromoji token as the morpheme walker reports it. */
const asMorpheme = (t: kuromoji.IpadicFeatures): Morpheme => ({
  surface: t.surface_form,
  pos: t.pos,
  posDetail1: t.pos_detail_1,
  posDetail2: t.pos_detail_2,
  posDetail3: t.pos_detail_3,
  basicForm: t.basic_form,
  reading: t.reading,
});

/** kuromoji's own words beside the walker's, for the same texts. */
const both = (texts: readonly string[]) => {
  const walk = morphemeWalker(tokenizer);
  const actual = texts.map((t) => {
    const found: Morpheme[] = [];
    walk(t, (m) => found.push(m));
    return found;
  });
  return { expected: texts.map((t) => tokenizer.tokenize(t).map(asMorpheme)), actual };
};

const DATASETS = join(__dirname, '../../../shared/datasets/dev');

describe('kuromoji morpheme walker', () => {
  it('tokenizes every dev comment exactly as kuromoji does', () => {
    const texts = ['municipal-synthetic.jsonl', 'seeded-pii.jsonl', 'inspection-ai-toxic.jsonl']
      .flatMap((f) => datasetLines(join(DATASETS, f)))
      .map((line) =>
        (JSON.parse(line) as { text: string }).text.toWellFormed().replaceAll('\u0000', '\uFFFD'),
      );
    const { expected, actual } = both(texts);
    expect(actual).toEqual(expected);
  }, 60_000);

  it('tokenizes generated text exactly as kuromoji does (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '留萌',
        '市役所',
        'ありがとう',
        'ｶﾀｶﾅ',
        'カタカナ',
        'ＡＢＣ',
        'abc',
        '123',
        '１２３',
        '。',
        '、',
        '！',
        ' ',
        '\n',
      ),
      fc.constantFrom(
        '😀',
        '🍆💦',
        '👨‍👩‍👧',
        '🇯🇵',
        '𠮷野家',
        'é',
        '\u200b',
        '〇',
        'ー',
        '〜',
        'ｗｗｗ',
      ),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('').toWellFormed().replaceAll('\u0000', '\uFFFD');
        const { expected, actual } = both([text, text.repeat(3)]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('handles long runs of one character class the same way', () => {
    const texts = [
      'あ'.repeat(300),
      'ア'.repeat(300),
      'a'.repeat(300),
      '1'.repeat(300),
      '😀'.repeat(100),
      '漢'.repeat(200),
    ];
    const { expected, actual } = both(texts);
    expect(actual).toEqual(expected);
  });

  it('reuses its lattice from a long sentence to a short one and back', () => {
    const texts = ['漢'.repeat(400), '留萌市', 'あ', '😀'.repeat(50), '市役所です。'];
    const { expected, actual } = both([...texts, ...texts.reverse()]);
    expect(actual).toEqual(expected);
  });
});
