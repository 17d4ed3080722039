import { type MappedText, MappedTextBuilder } from './mapped-text';

/**
 * Matching views of a comment. Every view keeps an offset map to the original text, so evidence
 * found on a view points at what the person actually wrote.
 *
 * - `folded`: NFKC, format characters dropped, marks and variation selectors folded, Cyrillic and
 *   Greek look-alikes mapped to Latin, lower case, katakana folded to hiragana, obfuscated URLs
 *   repaired (hxxp, [.], ドット). Separators are kept: links and sentence-level patterns use it.
 * - `compact`: `folded` without separators between letters (し ね, 死.ね), runs of one character
 *   collapsed, and number/kanji substitutes undone (氏ね, 4ね). Word lists match here.
 */
interface NormalizedText {
  readonly folded: MappedText;
  readonly compact: MappedText;
}

/** Stand-in for a masked character (セ◯レ, ルイ◯トン): a private-use letter no one types. */
const MASK = '\uE000';
const MASK_CHARS = new Set(['◯', '○', '〇', '●', '◎', '⚪', '*', '＊', '×', '✕', '✖', '□', '■']);

/**
 * UTS #39 confusables for the scripts that show up in evasion: Cyrillic and Greek letters that look
 * like Latin ones. Applied after lower-casing.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  и: 'u',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ь: 'b',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  һ: 'h',
  ɡ: 'g',
  ı: 'i',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  σ: 'o',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ℓ: 'l',
};

// Variation selectors (FE00..FE0F, E0100..E01EF) are nonspacing marks, so \p{M} covers them.
const FORMAT_ONLY = /^(?:\p{Cf}|\p{M})*$/u;
const STRAY_MARKS = /\p{Cf}|(?!\u3099|\u309A)\p{M}/gu;
const ACCENTED_LATIN = /[\u00C0-\u024F\u1E00-\u1EFF]/u;

const foldChar = (ch: string): string => {
  const code = ch.codePointAt(0) ?? 0;
  // Katakana (ァ..ヶ) to hiragana; ー and ヽヾ stay.
  if (code >= 0x30a1 && code <= 0x30f6) return String.fromCodePoint(code - 0x60);
  return ch;
};

/** One cluster (a code point and the marks attached to it) to its folded form. */
const foldCluster = (cluster: string): string => {
  if (FORMAT_ONLY.test(cluster)) return '';
  let s = cluster.normalize('NFKC');
  if (ACCENTED_LATIN.test(s)) s = s.normalize('NFD');
  // Marks that NFKC could not compose into the base (e.g. a stray accent or an emoji variation
  // selector) carry no meaning for matching; dakuten that survived NFKC are kept so パ never
  // becomes ハ.
  // Stripping a selector can bring a base and its voiced mark together: compose once more.
  s = s.replace(STRAY_MARKS, '').normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of s) out += CONFUSABLES[ch] ?? ch;
  // A lone mark (ﾞ by itself becomes U+3099) has nothing to attach to: drop it, as a second pass would.
  return FORMAT_ONLY.test(out) ? '' : out;
};

const foldKana = (cluster: string): string => {
  let out = '';
  for (const ch of cluster) out += foldChar(ch);
  return out;
};

/**
 * Rewrites every match of `pattern` (global) with `replacement` and keeps the offset map: each
 * output unit of a replacement maps to the original range of the whole match.
 */
const replaceMapped = (
  mapped: MappedText,
  pattern: RegExp,
  replacement: (match: RegExpExecArray) => string,
): MappedText => {
  const source = mapped.text;
  pattern.lastIndex = 0;
  let match = pattern.exec(source);
  if (match === null) return mapped;
  const out = new MappedTextBuilder();
  let cursor = 0;
  while (match !== null) {
    const from = match.index;
    const to = from + match[0].length;
    out.copy(mapped, cursor, from);
    const value = replacement(match);
    if (value.length > 0 && to > from) {
      const originalStart = mapped.starts[from] ?? 0;
      out.push(value, originalStart, mapped.ends[to - 1] ?? originalStart);
    } else if (value.length > 0) {
      out.copy(mapped, from, to);
    }
    cursor = to;
    if (match[0].length === 0) pattern.lastIndex++;
    match = pattern.exec(source);
  }
  out.copy(mapped, cursor, source.length);
  return out.build(mapped.originalLength);
};

