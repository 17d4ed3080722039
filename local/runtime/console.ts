/**
 * Terminal helpers for the local CLIs. Column widths count display cells, not code units: CJK and
 * full-width characters (and most emoji) take two cells, combining marks and variation selectors
 * none, so Japanese text lines up in a table.
 */

const isZeroWidth = (cp: number): boolean =>
  (cp >= 0x0300 && cp <= 0x036f) || // combining diacritics
  (cp >= 0x200b && cp <= 0x200f) || // zero-width space, joiners, marks
  (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
  (cp >= 0x3099 && cp <= 0x309a) || // combining kana voicing marks
  (cp >= 0xe0100 && cp <= 0xe01ef) ||
  (cp >= 0x1f3fb && cp <= 0x1f3ff); // skin tone modifiers

const isWide = (cp: number): boolean =>
  (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
  (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals, punctuation
  (cp >= 0x3041 && cp <= 0x33ff) || // kana, CJK symbols
  (cp >= 0x3400 && cp <= 0x4dbf) ||
  (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
  (cp >= 0xa000 && cp <= 0xa4cf) ||
  (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0xfe30 && cp <= 0xfe4f) ||
  (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
  (cp >= 0xffe0 && cp <= 0xffe6) ||
  (cp >= 0x1f300 && cp <= 0x1f64f) || // emoji
  (cp >= 0x1f900 && cp <= 0x1f9ff) ||
  (cp >= 0x1f680 && cp <= 0x1f6ff) ||
  (cp >= 0x20000 && cp <= 0x3fffd);

const cellWidth = (cp: number): number => (isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1);

/** Display cells `text` takes in a terminal. */
const displayWidth = (text: string): number => {
  let width = 0;
  for (const ch of text) width += cellWidth(ch.codePointAt(0) ?? 0);
  return width;
};

/** Cuts `text` to at most `width` cells, marking a cut with `…`. */
const truncate = (text: string, width: number): string => {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = cellWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
};

const padEnd = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** One line per row, columns padded to their widest cell; the last column is not padded. */
const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
};

/** Control characters (newlines, escapes) would break the table or drive the terminal. */
const printable = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

export { displayWidth, padEnd, printable, table, truncate };
