import type { Token } from '../tokenizer';

/**
 * Features of the learned second opinion: hashed character n-grams of the comment's `compact` view
 * (NFKC, lower case, katakana folded to hiragana, separators dropped, substitutes undone: the view the
 * word lists match on), so the evasions the normaliser undoes (ｼﾈ, し ね, 氏ね) look the same to the
 * model as to the rules; and, when the spec asks for `words`, the dictionary forms of the words
 * kuromoji finds (殴ら, 殴り, 殴っ all read 殴る), which the pipeline has analysed anyway for the
 * personal-data detector. Shared by inference (core) and training (local/train), so both always see
 * the same features.
 */

interface FeatureSpec {
  /** Shortest and longest n-gram, in UTF-16 units. */
  readonly minN: number;
  readonly maxN: number;
  /** log2 of the number of hash buckets. */
  readonly bucketsLog2: number;
  /** Longest prefix of the view looked at: a forged 10,000-character comment costs no more. */
  readonly maxChars: number;
  /** Also the dictionary forms of the comment's words (see `wordsOf`), hashed into the same buckets. */
  readonly words?: 'kuromoji-base';
}

/** Marks the start and the end of the comment, so short comments have edge grams (^しね$). */
const EDGE = 0x0002;

/** FNV-1a over the n-gram's units, seeded with n so a unigram and a bigram never share a hash. */
const hashGram = (units: Uint16Array, from: number, n: number): number => {
  let h = (0x811c9dc5 ^ n) >>> 0;
  for (let k = 0; k < n; k++) {
    h ^= units[from + k] ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32): FNV's low bits are weak, and the bucket is taken from them.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
};

/** Seeds a word's hash: no character n-gram (seeded with n <= 8) shares it. */
const WORD_SEED = 0x776f7264;

/** FNV-1a over a word's units with the same final avalanche as `hashGram`. */
const hashWord = (word: string): number => {
  let h = (0x811c9dc5 ^ WORD_SEED) >>> 0;
  for (let k = 0; k < word.length; k++) {
    h ^= word.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
};

/**
 * A word as the model reads it: katakana folded to hiragana, Latin letters (full or half width)
 * to lower-case ASCII. Cheaper than the normaliser (a few units a word), and enough for a word
 * kuromoji has already cut out.
 */
const foldWord = (word: string): string => {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c >= 0x30a1 && c <= 0x30f6) c -= 0x60;
    else if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0xff21 && c <= 0xff3a) c = c - 0xff21 + 0x61;
    else if (c >= 0xff41 && c <= 0xff5a) c = c - 0xff41 + 0x61;
    out += String.fromCharCode(c);
  }
  return out;
};

const WORDLIKE = /[\p{L}\p{N}]/u;

/** The words the model reads: each token's dictionary form (its surface when unknown), folded. */
const wordsOf = (tokens: readonly Token[]): string[] => {
  const out: string[] = [];
  for (const token of tokens) {
    const word = foldWord(
      token.basicForm === '*' || token.basicForm === '' ? token.surface : token.basicForm,
    );
    if (WORDLIKE.test(word)) out.push(word);
  }
  return out;
};

/**
 * Calls `visit` with the bucket of every n-gram of the text, then of every word when the spec reads
 * words, duplicates included.
 */
const visitBuckets = (
  text: string,
  spec: FeatureSpec,
  visit: (bucket: number) => void,
  words: readonly string[] = [],
): void => {
  const length = Math.min(text.length, spec.maxChars);
  const units = new Uint16Array(length + 2);
  units[0] = EDGE;
  for (let i = 0; i < length; i++) units[i + 1] = text.charCodeAt(i);
  units[length + 1] = EDGE;
  const mask = (1 << spec.bucketsLog2) - 1;
  const total = units.length;
  for (let n = spec.minN; n <= spec.maxN; n++) {
    for (let i = 0; i + n <= total; i++) {
      // A gram made of the edge marker alone says nothing.
      if (n === 1 && units[i] === EDGE) continue;
      visit(hashGram(units, i, n) & mask);
    }
  }
  if (spec.words !== undefined) for (const word of words) visit(hashWord(word) & mask);
};

/**
 * The distinct buckets of a text's n-grams, ascending. Presence, not counts: a word said ten times
 * (flooding) has its own signal in the rules, and counts would let long comments dominate.
 */
const featureBuckets = (
  text: string,
  spec: FeatureSpec,
  words: readonly string[] = [],
): Uint32Array => {
  const out: number[] = [];
  visitBuckets(
    text,
    spec,
    (bucket) => {
      out.push(bucket);
    },
    words,
  );
  const sorted = Uint32Array.from(out).sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[kept++] = sorted[i] ?? 0;
  }
  return sorted.subarray(0, kept);
};

export type { FeatureSpec };
export { featureBuckets, visitBuckets, wordsOf };
