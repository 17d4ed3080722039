import type { Span } from './signals';

/**
 * Quotations reported as received: 「荷物を受け取るだけで3万」ってDMが来た, 『当選しました』みたいな
 * コメント. A resident quotes a scam, a threat or a rumour to warn others; the words inside the
 * brackets are someone else's, so the rules do not remove the comment on them alone (see
 * `quotedReport` in the policy schema).
 */

interface QuotedReportConfig {
  readonly rule: string;
  /** Folded with `foldReportWord`. */
  readonly reportedBy: readonly string[];
  readonly window: number;
}

const CLOSERS: Readonly<Record<string, string>> = { '「': '」', '『': '』', '“': '”', '«': '»' };
/** Longer quotations are not a scam pasted to warn: they are the comment itself. */
const MAX_QUOTE = 300;
/** The quoting particle right after the closing bracket. */
const PARTICLE = /^\s?(?:って|と|みたいな|なんて|っていう|という)/u;

/** What the report words are compared with: NFKC, lower case (ＤＭ, DM and dm alike). */
const foldReportWord = (word: string): string => word.normalize('NFKC').toLowerCase();

/** The quotations of `text` (brackets included) that are followed by a report of receiving them. */
const reportedQuotes = (text: string, config: QuotedReportConfig): Span[] => {
  const spans: Span[] = [];
  for (let i = 0; i < text.length; i++) {
    const closer = CLOSERS[text[i] ?? ''];
    if (closer === undefined) continue;
    const close = text.indexOf(closer, i + 1);
    if (close < 0 || close - i > MAX_QUOTE) continue;
    const after = foldReportWord(text.slice(close + 1, close + 1 + config.window));
    if (PARTICLE.test(after) && config.reportedBy.some((word) => after.includes(word))) {
      spans.push({ start: i, end: close + 1 });
    }
    i = close;
  }
  return spans;
};

/** Whether every span lies inside one of the quotations. */
const allInside = (spans: readonly Span[], quotes: readonly Span[]): boolean =>
  spans.every((s) => quotes.some((q) => s.start >= q.start && s.end <= q.end));

export type { QuotedReportConfig };
export { allInside, foldReportWord, reportedQuotes };
