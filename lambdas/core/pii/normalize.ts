import { identity, type MappedText, MappedTextBuilder, rewrite } from '../text/mapped-text';

/**
 * The form personal-data patterns match on: NFKC (full-width digits, letters and ＠ become ASCII,
 * the ideographic space a plain space), every dash look-alike between digits a plain '-', and long
 * runs of kanji digits (an old trick to slip a phone number past filters) ASCII digits. Every step
 * keeps the offset map, so findings point into what the person actually wrote.
 */

// Dashes that are never a long-vowel mark: fold them always.
const DASHES = new Set(['-', '‐', '‑', '‒', '–', '—', '―', '−', '－', '﹣', '⁃']);
// The long-vowel marks double as hyphens in hand-typed numbers (０９０ー１２３４), but only there.
const LONG_VOWEL = new Set(['ー', 'ｰ']);
const ASCII_DIGIT = /^[0-9]$/;

const KANJI_DIGITS: Readonly<Record<string, string>> = {
  〇: '0',
  零: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};
// Every character of every comment is looked at: a code test, not a string and a property lookup.
const KANJI_DIGIT_CODES = new Set(Object.keys(KANJI_DIGITS).map((k) => k.charCodeAt(0)));
// Kanji digits are ordinary words too (一人, 三日); only a run this long is read as a number.
const MIN_KANJI_DIGIT_RUN = 6;

const foldCluster = (cluster: string, previousOutput: string): string => {
  const nfkc = cluster.normalize('NFKC');
  if (DASHES.has(cluster) || DASHES.has(nfkc)) return '-';
  if (
    (LONG_VOWEL.has(cluster) || LONG_VOWEL.has(nfkc)) &&
    ASCII_DIGIT.test(previousOutput.slice(-1))
  )
    return '-';
  return nfkc;
};

