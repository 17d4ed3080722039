import { type MappedText, toOriginal } from '../text/mapped-text';
import type { Token, Tokenizer } from '../tokenizer';
import { findAddresses } from './address';
import { type Candidate, REPORT_THRESHOLD } from './candidate';
import { findNames } from './names';
import { findTextNameCues } from './names-comments';
import { normalizeForPii } from './normalize';
import { findNumberCandidates } from './numbers';
import { PII_PLACEHOLDERS } from './redact';
import { findBirthDates, findEmails, findPassports, findPlates } from './text-patterns';
import type { PiiSpan } from './types';

interface DetectOptions {
  /**
   * Tokens of `text` itself (not of a normalised copy) when the caller has already analysed it:
   * the morphological analysis is the dearest step, so a pipeline should run it once.
   */
  readonly tokens?: readonly Token[];
}

// Names are written in kanji or katakana (hiragana given names follow a kanji surname).
/** kuromoji throws on NUL and lone surrogates: swap each for U+FFFD, one unit for one, offsets kept. */
const tokenizable = (text: string): string => text.toWellFormed().replaceAll('\u0000', '\uFFFD');
const PLACEHOLDERS = Object.values(PII_PLACEHOLDERS);

/**
 * A placeholder's own kanji (`[郵便番号]`) must not be what lets the name recogniser run: otherwise
 * redacting a kana-only comment would enable name detection on the redacted text, and redaction
 * would stop being idempotent.
 */
const withoutPlaceholders = (text: string): string =>
  text.includes('[') ? PLACEHOLDERS.reduce((t, p) => t.replaceAll(p, ' '), text) : text;
const MAY_HOLD_NAME = /[\p{Script=Han}\p{Script=Katakana}]/u;

// Zero-width characters typed inside a name to slip it past filters (佐​々​木), and half-width
// katakana (ﾀﾅｶ), which the analyser reads letter by letter.
const NAME_DISGUISE = /[\u200b\u200c\u2060\ufeff\uff66-\uff9f]/u;

const MAX_COMMENT_LENGTH = 2200;
const isInvisible = (code: number): boolean =>
  (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff;

/**
 * The text the name rules read when a disguise has to come off first, with its map back to what
 * was written; undefined when the text is read as written. One pass, unit by unit: a hostile text
 * full of disguises costs a copy, not a rewrite per character.
 */
const nameForm = (text: string): MappedText | undefined => {
  // Reading the text a second time costs a second analysis; Instagram takes comments of at most
  // 2,200 characters, so a longer text is read as written and a hostile one costs no more.
  if (text.length > MAX_COMMENT_LENGTH || !NAME_DISGUISE.test(text)) return undefined;
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isInvisible(code)) {
      i++;
      continue;
    }
    let j = i + 1;
    let piece = text[i] as string;
    if (code >= 0xff66 && code <= 0xff9f) {
      // ｶﾞ: a half-width letter and its sound mark make one full-width letter.
      const mark = text.charCodeAt(j);
      if (mark === 0xff9e || mark === 0xff9f) j++;
      piece = text.slice(i, j).normalize('NFKC');
    }
    for (let k = 0; k < piece.length; k++) {
      out.push(piece[k] as string);
      starts.push(i);
      ends.push(j);
    }
    i = j;
  }
  return { text: out.join(''), starts, ends, originalLength: text.length };
};

/**
 * Keeps the best of overlapping findings: higher score first, then the longer span (a whole bank
 * account beats the bare digits inside it), then the earlier one. Returns them sorted by start.
 */
const resolve = (candidates: readonly PiiSpan[]): PiiSpan[] => {
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Kept spans stay sorted by start and never overlap, so they are sorted by end too: only the
  // last one starting before a candidate's end can reach into it. A hostile text with thousands of
  // findings then costs a binary search per finding, not a scan of every kept one.
  const kept: PiiSpan[] = [];
  for (const c of ranked) {
    if (c.end <= c.start) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((kept[mid] as PiiSpan).start < c.end) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    if (before !== undefined && before.end > c.start) continue;
    kept.splice(lo, 0, c);
  }
  return kept;
};

/**
 * Finds personal data in a comment. Spans are in ORIGINAL text offsets (JavaScript string indices,
 * end exclusive), non-overlapping and sorted; each carries its type, a 0..1 score and the id of the
 * rule that found it. Pure: no I/O, the tokenizer is a port.
 */
const detectPii = (text: string, tokenizer: Tokenizer, options: DetectOptions = {}): PiiSpan[] => {
  if (text.length === 0) return [];
  const mapped = normalizeForPii(text);
  const normalised: Candidate[] = [
    ...findNumberCandidates(mapped.text),
    ...findEmails(mapped.text),
    ...findPassports(mapped.text),
    ...findBirthDates(mapped.text),
    ...findPlates(mapped.text),
    ...findAddresses(mapped.text),
  ];
  const spans: PiiSpan[] = [];
  for (const c of normalised) {
    if (c.score < REPORT_THRESHOLD) continue;
    const { start, end } = toOriginal(mapped, c.start, c.end);
    spans.push({ type: c.type, start, end, score: c.score, rule: c.rule });
  }
  const named = nameForm(text);
  const nameText = named?.text ?? text;
  if (MAY_HOLD_NAME.test(withoutPlaceholders(nameText))) {
    // kuromoji throws on NUL and on a lone surrogate (a truncated emoji); U+FFFD, one unit for one,
    // keeps every offset in place.
    const tokens =
      named === undefined
        ? (options.tokens ?? tokenizer.tokenize(tokenizable(text)))
        : tokenizer.tokenize(tokenizable(nameText));
    // Personal data beside a name makes it a private person's (names-privacy.ts).
    const found = findNames(nameText, tokens, (piece) => tokenizer.tokenize(piece), {
      structured: spans.length > 0,
    });
    for (const c of found) {
      if (c.score < REPORT_THRESHOLD) continue;
      const { start, end } = named === undefined ? c : toOriginal(named, c.start, c.end);
      spans.push({ ...c, start, end });
    }
  } else {
    // Kana or Latin only (はるとくん, My daughter Emily): the cues that need no analysis.
    for (const c of findTextNameCues(text)) if (c.score >= REPORT_THRESHOLD) spans.push(c);
  }
  return resolve(spans);
};

export type { DetectOptions };

const DETECT_PATTERNS: readonly RegExp[] = [MAY_HOLD_NAME, NAME_DISGUISE];

export { DETECT_PATTERNS, detectPii, MAY_HOLD_NAME, resolve };
