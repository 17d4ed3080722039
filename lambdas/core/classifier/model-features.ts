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

/** Final avalanche (murmur3 fmix32): FNV's low bits are weak, and the bucket is taken from them. */
const avalanche = (hash: number): number => {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
};

/** FNV-1a over the n-gram's units, seeded with n so a unigram and a bigram never share a hash. */
const hashGram = (units: Uint16Array, from: number, n: number): number => {
  let h = (0x811c9dc5 ^ n) >>> 0;
  for (let k = 0; k < n; k++) {
    h ^= units[from + k] ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return avalanche(h);
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
  return avalanche(h);
};

/**
 * A word as the model reads it: katakana folded to hiragana, Latin letters (full or half width)
 * to lower-case ASCII. Cheaper than the normaliser (a few units a word), and enough for a word
 * kuromoji has already cut out.
 */
const foldUnit = (c: number): number => {
  if (c >= 0x30a1 && c <= 0x30f6) return c - 0x60;
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c >= 0xff21 && c <= 0xff3a) return c - 0xff21 + 0x61;
  if (c >= 0xff41 && c <= 0xff5a) return c - 0xff41 + 0x61;
  return c;
};

const foldWord = (word: string): string => {
  let i = 0;
  // Most words (kanji, hiragana) fold to themselves: no new string for them.
  while (i < word.length && foldUnit(word.charCodeAt(i)) === word.charCodeAt(i)) i++;
  if (i === word.length) return word;
  let out = word.slice(0, i);
  for (; i < word.length; i++) out += String.fromCharCode(foldUnit(word.charCodeAt(i)));
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
 * Kanji or katakana: the comments the personal-data detector hands to kuromoji anyway
 * (`MAY_HOLD_NAME`), so their words cost the model next to nothing.
 */
const HAS_WORDS_TO_READ = /[\p{Script=Han}\p{Script=Katakana}]/u;

/**
 * The words of a comment as the model reads them: none for a comment of kana, Latin and symbols
 * only. Analysing those for the model alone cost about 7 µs a comment on average (1 comment in 12
 * of the dev files), and cross-validation ranked the model the same with or without their words.
 * `tokens` is called only when the words are read.
 */
const modelWords = (text: string, tokens: () => readonly Token[]): string[] =>
  HAS_WORDS_TO_READ.test(text) ? wordsOf(tokens()) : [];

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
export { featureBuckets, modelWords, visitBuckets, wordsOf };