/** Rewrites runs of kanji digits (with dashes or spaces inside) into ASCII digits, one unit each. */
const foldKanjiDigitRuns = (mapped: MappedText): MappedText => {
  const source = mapped.text;
  let chars: string[] | undefined;
  let i = 0;
  while (i < source.length) {
    if (!KANJI_DIGIT_CODES.has(source.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    let digits = 0;
    while (j < source.length) {
      const ch = source[j] ?? '';
      if (KANJI_DIGIT_CODES.has(source.charCodeAt(j))) digits++;
      else if (ch !== '-' && ch !== ' ' && ch !== 'ー') break;
      j++;
    }
    if (digits >= MIN_KANJI_DIGIT_RUN) {
      chars ??= source.split('');
      for (let k = i; k < j; k++) {
        const ch = source[k] ?? '';
        chars[k] = KANJI_DIGITS[ch] ?? (ch === 'ー' ? '-' : ch);
      }
    }
    i = j;
  }
  // Same length, unit for unit: the offset map carries over unchanged.
  return chars === undefined ? mapped : { ...mapped, text: chars.join('') };
};

// Digits read out in kana (ゼロハチゼロ ニーサンヨンゴ…): another way to slip a number past a filter.
// Longest readings first, so ハチ wins over ハ and キュー over ク.
const KANA_DIGIT_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['キュウ', '9'],
  ['キュー', '9'],
  ['ゼロ', '0'],
  ['レイ', '0'],
  ['マル', '0'],
  ['イチ', '1'],
  ['ニー', '2'],
  ['サン', '3'],
  ['ヨン', '4'],
  ['ゴー', '5'],
  ['ロク', '6'],
  ['ナナ', '7'],
  ['シチ', '7'],
  ['ハチ', '8'],
  ['ニ', '2'],
  ['ヨ', '4'],
  ['シ', '4'],
  ['ゴ', '5'],
  ['ク', '9'],
];
const KANA_WORD = /[ァ-ヺぁ-ゖー]+/g;
// A phone number read out needs at least one reading of two or more letters (ゼロ, ハチ, キュー).
const KANA_DIGIT_HINT =
  /ゼロ|ぜろ|レイ|れい|マル|まる|イチ|いち|ニー|にー|サン|さん|ヨン|よん|ゴー|ごー|ロク|ろく|ナナ|なな|シチ|しち|ハチ|はち|キュ|きゅ/u;
const KANA_DIGIT_FIRST = new Set([
  ...KANA_DIGIT_WORDS.map(([reading]) => reading[0] ?? ''),
  ...'ぜれまいにさよごろなしはきく',
]);
// A phone number is ten digits: shorter runs of these syllables are ordinary words (イチゴ, ゴマ).
const MIN_KANA_DIGITS = 10;
const KANA_GAP = /^[ -]{0,2}$/;

const toKatakana = (s: string): string =>
  s.replace(/[ぁ-ゖ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));

/** Reads a whole kana word as digit words, or undefined when any part of it is not one. */
const readKanaDigits = (word: string): Array<{ digit: string; length: number }> | undefined => {
  const kata = toKatakana(word);
  const out: Array<{ digit: string; length: number }> = [];
  let i = 0;
  while (i < kata.length) {
    const hit = KANA_DIGIT_WORDS.find(([reading]) => kata.startsWith(reading, i));
    if (hit === undefined) return undefined;
    out.push({ digit: hit[1], length: hit[0].length });
    i += hit[0].length;
  }
  return out;
};

/**
 * Rewrites runs of kana words that read wholly as digits (at least a phone number's worth, words
 * joined by at most a space or a dash) into ASCII digits, each digit mapped to its word.
 */
const foldKanaDigitRuns = (mapped: MappedText): MappedText => {
  const source = mapped.text;
  const words: Array<{
    start: number;
    end: number;
    digits: Array<{ digit: string; length: number }>;
  }> = [];
  if (!KANA_DIGIT_HINT.test(source)) return mapped;
  for (const m of source.matchAll(KANA_WORD)) {
    if (!KANA_DIGIT_FIRST.has(m[0][0] ?? '')) continue;
    const digits = readKanaDigits(m[0]);
    if (digits !== undefined) words.push({ start: m.index, end: m.index + m[0].length, digits });
  }
  const runs: Array<typeof words> = [];
  for (const w of words) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run !== undefined && last !== undefined && KANA_GAP.test(source.slice(last.end, w.start)))
      run.push(w);
    else runs.push([w]);
  }
  const chosen = runs.filter(
    (run) => run.reduce((n, w) => n + w.digits.length, 0) >= MIN_KANA_DIGITS,
  );
  if (chosen.length === 0) return mapped;
  const out = new MappedTextBuilder();
  let cursor = 0;
  for (const run of chosen) {
    for (const w of run) {
      out.copy(mapped, cursor, w.start);
      let at = w.start;
      for (const d of w.digits) {
        out.push(d.digit, mapped.starts[at] ?? 0, mapped.ends[at + d.length - 1] ?? 0);
        at += d.length;
      }
      cursor = w.end;
    }
  }
  out.copy(mapped, cursor, source.length);
  return out.build(mapped.originalLength);
};

/**
 * Characters NFKC keeps as they are and `foldCluster` never changes, none of them attaching to
 * the one before: ASCII, hiragana, katakana (not the long-vowel mark), unified kanji, 、 and 。.
 */
const isPlain = (code: number): boolean =>
  code < 0x80 ||
  (code >= 0x3041 && code <= 0x3096) ||
  (code >= 0x30a1 && code <= 0x30fa) ||
  (code >= 0x4e00 && code <= 0x9fff) ||
  code === 0x3001 ||
  code === 0x3002;

/**
 * Every cluster through `foldCluster`, with the offset map. Most comments are plain characters
 * only, which the fold leaves unchanged unit for unit: they skip the per-cluster NFKC.
 */
const foldClusters = (text: string): MappedText => {
  let i = 0;
  while (i < text.length && isPlain(text.charCodeAt(i))) i++;
  return i === text.length ? identity(text) : rewrite(identity(text), foldCluster);
};

const normalizeForPii = (text: string): MappedText =>
  foldKanaDigitRuns(foldKanjiDigitRuns(foldClusters(text)));

const NORMALIZE_PATTERNS: readonly RegExp[] = [ASCII_DIGIT, KANA_WORD, KANA_GAP, KANA_DIGIT_HINT];

export { foldCluster, foldClusters, NORMALIZE_PATTERNS, normalizeForPii };
