import stringWidth from 'string-width';

/**
 * Terminal helpers for the local CLIs. Column widths count display cells, not code units, as
 * `string-width` measures them (Unicode East Asian Width and emoji presentation, maintained
 * upstream): CJK, full-width forms and emoji take two cells, combining marks and variation
 * selectors none, so Japanese text lines up and lines fit the terminal. Cuts fall between
 * grapheme clusters, never inside an emoji sequence.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Display cells `text` takes in a terminal. */
const displayWidth = (text: string): number => stringWidth(text);

/** The terminal's width: the TTY's own, else `COLUMNS`, else 80. */
const terminalWidth = (stream: { readonly columns?: number } = process.stdout): number =>
  stream.columns ?? (Number(process.env.COLUMNS) || 80);

/** Cuts `text` to at most `width` cells, marking a cut with `…`. */
const truncate = (text: string, width: number): string => {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
};

const padEnd = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/**
 * Column widths that fit `total` cells with two-space gaps: columns keep their natural width
 * (widest cell) while they fit; otherwise the `flexible` columns give way, the widest first and
 * never below the next widest, so they end up sharing the room evenly (none below `min`).
 */
const fitWidths = (
  natural: readonly number[],
  total: number,
  flexible: readonly number[],
  min = 8,
): number[] => {
  const widths = [...natural];
  const used = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const width = (i: number) => widths[i] ?? 0;
  while (used() > total) {
    const candidates = flexible.filter((i) => width(i) > min).sort((a, b) => width(b) - width(a));
    const [widest, next] = candidates;
    if (widest === undefined) break;
    const floor = Math.max(min, next === undefined ? 0 : width(next));
    const target = Math.max(floor, width(widest) - (used() - total));
    widths[widest] = target < width(widest) ? target : width(widest) - 1;
  }
  return widths;
};

/**
 * A table that fits `total` cells: the `flexible` columns are cut (with `…`) until every line
 * does. With too little room even then, lines are cut at the end.
 */
const fitTable = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  total: number,
  flexible: readonly number[],
): string[] => {
  const natural = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const widths = fitWidths(natural, total, flexible);
  const cut = (cells: readonly string[]) => cells.map((c, i) => truncate(c, widths[i] ?? 0));
  return table(cut(header), rows.map(cut)).map((line) => truncate(line, total));
};

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

/**
 * Breaks `text` into lines of at most `width` cells, at spaces where there are any (Japanese has
 * none: it breaks between graphemes); lines after the first start with `indent`.
 */
const wrap = (text: string, width: number, indent = ''): string[] => {
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? 0 : displayWidth(indent));
  const push = () => {
    lines.push(lines.length === 0 ? line : `${indent}${line}`);
    line = '';
  };
  for (const word of text.split(/(?<= )/)) {
    if (displayWidth(line + word.trimEnd()) <= room()) {
      line += word;
      continue;
    }
    if (line.trim().length > 0) {
      line = line.trimEnd();
      push();
    }
    for (const { segment } of segmenter.segment(word)) {
      if (displayWidth(line + segment) > room() && line.length > 0) push();
      line += segment;
    }
  }
  if (line.trim().length > 0 || lines.length === 0) {
    line = line.trimEnd();
    push();
  }
  return lines;
};

/** Control characters (newlines, escapes) would break the table or drive the terminal. */
const printable = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

export { displayWidth, fitTable, padEnd, printable, table, terminalWidth, truncate, wrap };