// Obfuscated links: hxxp, [.], (.), [dot], ドット between host labels.
const HXXP = /h(?:xx|\*\*|tt)p(s?)(?=:\/\/|\s*:\s*\/\/)/g;
const BRACKET_DOT = /\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})\s?/g;
// The compact view drops separators and stray symbols, which can bring どっと next to a letter
// that a separator kept apart in the folded view: take whatever compaction would drop on both
// sides (marks left without their letter too: hxxp://ﾞドット…), so normalising compact text again finds nothing new (idempotence). Only a position right
// after a letter starts a scan, so the runs scanned never overlap (linear).
const WORD_DOT =
  /(?<=[a-z0-9])[\s\p{P}\p{S}\p{Z}\p{Cc}\p{M}]*(?:どっと|dot)[\s\p{P}\p{S}\p{Z}\p{Cc}\p{M}]*(?=[a-z]{2})/gu;
const SCHEME_GAP = /(?<=https?)\s{0,2}:\s{0,2}\/\s{0,2}\/\s{0,2}/g;

const SEPARATOR = /[\s\p{P}\p{Z}\p{Cc}]/u;
// 氏ね・4ね・タヒね are written for 死ね; the lookahead keeps 氏名 and 4年 alone.
const DEATH_SUBSTITUTE = /(?:氏|4|たひ)(?=ね)/gu;
const KNIFE_SUBSTITUTE = /(?<=[ぶっ])🔪(?=す)/gu;

// Kanji that pass for katakana inside a katakana word (オン力ジノ, 口グイン).
const KANJI_AS_KATAKANA: Readonly<Record<string, string>> = {
  力: 'カ',
  口: 'ロ',
  工: 'エ',
  夕: 'タ',
  二: 'ニ',
  卜: 'ト',
  八: 'ハ',
  一: 'ー',
};

const KANJI_LOOKALIKE = new Set(Object.keys(KANJI_AS_KATAKANA).map((k) => k.charCodeAt(0)));
const isKatakana = (code: number): boolean => code >= 0x30a1 && code <= 0x30fc;
const NON_ASCII_MARK = /^\p{M}$/u;

/** Characters that can never start a new cluster: the slow path must look at them. */
const mayAttach = (code: number): boolean => {
  if (Number.isNaN(code) || code < 0x300) return false;
  if (code === 0x3099 || code === 0x309a || code === 0x309b || code === 0x309c) return true;
  if ((code >= 0x3041 && code <= 0x3096) || (code >= 0x30a1 && code <= 0x30fc)) return false;
  if (code >= 0x4e00 && code <= 0x9fff) return false;
  if (code === 0xff9e || code === 0xff9f || code === 0x200d) return true;
  if (code >= 0xfe00 && code <= 0xfe0f) return true;
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return NON_ASCII_MARK.test(String.fromCharCode(code));
};

/**
 * Whether the fold leaves the unit at `i` as it is: lower-case ASCII, hiragana, kanji (but not a
 * kanji look-alike between katakana) and ー, with nothing attaching after it.
 */
const keptAsIs = (text: string, i: number): boolean => {
  const code = text.charCodeAt(i);
  if (mayAttach(text.charCodeAt(i + 1))) return false;
  if (code < 0x80) return !(code >= 0x41 && code <= 0x5a);
  if (
    !((code >= 0x3041 && code <= 0x3096) || (code >= 0x4e00 && code <= 0x9fff) || code === 0x30fc)
  )
    return false;
  return !(
    KANJI_LOOKALIKE.has(code) &&
    isKatakana(text.charCodeAt(i - 1)) &&
    isKatakana(text.charCodeAt(i + 1))
  );
};

