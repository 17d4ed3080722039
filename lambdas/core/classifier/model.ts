import { z } from 'zod';
import { CATEGORY_IDS } from '../contracts/decision';
import { type FeatureSpec, visitBuckets } from './model-features';

/**
 * The learned second opinion: a logistic regression over hashed character n-grams with one head for
 * "breaks the policy" (`any`) and one per article 6 category. Pure: the weights arrive as bytes
 * (the adapter reads them, training writes them), decoding and scoring do no I/O.
 *
 * Weights file, little-endian: u32 count, `count` ascending u32 buckets, then `count` rows of one
 * int8 per head. A head's real weight is `int8 * scale`; buckets absent from the file weigh 0.
 */

const HEADS = ['any', ...CATEGORY_IDS] as const;
type Head = (typeof HEADS)[number];

const featureSpecSchema = z.object({
  view: z.literal('folded'),
  minN: z.number().int().min(1).max(8),
  maxN: z.number().int().min(1).max(8),
  bucketsLog2: z.number().int().min(8).max(24),
  maxChars: z.number().int().positive(),
  words: z.literal('kuromoji-base').optional(),
});

/** What inference needs from the manifest; the rest of the manifest documents the training. */
const modelHeaderSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
  version: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/),
  features: featureSpecSchema,
  heads: z.array(z.enum(HEADS)).min(1),
  /** Per head: `int8 * scale` is the weight of a present feature before length scaling. */
  scales: z.array(z.number().positive()),
  bias: z.array(z.number()),
  weights: z.object({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});
type ModelHeader = z.infer<typeof modelHeaderSchema>;

interface TextModel {
  readonly name: string;
  readonly version: string;
  readonly features: FeatureSpec & { readonly view: 'folded' };
  readonly heads: readonly Head[];
  /** Dense, bucket-major: `quantized[bucket * heads.length + h]`. */
  readonly quantized: Int8Array;
  readonly scales: Float64Array;
  readonly bias: Float64Array;
  /**
   * Scratch space for scoring without sorting: `seen[bucket] === stamp` marks a bucket already
   * counted for the comment being scored. Only ever read by `scoreText`.
   */
  readonly scratch: { readonly seen: Int32Array; stamp: number };
}

/** Probability per head, 0..1. */
type ModelScores = Readonly<Partial<Record<Head, number>>>;

class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** Sparse rows as training produces them, before encoding. */
interface SparseWeights {
  readonly buckets: Uint32Array;
  /** `rows[i * heads + h]`. */
  readonly rows: Int8Array;
}

const encodeWeights = (weights: SparseWeights): Uint8Array => {
  const count = weights.buckets.length;
  const bytes = new Uint8Array(4 + 4 * count + weights.rows.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, count, true);
  for (let i = 0; i < count; i++) view.setUint32(4 + 4 * i, weights.buckets[i] ?? 0, true);
  bytes.set(
    new Uint8Array(weights.rows.buffer, weights.rows.byteOffset, weights.rows.length),
    4 + 4 * count,
  );
  return bytes;
};

/**
 * Builds the scoring form from the manifest's header and the weights file's bytes. Throws
 * ModelFormatError when they do not fit together (wrong size, buckets out of range or unsorted):
 * a half-copied model must fail at cold start, not score nonsense.
 */
const decodeModel = (header: unknown, bytes: Uint8Array): TextModel => {
  const parsed = modelHeaderSchema.safeParse(header);
  if (!parsed.success) throw new ModelFormatError('model manifest does not match its schema');
  const h: ModelHeader = parsed.data;
  const H = h.heads.length;
  if (h.scales.length !== H || h.bias.length !== H) {
    throw new ModelFormatError('model manifest: one scale and one bias per head');
  }
  if (h.features.minN > h.features.maxN) throw new ModelFormatError('model manifest: minN > maxN');
  if (bytes.length < 4) throw new ModelFormatError('model weights: truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = view.getUint32(0, true);
  if (bytes.length !== 4 + 4 * count + count * H) {
    throw new ModelFormatError('model weights: size does not match the manifest');
  }
  const size = 2 ** h.features.bucketsLog2;
  const quantized = new Int8Array(size * H);
  const rows = new Int8Array(bytes.buffer, bytes.byteOffset + 4 + 4 * count, count * H);
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const bucket = view.getUint32(4 + 4 * i, true);
    if (bucket <= previous || bucket >= size) {
      throw new ModelFormatError('model weights: buckets out of order or out of range');
    }
    previous = bucket;
    const from = i * H;
    const to = bucket * H;
    for (let h = 0; h < H; h++) quantized[to + h] = rows[from + h] ?? 0;
  }
  return {
    name: h.name,
    version: h.version,
    features: h.features,
    heads: h.heads,
    quantized,
    scales: Float64Array.from(h.scales),
    bias: Float64Array.from(h.bias),
    scratch: { seen: new Int32Array(size), stamp: 0 },
  };
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * A present feature contributes `weight / sqrt(number of features)`: long comments do not win by
 * length alone. Training uses the same scaling (see `local/train/classifier.ts`).
 */
const featureValue = (featureCount: number): number => 1 / Math.sqrt(Math.max(1, featureCount));

/** Scores a comment's feature buckets (`featureBuckets` of its folded view). */
const scoreBuckets = (model: TextModel, buckets: Uint32Array): ModelScores => {
  const H = model.heads.length;
  const sums = new Float64Array(H);
  for (const bucket of buckets) {
    const base = bucket * H;
    for (let h = 0; h < H; h++) sums[h] = (sums[h] ?? 0) + (model.quantized[base + h] ?? 0);
  }
  return probabilities(model, sums, buckets.length);
};

const probabilities = (model: TextModel, sums: Float64Array, count: number): ModelScores => {
  const value = featureValue(count);
  const scores: Partial<Record<Head, number>> = {};
  model.heads.forEach((head, h) => {
    scores[head] = sigmoid((sums[h] ?? 0) * (model.scales[h] ?? 0) * value + (model.bias[h] ?? 0));
  });
  return scores;
};

/**
 * Scores the folded view of a comment (see `normalize`) and, for a model that reads words, the
 * `wordsOf` its tokens: the same figures as `scoreBuckets` of its `featureBuckets` (integer sums do
 * not depend on order), without building and sorting the list.
 */
const scoreText = (model: TextModel, folded: string, words?: readonly string[]): ModelScores => {
  if (model.features.words !== undefined && words === undefined) {
    throw new ModelFormatError('this model reads words: pass the words of the comment');
  }
  const H = model.heads.length;
  const sums = new Float64Array(H);
  const { scratch, quantized } = model;
  // A new stamp per comment; after 2^31 comments the table is cleared and counting starts again.
  scratch.stamp = scratch.stamp === 0x7fffffff ? 1 : scratch.stamp + 1;
  if (scratch.stamp === 1) scratch.seen.fill(0);
  const stamp = scratch.stamp;
  let count = 0;
  visitBuckets(
    folded,
    model.features,
    (bucket) => {
      if (scratch.seen[bucket] === stamp) return;
      scratch.seen[bucket] = stamp;
      count++;
      const base = bucket * H;
      for (let h = 0; h < H; h++) sums[h] = (sums[h] ?? 0) + (quantized[base + h] ?? 0);
    },
    words,
  );
  return probabilities(model, sums, count);
};

export type { Head, ModelHeader, ModelScores, SparseWeights, TextModel };
export {
  decodeModel,
  encodeWeights,
  featureValue,
  HEADS,
  ModelFormatError,
  modelHeaderSchema,
  scoreBuckets,
  scoreText,
  sigmoid,
};
