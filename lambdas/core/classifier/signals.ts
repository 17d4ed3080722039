import type { MappedText } from '../text/mapped-text';

interface Span {
  readonly start: number;
  readonly end: number;
}

const LETTER = /[\p{L}\p{N}]/u;

/**
 * `LETTER` of the unit at `i`, by code where nearly every comment's letters lie (ASCII, kana,
 * kanji): the repeat scan looks at every unit of every comment, and a regex test of a one-unit
 * string costs a string per Japanese character.
 */
const isLetterAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  if (c < 0x80)
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if ((c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || (c >= 0x4e00 && c <= 0x9fff))
    return true;
  return LETTER.test(text[i] ?? '');
};

/** A unit said this many times over is a flood; three times is how people cheer (かわいい×3). */
const MIN_REPEATS = 4;
/** A single character needs a longer run: 8888 (applause) and ｗｗｗ (laughter) are short. */
const MIN_SINGLE_RUN = 14;

/**
 * Past these a flood is taking the thread over rather than cheering: people say a cheer up to five
 * times (がんばれ×4, おめでとう×4, わー×8 is 16 letters), and laugh (ｗ) or clap (8) in runs of
 * about twenty; a run of any other letter (あああ…, 雪雪雪…) past MIN_SINGLE_RUN is not a cheer.
 */
const FLOOD_LONG_COPIES = 6;
const FLOOD_LONG_LETTERS = 18;
const FLOOD_LONG_LAUGH = 24;
/** ｗ and 8 after folding: laughter and applause. */
const LAUGH_OR_CLAP = new Set(['w', '8']);

/**
 * A run of one letter is longer than a laugh unless it is mostly ｗ or 8 (a few words may come
 * before: ところで、ｗｗｗ…) and those number fewer than FLOOD_LONG_LAUGH.
 */
const longRun = (chars: string): boolean => {
  let laugh = 0;
  for (const ch of chars) if (LAUGH_OR_CLAP.has(ch)) laugh++;
  return laugh * 2 < chars.length || laugh >= FLOOD_LONG_LAUGH;
};

/** A flood, and whether it is longer than a cheer (`long`: see FLOOD_LONG_COPIES). */
interface Flood extends Span {
  readonly long: boolean;
}

/**
 * Flooding: the comment is one short unit said over and over (あああ…, テストテスト…, 定期あげ×8).
 * Looks for a period p (1..8 letters) that the letters follow almost everywhere, repeated at least
 * MIN_REPEATS times (MIN_SINGLE_RUN letters for one character).
 */
const floodSpan = (folded: MappedText): Flood | undefined => {
  const text = folded.text;
  if (text.length < 10) return undefined;
  // Cheap rejection first: a flood uses few distinct characters.
  const distinct = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    distinct.add(text.charCodeAt(i));
    if (distinct.size > 24) return undefined;
  }
  const letters: number[] = [];
  let chars = '';
  for (let i = 0; i < text.length; i++) {
    if (isLetterAt(text, i)) {
      letters.push(i);
      chars += text[i];
    }
  }
  const n = chars.length;
  if (n < 10) return undefined;
  for (let p = 1; p <= 8 && p * MIN_REPEATS <= n; p++) {
    let same = 0;
    for (let i = 0; i + p < n; i++) if (chars[i] === chars[i + p]) same++;
    if (same / (n - p) >= 0.78) {
      // The smallest period is the unit; a run of one character (8888) also repeats at every
      // longer period, so a short run must not be counted again as 88×6.
      if (p === 1 && n < MIN_SINGLE_RUN) return undefined;
      const first = letters[0] ?? 0;
      const last = letters[n - 1] ?? first;
      const long = p === 1 ? longRun(chars) : n / p >= FLOOD_LONG_COPIES && n >= FLOOD_LONG_LETTERS;
      return {
        start: folded.starts[first] ?? 0,
        end: folded.ends[last] ?? folded.originalLength,
        long,
      };
    }
  }
  return undefined;
};

