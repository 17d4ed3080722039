import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';
import { end, nameCandidate } from './name-tokens';

/**
 * A small learned person-name labeller: logistic regression over the morphological analysis, one
 * decision per token, with what the hand-written cues (names*.ts) found as features. The cues know
 * Japanese name shapes; the weights, fitted by `npm run train -- names` on labelled sentences and
 * comments, decide how far to trust each cue in each context (a candidate canvassing for votes, a
 * surname inside a shop's name, a hiragana given name the cues miss). Pure: the weights are data
 * imported by the caller, never read from disk here.
 */

interface NameModel {
  /** log2 of the number of hashed feature buckets. */
  readonly bits: number;
  readonly bias: number;
  /** One weight per bucket. */
  readonly weights: Float32Array;
  /** A token is part of a name when its probability reaches this. */
  readonly threshold: number;
}

/** Serialised form: the weights as little-endian int16, base64, times `scale`. */
interface NameModelData {
  readonly version: string;
  readonly bits: number;
  readonly bias: number;
  readonly scale: number;
  readonly threshold: number;
  readonly weights: string;
}

/** FNV-1a over UTF-16 units: stable across platforms, no allocation. */
const hash = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

const HAN = /^[\p{Script=Han}々〆ヶ]+$/u;
const HIRAGANA = /^[ぁ-ゖー]+$/;
const KATAKANA = /^[ァ-ヺー・]+$/;
const LATIN = /^[A-Za-z]+$/;
const DIGITS = /^[0-9０-９]+$/;
const LATIN_CAPITALISED = /^[A-Z][a-z]+$/;

const charClass = (s: string): string => {
  if (HAN.test(s)) return 'K';
  if (HIRAGANA.test(s)) return 'H';
  if (KATAKANA.test(s)) return 'T';
  if (LATIN_CAPITALISED.test(s)) return 'Lc';
  if (LATIN.test(s)) return 'L';
  if (DIGITS.test(s)) return 'D';
  return 'O';
};

const posOf = (t: Token | undefined): string =>
  t === undefined ? 'BOS' : `${t.pos}/${t.posDetail1}/${t.posDetail2}/${t.posDetail3}`;
const coarse = (t: Token | undefined): string =>
  t === undefined ? 'BOS' : `${t.pos}/${t.posDetail1}`;

/** Rule ids (shortened) covering each token, and whether the token opens the finding. */
const ruleMarks = (tokens: readonly Token[], rules: readonly Candidate[]): string[][] => {
  const marks: string[][] = tokens.map(() => []);
  for (const r of rules) {
    const rule = r.rule.replace('pii.person_name.', '');
    const level = r.score >= 0.8 ? 'h' : r.score >= 0.5 ? 'm' : 'l';
    let first = true;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (end(t) <= r.start || t.start >= r.end) continue;
      (marks[i] as string[]).push(`${first ? 'B' : 'I'}:${rule}:${level}`);
      first = false;
    }
  }
  return marks;
};

/**
 * Per-token features (strings, hashed later). The token's own surface is left out on purpose: with
 * it the model learns the training names by heart and finds fewer unseen ones (cross-validated). `context` carries comment-wide cues, such as words of
 * an election, that change what a name means.
 */
const tokenFeatureStrings = (
  tokens: readonly Token[],
  rules: readonly Candidate[],
  context: readonly string[],
): string[][] => {
  const marks = ruleMarks(tokens, rules);
  return tokens.map((t, i) => {
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const prev2 = tokens[i - 2];
    const next2 = tokens[i + 2];
    const cls = charClass(t.surface);
    const len = Math.min(t.surface.length, 6);
    const mine = marks[i] as string[];
    const f = [
      `p=${posOf(t)}`,
      `c=${cls}`,
      `cl=${cls}${len}`,
      `pc=${coarse(t)}|${cls}`,
      `f=${t.surface[0] ?? ''}|${cls}`,
      `l=${t.surface.at(-1) ?? ''}|${cls}`,
      `unk=${t.reading === '' ? 1 : 0}|${cls}`,
      `w-1=${prev?.surface ?? 'BOS'}`,
      `w+1=${next?.surface ?? 'EOS'}`,
      `p-1=${posOf(prev)}`,
      `p+1=${posOf(next)}`,
      `p-2=${coarse(prev2)}`,
      `p+2=${coarse(next2)}`,
      `pp=${coarse(prev)}|${coarse(t)}|${coarse(next)}`,
      `c3=${prev === undefined ? 'B' : charClass(prev.surface)}|${cls}|${next === undefined ? 'E' : charClass(next.surface)}`,
      `gap+=${next !== undefined && next.start === end(t) ? 1 : 0}`,
    ];
    if (mine.length === 0) f.push('r=none');
    for (const m of mine) {
      f.push(`r=${m}`, `rp=${m}|${coarse(t)}`, `rc=${m}|${cls}`);
      for (const c of context) f.push(`rx=${m.slice(2)}|${c}`);
    }
    for (const m of marks[i - 1] ?? []) f.push(`r-1=${m}`);
    for (const m of marks[i + 1] ?? []) f.push(`r+1=${m}`);
    for (const c of context) f.push(`x=${c}`, `xp=${c}|${coarse(t)}`);
    return f;
  });
};