/**
 * First pass: NFKC and friends per cluster. Plain ASCII, hiragana, katakana and CJK ideographs
 * (most of any comment) take a fast path with the same result as the cluster path.
 */
const foldPass = (text: string): MappedText => {
  const out = new MappedTextBuilder();
  let i = 0;
  while (i < text.length) {
    // A run the fold keeps as it is goes out as one slice, not a string per character.
    let run = i;
    while (run < text.length && keptAsIs(text, run)) run++;
    if (run > i) {
      out.pushUnchanged(text, i, run);
      i = run;
      continue;
    }
    const code = text.charCodeAt(i);
    if (!mayAttach(text.charCodeAt(i + 1))) {
      // Of ASCII, only capitals are left after the run above.
      if (code < 0x80) {
        out.push(String.fromCharCode(code + 32), i, i + 1);
        i++;
        continue;
      }
      // Of hiragana, kanji and ー, only a kanji look-alike between katakana (カ工ル) is left.
      if (
        (code >= 0x3041 && code <= 0x3096) ||
        (code >= 0x4e00 && code <= 0x9fff) ||
        code === 0x30fc
      ) {
        const ch = text[i] ?? '';
        out.push(foldKana(KANJI_AS_KATAKANA[ch] ?? ch), i, i + 1);
        i++;
        continue;
      }
      if (code >= 0x30a1 && code <= 0x30f6) {
        out.push(String.fromCharCode(code - 0x60), i, i + 1);
        i++;
        continue;
      }
    }
    const first = text.codePointAt(i) ?? 0;
    let end = i + (first > 0xffff ? 2 : 1);
    while (end < text.length) {
      const cp = text.codePointAt(end) ?? 0;
      const ch = String.fromCodePoint(cp);
      const attaching =
        cp === 0xff9e ||
        cp === 0xff9f ||
        cp === 0x309b ||
        cp === 0x309c ||
        cp === 0x200d ||
        (cp >= 0xfe00 && cp <= 0xfe0f) ||
        NON_ASCII_MARK.test(ch);
      if (!attaching) break;
      end += ch.length;
    }
    const value = foldKana(foldCluster(text.slice(i, end)));
    if (value.length > 0) out.push(value, i, end);
    i = end;
  }
  return out.build(text.length);
};

