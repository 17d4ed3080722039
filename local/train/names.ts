import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { sharedTokenizer } from '../../lambdas/core/analyze';
import { REPORT_THRESHOLD } from '../../lambdas/core/pii/candidate';
import { nameInputs } from '../../lambdas/core/pii/detect';
import { nameContext } from '../../lambdas/core/pii/name-context-cues';
import {
  bucketsOf,
  encodeModel,
  type NameModelData,
  sigmoid,
  spansFrom,
  tokenFeatureStrings,
} from '../../lambdas/core/pii/name-model';
import { end } from '../../lambdas/core/pii/name-tokens';
import type { Token, Tokenizer } from '../../lambdas/core/tokenizer';
import { readDataset } from '../cli/dataset';
import { foldOf } from '../cli/folds';
import type { Trainer } from './trainer';

/**
 * `npm run train -- names`: fits the person-name labeller (lambdas/core/pii/name-model.ts) on
 * every dev file that labels names, except fold 0 of municipal-synthetic-2, which no trainer may
 * see. Writes the weights and a manifest (data hashes, seed, settings, cross-validated figures).
 * Deterministic: the same files give the same bytes.
 */

const SOURCES = [
  { file: 'stockmark-names.jsonl', heldOutFold: undefined },
  { file: 'municipal-synthetic.jsonl', heldOutFold: undefined },
  { file: 'seeded-pii.jsonl', heldOutFold: undefined },
  // Fold 0 is dropped by id before anything else looks at a row: it is the honest test.
  { file: 'municipal-synthetic-2.jsonl', heldOutFold: 0 },
] as const;

const SETTINGS = {
  seed: 20_151,
  bits: 18,
  epochs: 8,
  learningRate: 0.2,
  l2: 1e-6,
  threshold: 0.5,
} as const;

type Settings = { readonly [K in keyof typeof SETTINGS]: number };

const VERSION = 'names-lr-1';
const WEIGHTS_PATH = 'lambdas/core/pii/name-model.weights.json';
const MANIFEST_PATH = 'lambdas/core/pii/name-model.manifest.json';

interface Example {
  readonly source: string;
  readonly id: string;
  readonly fold: number;
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly buckets: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly gold: ReadonlyArray<{ start: number; end: number }>;
  /** What the cues alone report (score at or above the report threshold). */
  readonly cues: ReadonlyArray<{ start: number; end: number }>;
}

/** mulberry32: a tiny seeded generator, so the shuffle is the same on every machine. */
const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const shuffled = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** A token belongs to a name when at least half of it lies inside a labelled name. */
const labelTokens = (
  tokens: readonly Token[],
  gold: ReadonlyArray<{ start: number; end: number }>,
): number[] =>
  tokens.map((t) => {
    const span = { start: t.start, end: end(t) };
    return gold.some((g) => overlap(span, g) * 2 >= t.surface.length) ? 1 : 0;
  });

interface LoadedData {
  readonly examples: Example[];
  readonly hashes: Record<string, string>;
}

const loadExamples = (folder: string, tokenizer: Tokenizer): LoadedData => {
  const examples: Example[] = [];
  const hashes: Record<string, string> = {};
  for (const { file, heldOutFold } of SOURCES) {
    const path = join(folder, file);
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0);
    const kept =
      heldOutFold === undefined
        ? lines
        : lines.filter((line) => foldOf((JSON.parse(line) as { id: string }).id) !== heldOutFold);
    hashes[heldOutFold === undefined ? file : `${file} (folds other than ${heldOutFold})`] =
      createHash('sha256')
        .update(`${kept.join('\n')}\n`)
        .digest('hex');
    const wanted = new Set(kept.map((line) => (JSON.parse(line) as { id: string }).id));
    for (const row of readDataset(path)) {
      if (!wanted.has(row.id) || !row.pii_judged.includes('person_name')) continue;
      const shared = sharedTokenizer(row.text, tokenizer);
      const { tokens, cues } = nameInputs(row.text, shared.tokenizer);
      const features = tokenFeatureStrings(tokens, cues, nameContext(row.text));
      const gold = row.pii.filter((s) => s.type === 'person_name');
      examples.push({
        source: file,
        id: row.id,
        fold: foldOf(row.id),
        text: row.text,
        tokens,
        buckets: features.map((f) => bucketsOf(f, SETTINGS.bits)),
        labels: labelTokens(tokens, gold),
        gold,
        cues: cues.filter((c) => c.score >= REPORT_THRESHOLD),
      });
    }
  }
  return { examples, hashes };
};

interface Fitted {
  readonly weights: Float64Array;
  readonly bias: number;
}

/** Logistic regression, AdaGrad, L2; examples visited in a seeded shuffle each epoch. */
const fitWeights = (examples: readonly Example[], settings: Settings = SETTINGS): Fitted => {
  const n = 1 << settings.bits;
  const weights = new Float64Array(n);
  const squares = new Float64Array(n);
  let bias = 0;
  let biasSquares = 0;
  const random = seeded(settings.seed);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (const ex of shuffled(examples, random)) {
      ex.buckets.forEach((buckets, i) => {
        let z = bias;
        for (const b of buckets) z += weights[b] ?? 0;
        const g = sigmoid(z) - (ex.labels[i] ?? 0);
        for (const b of buckets) {
          const grad = g + settings.l2 * (weights[b] ?? 0);
          squares[b] = (squares[b] ?? 0) + grad * grad;
          weights[b] =
            (weights[b] ?? 0) - (settings.learningRate * grad) / Math.sqrt(squares[b] ?? 1);
        }
        biasSquares += g * g;
        bias -= (settings.learningRate * g) / Math.sqrt(biasSquares);
      });
    }
  }
  return { weights, bias };
};

