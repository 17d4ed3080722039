import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { defaultModelDir, loadTextModel } from '../../lambdas/adapters/text-model';
import { commentTokens } from '../../lambdas/core/analyze';
import {
  decodeModel,
  encodeWeights,
  HEADS,
  ModelFormatError,
  type ModelHeader,
  scoreBuckets,
  scoreText,
} from '../../lambdas/core/classifier/model';
import { featureBuckets, modelWords, wordsOf } from '../../lambdas/core/classifier/model-features';
import { normalize } from '../../lambdas/core/text/normalize';

const tokenizer = await loadTokenizer();

const SPEC = { view: 'folded' as const, minN: 1, maxN: 3, bucketsLog2: 10, maxChars: 200 };

const header = (heads: number, sha = '0'.repeat(64)): ModelHeader => ({
  name: 'test-model',
  version: '1.0',
  features: SPEC,
  heads: HEADS.slice(0, heads),
  scales: Array.from({ length: heads }, () => 0.01),
  bias: Array.from({ length: heads }, () => 0),
  weights: { file: 'weights.bin', sha256: sha },
});

/** Sparse weights: distinct ascending buckets below 2^10, one int8 per head. */
const sparseWeights = (heads: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { maxLength: 60 }).chain((buckets) =>
    fc
      .array(fc.integer({ min: -127, max: 127 }), {
        minLength: buckets.length * heads,
        maxLength: buckets.length * heads,
      })
      .map((rows) => ({
        buckets: Uint32Array.from([...buckets].sort((a, b) => a - b)),
        rows: Int8Array.from(rows),
      })),
  );

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('learned model: features', () => {
  it('gives distinct ascending buckets within range, and reads no further than maxChars', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const buckets = featureBuckets(text, SPEC);
        for (let i = 1; i < buckets.length; i++) {
          expect(buckets[i]).toBeGreaterThan(buckets[i - 1] ?? -1);
        }
        for (const b of buckets) expect(b).toBeLessThan(1024);
        expect(featureBuckets(text, SPEC)).toEqual(buckets);
        expect(featureBuckets(text.slice(0, SPEC.maxChars), SPEC)).toEqual(buckets);
      }),
      { numRuns: 200 },
    );
  });

  it('sees an evasion the normaliser undoes as the plain word', () => {
    const plain = featureBuckets(normalize('しね').folded.text, SPEC);
    expect(featureBuckets(normalize('シネ').folded.text, SPEC)).toEqual(plain);
    expect(featureBuckets(normalize('ｼﾈ').folded.text, SPEC)).toEqual(plain);
  });
});

