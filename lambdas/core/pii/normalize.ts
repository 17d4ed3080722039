import { identity, type MappedText, rewrite } from '../text/mapped-text';

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
    if (KANJI_DIGITS[source[i] ?? ''] === undefined) {
      i++;
      continue;
    }
    let j = i;
    let digits = 0;
    while (j < source.length) {
      const ch = source[j] ?? '';
      if (KANJI_DIGITS[ch] !== undefined) digits++;
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

const normalizeForPii = (text: string): MappedText =>
  foldKanjiDigitRuns(rewrite(identity(text), foldCluster));

const NORMALIZE_PATTERNS: readonly RegExp[] = [ASCII_DIGIT];

export { NORMALIZE_PATTERNS, normalizeForPii };
