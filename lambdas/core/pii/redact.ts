import type { PiiSpan, PiiType } from './types';

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

/**
 * Replaces each span with its placeholder. Spans may come in any order; one that overlaps an earlier
 * kept span is merged into it (the text it covers is removed either way), and offsets outside the
 * text are clamped, so a bad span can widen what is hidden but never reveal anything.
 */
const redact = (text: string, spans: readonly PiiSpan[]): string => {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let cursor = 0;
  for (const span of sorted) {
    const start = Math.max(0, Math.min(span.start, text.length));
    const end = Math.max(start, Math.min(span.end, text.length));
    if (end <= cursor) continue;
    if (start < cursor) {
      // Overlap: extend the previous placeholder's reach without emitting a second one.
      cursor = end;
      continue;
    }
    parts.push(text.slice(cursor, start), PII_PLACEHOLDERS[span.type]);
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
};

export { PII_PLACEHOLDERS, redact };