const bucketsOf = (features: readonly string[], bits: number): number[] => {
  const mask = (1 << bits) - 1;
  return features.map((s) => hash(s) & mask);
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

const probabilities = (model: NameModel, features: readonly (readonly string[])[]): number[] =>
  features.map((f) => {
    let z = model.bias;
    for (const b of bucketsOf(f, model.bits)) z += model.weights[b] ?? 0;
    return sigmoid(z);
  });

/** Tokens that are neither words nor marks of a name: a name never starts or ends on them. */
const JOINER = /^[・=＝･\s]+$/u;

/**
 * Names as spans of consecutive tokens the model takes for a name; a middle dot or a space inside
 * is kept only between two name tokens. Score: the mean probability.
 */
const spansFrom = (tokens: readonly Token[], probs: readonly number[], threshold: number) => {
  const out: Candidate[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if ((probs[i] ?? 0) < threshold || JOINER.test(t.surface)) {
      i++;
      continue;
    }
    let j = i;
    let sum = probs[i] ?? 0;
    while (j + 1 < tokens.length) {
      const n = tokens[j + 1] as Token;
      if (n.start !== end(tokens[j] as Token) || (probs[j + 1] ?? 0) < threshold) break;
      j++;
      sum += probs[j] ?? 0;
    }
    while (j > i && JOINER.test((tokens[j] as Token).surface)) j--;
    const score = sum / (j - i + 1);
    out.push(nameCandidate(t.start, end(tokens[j] as Token), score, 'pii.person_name.model'));
    i = j + 1;
  }
  return out;
};

const decodeModel = (data: NameModelData): NameModel => {
  const bytes = Buffer.from(data.weights, 'base64');
  const n = 1 << data.bits;
  if (bytes.length !== n * 2) throw new Error('name model: weight table has the wrong size');
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) weights[i] = bytes.readInt16LE(i * 2) * data.scale;
  return { bits: data.bits, bias: data.bias, weights, threshold: data.threshold };
};

const encodeModel = (
  model: Omit<NameModel, 'weights'> & { readonly weights: ArrayLike<number> },
  version: string,
): NameModelData => {
  let max = 0;
  for (let i = 0; i < model.weights.length; i++)
    max = Math.max(max, Math.abs(model.weights[i] ?? 0));
  const scale = max === 0 ? 1 : max / 32767;
  const bytes = Buffer.alloc(model.weights.length * 2);
  for (let i = 0; i < model.weights.length; i++)
    bytes.writeInt16LE(Math.round((model.weights[i] ?? 0) / scale), i * 2);
  return {
    version,
    bits: model.bits,
    bias: model.bias,
    scale,
    threshold: model.threshold,
    weights: bytes.toString('base64'),
  };
};

const NAME_MODEL_PATTERNS: readonly RegExp[] = [
  HAN,
  HIRAGANA,
  KATAKANA,
  LATIN,
  DIGITS,
  LATIN_CAPITALISED,
  JOINER,
];

export type { NameModel, NameModelData };
export {
  bucketsOf,
  decodeModel,
  encodeModel,
  hash,
  NAME_MODEL_PATTERNS,
  probabilities,
  sigmoid,
  spansFrom,
  tokenFeatureStrings,
};
