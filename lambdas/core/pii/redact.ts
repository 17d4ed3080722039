import type { PiiSpan, PiiType } from './types';

type PiiSpanLike = Pick<PiiSpan, 'type' | 'start' | 'end'>;

/** The typed placeholder that replaces each kind of personal data in stored text. */
const PII_PLACEHOLDERS: Readonly<Record<PiiType, string>> = {
  person_name: '[氏名]',
  phone: '[電話番号]',
  email: '[メール]',
  postal_code: '[郵便番号]',
  address: '[住所]',
  my_number: '[個人番号]',
  credit_card: '[カード番号]',
  bank_account: '[口座番号]',
  passport: '[旅券番号]',
  drivers_license: '[免許証番号]',
  birth_date: '[生年月日]',
  license_plate: '[ナンバー]',
};

/** One placeholder in the redacted text and the original range it replaces. */
interface PlaceholderRun {
  readonly start: number;
  readonly end: number;
  readonly placeholder: string;
}

/**
 * The placeholders `redact` writes, in order. Spans may come in any order; one that overlaps an
 * earlier kept span is merged into it (the text it covers is removed either way), and offsets outside
 * the text are clamped, so a bad span can widen what is hidden but never reveal anything.
 */
const placeholderRuns = (length: number, spans: readonly PiiSpanLike[]): PlaceholderRun[] => {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const runs: { start: number; end: number; placeholder: string }[] = [];
  let cursor = 0;
  for (const span of sorted) {
    const start = Math.max(0, Math.min(span.start, length));
    const end = Math.max(start, Math.min(span.end, length));
    if (end <= cursor) continue;
    const last = runs.at(-1);
    if (start < cursor && last) {
      // Overlap: extend the previous placeholder's reach without emitting a second one.
      last.end = end;
      cursor = end;
      continue;
    }
    runs.push({ start, end, placeholder: PII_PLACEHOLDERS[span.type] });
    cursor = end;
  }
  return runs;
};

/** Replaces each span with its placeholder (see `placeholderRuns`). */
const redact = (text: string, spans: readonly PiiSpanLike[]): string => {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const run of placeholderRuns(text.length, spans)) {
    parts.push(text.slice(cursor, run.start), run.placeholder);
    cursor = run.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
};

export type { PlaceholderRun };
export { PII_PLACEHOLDERS, placeholderRuns, redact };