/** A phrase of up to this many letters can be said over and over. */
const MAX_PHRASE = 40;
/** A short phrase needs more copies than a long one: 頑張れ留萌高校！×3 is a cheer, not a flood. */
const SHORT_PHRASE = 8;
const SHORT_COPIES = 5;
const LONG_COPIES = 3;

/** Whether `codes[from, from + length)` holds at least `want` distinct values. */
const distinctAtLeast = (
  codes: Uint16Array,
  from: number,
  length: number,
  want: number,
): boolean => {
  const seen: number[] = [];
  for (let k = from; k < from + length; k++) {
    const code = codes[k] ?? 0;
    if (!seen.includes(code)) seen.push(code);
    if (seen.length >= want) return true;
  }
  return false;
};

/**
 * A phrase said over and over, after or before a few other words (拡散して！×5 after みんな見て！,
 * a greeting of twenty letters pasted three times): unlike `floodSpan`, the repetition need not
 * be the whole comment, only half of its letters. One pass per period over the letters.
 */
const repeatSpan = (folded: MappedText): Span | undefined => {
  const text = folded.text;
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) if (isLetterAt(text, i)) letters.push(i);
  const n = letters.length;
  if (n < 12) return undefined;
  // Letters as numbers: the scan below compares n letters for each of up to 38 periods.
  const codes = new Uint16Array(n);
  for (let k = 0; k < n; k++) codes[k] = text.charCodeAt(letters[k] ?? 0);
  for (let p = 3; p <= MAX_PHRASE && p * LONG_COPIES <= n; p++) {
    const copies = p < SHORT_PHRASE ? SHORT_COPIES : LONG_COPIES;
    // A repetition is a run of positions i where letter i equals letter i + p; it counts when it
    // makes `copies` copies and half the comment. Such a run contains a multiple of its least
    // length, so only those positions are looked at: an ordinary comment costs a few compares.
    const least = Math.max(p * (copies - 1), Math.ceil(n / 2) - p, 1);
    for (let s = least - 1; s + p < n; s += least) {
      if (codes[s] !== codes[s + p]) continue;
      let lo = s;
      while (lo > 0 && codes[lo - 1] === codes[lo - 1 + p]) lo--;
      let hi = s;
      while (hi + 1 + p < n && codes[hi + 1] === codes[hi + 1 + p]) hi++;
      // Inside one run every window of p letters is a rotation of the same unit: judge one. A
      // unit that is itself a repetition (ああああ, 8888) is floodSpan's business.
      if (hi - lo + 1 >= least && distinctAtLeast(codes, lo, p, 3)) {
        const first = letters[lo] ?? 0;
        const last = letters[hi + p] ?? first;
        return {
          start: folded.starts[first] ?? 0,
          end: folded.ends[last] ?? folded.originalLength,
        };
      }
      s = hi;
    }
  }
  return undefined;
};

const MENTION = /(?<![a-z0-9_.])@[a-z0-9_.]{2,30}/g;

const mentionSpans = (folded: MappedText): Span[] => {
  const spans: Span[] = [];
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(folded.text); m !== null; m = MENTION.exec(folded.text)) {
    spans.push({
      start: folded.starts[m.index] ?? 0,
      end: folded.ends[m.index + m[0].length - 1] ?? 0,
    });
  }
  return spans;
};

const QUESTION = /[?？]/g;

const questionSpans = (original: string): Span[] => {
  const spans: Span[] = [];
  QUESTION.lastIndex = 0;
  for (let m = QUESTION.exec(original); m !== null; m = QUESTION.exec(original)) {
    spans.push({ start: m.index, end: m.index + 1 });
  }
  return spans;
};

export type { Flood, Span };
export { floodSpan, isLetterAt, mentionSpans, questionSpans, repeatSpan };