const tokenProbs = (model: Fitted, ex: Example): number[] =>
  ex.buckets.map((buckets) => {
    let z = model.bias;
    for (const b of buckets) z += model.weights[b] ?? 0;
    return sigmoid(z);
  });

const predict = (model: Fitted, ex: Example, threshold: number) =>
  spansFrom(ex.tokens, tokenProbs(model, ex), threshold);

interface Score {
  gold: number;
  found: number;
  predicted: number;
  correct: number;
}

const emptyScore = (): Score => ({ gold: 0, found: 0, predicted: 0, correct: 0 });

/** The eval's rule: found when a prediction covers half a name; correct when it touches one. */
const addScore = (
  score: Score,
  gold: ReadonlyArray<{ start: number; end: number }>,
  predicted: ReadonlyArray<{ start: number; end: number }>,
): void => {
  score.gold += gold.length;
  score.predicted += predicted.length;
  for (const g of gold)
    if (predicted.some((p) => overlap(p, g) * 2 >= g.end - g.start)) score.found++;
  for (const p of predicted) if (gold.some((g) => overlap(p, g) > 0)) score.correct++;
};

const figures = (s: Score) => ({
  precision: Number((s.predicted === 0 ? 0 : s.correct / s.predicted).toFixed(4)),
  recall: Number((s.gold === 0 ? 0 : s.found / s.gold).toFixed(4)),
  gold: s.gold,
  predicted: s.predicted,
});

const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/**
 * Cross-validation by the project's folds (SHA-256 of the id mod 5): each fold of each source is
 * predicted by a model that never saw it. Municipal-synthetic-2 has only folds 1-4 here.
 */
const crossValidate = (examples: readonly Example[], settings: Settings = SETTINGS) => {
  const scores = new Map<string, Map<number, Score>>();
  for (let fold = 0; fold < 5; fold++) {
    const model = fitWeights(
      examples.filter((ex) => ex.fold !== fold),
      settings,
    );
    for (const ex of examples) {
      if (ex.fold !== fold) continue;
      const bySource = scores.get(ex.source) ?? new Map<number, Score>();
      scores.set(ex.source, bySource);
      for (const threshold of THRESHOLDS) {
        const s = bySource.get(threshold) ?? emptyScore();
        bySource.set(threshold, s);
        addScore(s, ex.gold, predict(model, ex, threshold));
      }
    }
  }
  const out: Record<string, Record<string, ReturnType<typeof figures>>> = {};
  for (const [source, byThreshold] of scores) {
    out[source] = {};
    for (const [threshold, s] of byThreshold)
      (out[source] as Record<string, unknown>)[String(threshold)] = figures(s);
  }
  return out;
};

const findDatasets = (): string => {
  for (const candidate of ['../shared/datasets/dev', 'shared/datasets/dev'])
    if (existsSync(join(candidate, SOURCES[0].file))) return candidate;
  throw new Error('cannot find shared/datasets/dev next to the project');
};

/** Fits the shipped model and returns its serialised weights (what the reproducibility test checks). */
const trainNames = async (folder = findDatasets()) => {
  const tokenizer = await loadTokenizer();
  const data = loadExamples(folder, tokenizer);
  const model = fitWeights(data.examples);
  const weights: NameModelData = encodeModel(
    {
      bits: SETTINGS.bits,
      bias: model.bias,
      weights: model.weights,
      threshold: SETTINGS.threshold,
    },
    VERSION,
  );
  return { data, weights };
};

const serialise = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const namesTrainer: Trainer = {
  name: 'names',
  description:
    'person-name labeller for the personal-data detector (lambdas/core/pii/name-model.ts)',
  run: async (args) => {
    const { values } = parseArgs({
      args,
      options: { 'no-cv': { type: 'boolean', default: false } },
    });
    const started = performance.now();
    const { data, weights } = await trainNames();
    writeFileSync(WEIGHTS_PATH, serialise(weights));
    const cv = values['no-cv'] ? undefined : crossValidate(data.examples);
    const manifest = {
      model: VERSION,
      trainedBy: 'npm run train -- names',
      data: data.hashes,
      examples: data.examples.length,
      settings: SETTINGS,
      weightsSha256: createHash('sha256').update(serialise(weights)).digest('hex'),
      crossValidated: cv,
    };
    if (cv !== undefined) writeFileSync(MANIFEST_PATH, serialise(manifest));
    process.stdout.write(
      `names: ${data.examples.length} examples, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    if (cv !== undefined)
      for (const [source, byThreshold] of Object.entries(cv))
        for (const [threshold, f] of Object.entries(byThreshold))
          process.stdout.write(
            `  ${source.padEnd(28)} t=${threshold.padEnd(4)} P ${f.precision.toFixed(3)} R ${f.recall.toFixed(3)} (${f.gold} names, ${f.predicted} predicted)\n`,
          );
  },
};

export {
  addScore,
  crossValidate,
  emptyScore,
  figures,
  fitWeights,
  namesTrainer,
  predict,
  serialise,
  tokenProbs,
  trainNames,
  WEIGHTS_PATH,
};