describe('learned model: weights file', () => {
  it('decodes what it encodes, bucket by bucket (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), (heads) => {
        fc.assert(
          fc.property(sparseWeights(heads), (sparse) => {
            const model = decodeModel(header(heads), encodeWeights(sparse));
            sparse.buckets.forEach((bucket, i) => {
              for (let h = 0; h < heads; h++) {
                expect(model.quantized[bucket * heads + h]).toBe(sparse.rows[i * heads + h]);
              }
            });
            const nonZero = model.quantized.filter((q) => q !== 0).length;
            expect(nonZero).toBe(sparse.rows.filter((q) => q !== 0).length);
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 4 },
    );
  });

  it('refuses a truncated file, a size that does not fit the heads, unsorted or out-of-range buckets', () => {
    const good = encodeWeights({ buckets: Uint32Array.from([3, 9]), rows: Int8Array.from([1, 2]) });
    expect(() => decodeModel(header(1), good)).not.toThrow();
    expect(() => decodeModel(header(1), good.subarray(0, 3))).toThrow(ModelFormatError);
    expect(() => decodeModel(header(1), good.subarray(0, good.length - 1))).toThrow(
      ModelFormatError,
    );
    expect(() => decodeModel(header(2), good)).toThrow(ModelFormatError);
    const unsorted = encodeWeights({
      buckets: Uint32Array.from([9, 3]),
      rows: Int8Array.from([1, 2]),
    });
    expect(() => decodeModel(header(1), unsorted)).toThrow(ModelFormatError);
    const outside = encodeWeights({
      buckets: Uint32Array.from([3, 1024]),
      rows: Int8Array.from([1, 2]),
    });
    expect(() => decodeModel(header(1), outside)).toThrow(ModelFormatError);
    expect(() => decodeModel({ ...header(1), scales: [] }, good)).toThrow(ModelFormatError);
    expect(() => decodeModel({ ...header(1), heads: ['nope'] }, good)).toThrow(ModelFormatError);
  });

  it('scores a text as its distinct buckets would be scored, whatever was scored before', () => {
    const model = loadTextModel();
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 120 }), { minLength: 1, maxLength: 4 }),
        (texts) => {
          for (const text of texts) {
            const folded = normalize(text).folded.text;
            const words = wordsOf(commentTokens(text, tokenizer));
            expect(scoreText(model, folded, words)).toEqual(
              scoreBuckets(model, featureBuckets(folded, model.features, words)),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('scores every head between 0 and 1, the same way every time', () => {
    const model = loadTextModel();
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const folded = normalize(text).folded.text;
        const words = wordsOf(commentTokens(text, tokenizer));
        const scores = scoreText(model, folded, words);
        expect(Object.keys(scores).sort()).toEqual([...model.heads].sort());
        for (const score of Object.values(scores)) {
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
        }
        expect(scoreText(model, folded, wordsOf(commentTokens(text, tokenizer)))).toEqual(scores);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the dictionary forms of the words only when its spec says so', () => {
    const text = '殴ってやる';
    const folded = normalize(text).folded.text;
    const words = wordsOf(commentTokens(text, tokenizer));
    // kuromoji's dictionary form, folded: 殴っ reads 殴る.
    expect(words).toContain('殴る');
    expect(wordsOf(commentTokens('ゴミ、ＳＰＡＭ!', tokenizer))).toEqual(['ごみ', 'spam']);
    const chars = featureBuckets(folded, SPEC, words);
    expect(chars).toEqual(featureBuckets(folded, SPEC));
    const both = featureBuckets(folded, { ...SPEC, words: 'kuromoji-base' }, words);
    expect(both.length).toBeGreaterThan(chars.length);
    for (const bucket of chars) expect(both).toContain(bucket);
    // Kana and Latin only: no words, and no analysis run for them.
    let analysed = 0;
    const count = (t: string) => () => {
      analysed++;
      return commentTokens(t, tokenizer);
    };
    expect(modelWords('ころしてやる www', count('ころしてやる www'))).toEqual([]);
    expect(analysed).toBe(0);
    expect(modelWords('殴ってやる', count('殴ってやる'))).toEqual(words);
    expect(modelWords('ｺﾛｽ', count('ｺﾛｽ')).length).toBeGreaterThan(0);
    expect(analysed).toBe(2);
    // A model that reads words refuses to score without them rather than score something else.
    const model = loadTextModel();
    expect(model.features.words).toBe('kuromoji-base');
    expect(() => scoreText(model, folded)).toThrow(ModelFormatError);
  });
});

describe('learned model: the committed files', () => {
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'text-model-'));
    dirs.push(dir);
    // Dereferenced: the copies are altered, never what they were copied from.
    cpSync(defaultModelDir(), dir, { recursive: true, dereference: true });
    return dir;
  };

  it('loads with the manifest’s SHA-256 and one head per category plus `any`', () => {
    const model = loadTextModel();
    expect(model.heads).toEqual([...HEADS]);
    expect(model.name).toMatch(/\S/);
    expect(model.version).toMatch(/\S/);
  });

  it('fails at load when the weights were altered or the manifest points outside its folder', () => {
    const altered = copy();
    const bytes = readFileSync(join(altered, 'weights.bin'));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(join(altered, 'weights.bin'), bytes);
    expect(() => loadTextModel(altered)).toThrow(ModelFormatError);

    const escaping = copy();
    const manifest = JSON.parse(readFileSync(join(escaping, 'manifest.json'), 'utf8'));
    manifest.weights.file = '../weights.bin';
    writeFileSync(join(escaping, 'manifest.json'), JSON.stringify(manifest));
    expect(() => loadTextModel(escaping)).toThrow(ModelFormatError);
  });
});
