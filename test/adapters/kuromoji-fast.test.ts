import { join } from 'node:path';
import fc from 'fast-check';
import kuromoji from 'kuromoji';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accelerateKuromoji,
  type Morpheme,
  morphemeWalker,
} from '../../lambdas/adapters/kuromoji-fast';
import { defaultDictionaryPath } from '../../lambdas/adapters/kuromoji-tokenizer';
import { datasetLines } from '../../local/cli/dataset';

/**
 * The accelerated lattice builder and feature lookup must give exactly kuromoji's tokens: same
 * surfaces, positions, parts of speech, readings, for every input, including emoji, surrogate pairs,
 * long runs of one character class and mixed scripts.
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

/**
 * kuromoji's own tokens, then the accelerated ones, for the same texts; and kuromoji's own tokens
 * as morphemes beside what the morpheme walker (on the accelerated tokenizer) finds.
 */
const both = (texts: readonly string[]) => {
  const expected = texts.map((t) => tokenizer.tokenize(t));
  const restore = accelerateKuromoji(tokenizer);
  try {
    const walk = morphemeWalker(tokenizer);
    const walked = texts.map((t) => {
      const found: Morpheme[] = [];
      walk(t, (m) => found.push(m));
      return found;
    });
    const actual = texts.map((t) => tokenizer.tokenize(t));
    expect(walked).toEqual(expected.map((tokens) => tokens.map(asMorpheme)));
    return { expected, actual };
  } finally {
    restore();
  }
};

const DATASETS = join(__dirname, '../../../shared/datasets/dev');

describe('accelerated kuromoji', () => {
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

  it('puts kuromoji’s own lattice builder back when asked', () => {
    const builder = (tokenizer as unknown as { viterbi_builder: { build: unknown } })
      .viterbi_builder;
    const before = builder.build;
    const restore = accelerateKuromoji(tokenizer);
    expect(builder.build).not.toBe(before);
    restore();
    expect(builder.build).toBe(before);
  });
});