const httpOf = (m: RegExpExecArray): string => `http${m[1] ?? ''}`;
const BRACKETS = /[[({]/;
const WORD_DOT_HINT = /どっと|dot/;

const toFolded = (text: string): MappedText => {
  let mapped = foldPass(text);
  if (mapped.text.includes('h')) mapped = replaceMapped(mapped, HXXP, httpOf);
  if (mapped.text.includes('http')) mapped = replaceMapped(mapped, SCHEME_GAP, () => '://');
  if (BRACKETS.test(mapped.text)) mapped = replaceMapped(mapped, BRACKET_DOT, () => '.');
  if (WORD_DOT_HINT.test(mapped.text)) mapped = replaceMapped(mapped, WORD_DOT, () => '.');
  return mapped;
};

const ASCII_KEEP = /[a-z0-9]/;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const SYMBOL = /^\p{S}$/u;

type UnitKind = 'drop' | 'mask' | 'symbol' | 'letter';

const kindOf = (ch: string, code: number): UnitKind => {
  if (code < 0x80) {
    if (ASCII_KEEP.test(ch)) return 'letter';
    if (ch === '*') return 'mask';
    return SEPARATOR.test(ch) ? 'drop' : SYMBOL.test(ch) ? 'symbol' : 'letter';
  }
  if (code === 0x3099 || code === 0x309a) return 'drop';
  if ((code >= 0x3041 && code <= 0x30ff) || (code >= 0x4e00 && code <= 0x9fff)) return 'letter';
  if (MASK_CHARS.has(ch)) return 'mask';
  // Marks left without a letter (the separator they hung on was dropped) go with it.
  if (SEPARATOR.test(ch) || NON_ASCII_MARK.test(ch)) return 'drop';
  if (LETTER_OR_NUMBER.test(ch)) return 'letter';
  return SYMBOL.test(ch) ? 'symbol' : 'letter';
};

/** The compact view's output: one unit per entry, so runs of one character can collapse. */
class CompactOutput {
  private readonly units: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private run = 0;

  /** Emits a code point unit by unit (a surrogate pair is two), so runs compare like the map. */
  emitUnits(value: string, start: number, end: number): void {
    if (value.length === 1) this.emit(value, start, end);
    else for (let k = 0; k < value.length; k++) this.emit(value.charAt(k), start, end);
  }

  private emit(unit: string, start: number, end: number): void {
    const n = this.units.length;
    this.run = n > 0 && this.units[n - 1] === unit ? this.run + 1 : 1;
    // A run of three or more equal units collapses into its first unit, which then covers it all.
    if (this.run >= 3) {
      if (this.run === 3) {
        this.units.pop();
        this.starts.pop();
        this.ends.pop();
      }
      this.ends[this.units.length - 1] = end;
      return;
    }
    this.units.push(unit);
    this.starts.push(start);
    this.ends.push(end);
  }

  build(originalLength: number): MappedText {
    return { text: this.units.join(''), starts: this.starts, ends: this.ends, originalLength };
  }
}

/**
 * Second pass: separators dropped, masks marked, up to three symbols between two letters dropped
 * (死.ね, ぶっ🔪す handled before), runs of one character collapsed to one.
 */
const compactPass = (folded: MappedText): MappedText => {
  const text = folded.text;
  const out = new CompactOutput();
  let pending: Array<{ value: string; start: number; end: number }> = [];
  let lastWasLetter = false;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    const start = folded.starts[i] ?? 0;
    const end = folded.ends[i + ch.length - 1] ?? start;
    const kind = kindOf(ch, cp);
    i += ch.length;
    if (kind === 'drop') continue;
    if (kind === 'symbol') {
      pending.push({ value: ch, start, end });
      continue;
    }
    if (pending.length > 0) {
      if (!(lastWasLetter && pending.length <= 3)) {
        for (const p of pending) out.emitUnits(p.value, p.start, p.end);
      }
      pending = [];
    }
    out.emitUnits(kind === 'mask' ? MASK : ch, start, end);
    lastWasLetter = kind === 'letter' || kind === 'mask';
  }
  for (const p of pending) out.emitUnits(p.value, p.start, p.end);
  return out.build(folded.originalLength);
};

const toCompact = (folded: MappedText): MappedText => {
  let mapped = folded.text.includes('🔪')
    ? replaceMapped(folded, KNIFE_SUBSTITUTE, () => 'ころ')
    : folded;
  mapped = compactPass(mapped);
  // Undoing a substitute can create a new run and collapsing a run a new substitute: repeat until
  // stable so the normaliser stays idempotent.
  for (let round = 0; round < 4 && mapped.text.includes('ね'); round++) {
    const before = mapped.text;
    mapped = replaceMapped(mapped, DEATH_SUBSTITUTE, () => 'し');
    if (mapped.text === before) break;
    mapped = compactPass(mapped);
  }
  return mapped;
};

const normalize = (text: string): NormalizedText => {
  const folded = toFolded(text);
  return { folded, compact: toCompact(folded) };
};

/** The compact form of a word-list entry: policy terms go through the same pipeline as comments. */
const compactTerm = (term: string): string => normalize(term).compact.text;

export type { NormalizedText };

/** Every regular expression the normaliser runs, for the ReDoS check in tests. */
const NORMALIZER_PATTERNS: readonly RegExp[] = [
  FORMAT_ONLY,
  STRAY_MARKS,
  ACCENTED_LATIN,
  HXXP,
  BRACKET_DOT,
  WORD_DOT,
  SCHEME_GAP,
  SEPARATOR,
  DEATH_SUBSTITUTE,
  KNIFE_SUBSTITUTE,
  NON_ASCII_MARK,
  ASCII_KEEP,
  LETTER_OR_NUMBER,
  SYMBOL,
];

export { compactTerm, MASK, NORMALIZER_PATTERNS, normalize, replaceMapped };
