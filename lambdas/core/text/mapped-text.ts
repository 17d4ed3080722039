/**
 * Text with a map back to the original it was derived from. Matching happens on normalised text,
 * but evidence and personal-data spans must point into what the person actually wrote: every
 * normalisation step goes through `rewrite`, which keeps, for each UTF-16 unit of the output, the
 * original range it came from.
 */
interface MappedText {
  readonly text: string;
  /** Original start index of each output unit. */
  readonly starts: readonly number[];
  /** Original end index (exclusive) of each output unit. */
  readonly ends: readonly number[];
  /** Length of the original text. */
  readonly originalLength: number;
}

const identity = (text: string): MappedText => {
  const starts = new Array<number>(text.length);
  const ends = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text, starts, ends, originalLength: text.length };
};

/**
 * Characters that belong to the one before them: combining marks, variation selectors, half-width
 * and standalone (semi-)voiced sound marks. Rewriting a cluster as a whole lets NFKC compose ｶﾞ into
 * ガ while keeping the offset map exact.
 */
const COMBINING_MARK = /^\p{M}$/u;
const ATTACHING_CODE_POINTS = new Set([0xff9e, 0xff9f, 0x309b, 0x309c, 0x200d]);
const isAttaching = (cp: number, ch: string): boolean =>
  ATTACHING_CODE_POINTS.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f) || COMBINING_MARK.test(ch);

/** Splits into clusters: a code point plus any attaching characters after it. */
const clusters = (text: string): Array<{ value: string; start: number; end: number }> => {
  const out: Array<{ value: string; start: number; end: number }> = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const first = text.codePointAt(i) ?? 0;
    i += first > 0xffff ? 2 : 1;
    while (i < text.length) {
      const cp = text.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      if (!isAttaching(cp, ch)) break;
      i += ch.length;
    }
    out.push({ value: text.slice(start, i), start, end: i });
  }
  return out;
};

/**
 * Collects the output of a rewrite and its offset map. A class, not a closure per call: the
 * normaliser builds several for every comment, and its methods are shared.
 */
class MappedTextBuilder {
  private readonly text: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  /** Appends `value`; each of its units maps to the original range [start, end). */
  push(value: string, start: number, end: number): void {
    this.text.push(value);
    for (let k = 0; k < value.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** Appends units [from, to) of `text`, the original itself, each mapping to its own place. */
  pushUnchanged(text: string, from: number, to: number): void {
    this.text.push(text.slice(from, to));
    for (let i = from; i < to; i++) {
      this.starts.push(i);
      this.ends.push(i + 1);
    }
  }

  /** Appends units [from, to) of `source` with their own original ranges. */
  copy(source: MappedText, from: number, to: number): void {
    if (to <= from) return;
    this.text.push(source.text.slice(from, to));
    for (let i = from; i < to; i++) {
      this.starts.push(source.starts[i] ?? 0);
      this.ends.push(source.ends[i] ?? 0);
    }
  }

  build(originalLength: number): MappedText {
    return { text: this.text.join(''), starts: this.starts, ends: this.ends, originalLength };
  }
}

/**
 * Rewrites each cluster with `fn` (which may return '' to drop it, or several characters) and
 * composes the offset maps: every output unit maps to the original range of its source cluster.
 * `fn` receives the cluster and the one before it (already rewritten) for context-sensitive folds.
 */
const rewrite = (
  mapped: MappedText,
  fn: (cluster: string, previousOutput: string) => string,
): MappedText => {
  const out = new MappedTextBuilder();
  let previousOutput = '';
  for (const cluster of clusters(mapped.text)) {
    const replacement = fn(cluster.value, previousOutput);
    if (replacement.length === 0) continue;
    const originalStart = mapped.starts[cluster.start] ?? 0;
    out.push(replacement, originalStart, mapped.ends[cluster.end - 1] ?? originalStart);
    previousOutput = replacement;
  }
  return out.build(mapped.originalLength);
};

/** Maps a range of the normalised text back to the original text. Always inside [0, originalLength]. */
const toOriginal = (
  mapped: MappedText,
  start: number,
  end: number,
): { start: number; end: number } => {
  if (mapped.text.length === 0) return { start: 0, end: 0 };
  const s = Math.max(0, Math.min(start, mapped.text.length - 1));
  const e = Math.max(s + 1, Math.min(end, mapped.text.length));
  const originalStart = mapped.starts[s] ?? 0;
  const originalEnd = mapped.ends[e - 1] ?? originalStart;
  return {
    start: Math.min(originalStart, mapped.originalLength),
    end: Math.min(Math.max(originalEnd, originalStart), mapped.originalLength),
  };
};

export type { MappedText };
export { clusters, identity, MappedTextBuilder, rewrite, toOriginal };
