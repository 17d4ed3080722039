import { isUtf8 } from 'node:buffer';
import { z } from 'zod';

/**
 * The classify CLI's JSON Lines input (DESIGN.md): each line is read from raw bytes, so invalid
 * UTF-8 is reported instead of replaced, and a runaway line is refused instead of buffered.
 */

const inputSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

/** Longer lines are refused rather than buffered: a comment is at most a few thousand characters. */
const MAX_LINE_BYTES = 1024 * 1024;

/** The id of a line that parsed as JSON, when it has a usable one. */
const idOf = (value: unknown): string | null => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
    ? String(id)
    : null;
};

/** Only ASCII white space: such a line is skipped (anything else gets an output line). */
const isBlank = (bytes: Buffer): boolean => /^[ \t\r\v\f]*$/.test(bytes.toString('latin1'));

type LineResult = { readonly id: string; readonly text: string } | { readonly error: object };

/** One input line (without its newline) → what to classify, or the error line to print. */
const readLine = (bytes: Buffer): LineResult => {
  if (bytes.length > MAX_LINE_BYTES) {
    return { error: { id: null, error: `line longer than ${MAX_LINE_BYTES} bytes` } };
  }
  if (!isUtf8(bytes)) return { error: { id: null, error: 'line is not valid UTF-8' } };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { error: { id: null, error: 'line is not JSON' } };
  }
  const parsed = inputSchema.safeParse(value);
  if (!parsed.success) {
    return {
      error: {
        id: idOf(value),
        error: 'expected an object with "id" (string or number) and "text" (string)',
      },
    };
  }
  return { id: String(parsed.data.id), text: parsed.data.text };
};

/**
 * Splits a byte stream into lines without decoding it first, so that invalid UTF-8 is seen (a
 * decoder would replace it silently) and a runaway line is cut off instead of buffered whole.
 */
async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  let overflow = false;
  for await (const chunk of input) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (!overflow) {
        if (size + piece.length > MAX_LINE_BYTES) {
          overflow = true;
          pending = [];
        } else {
          pending.push(piece);
          size += piece.length;
        }
      }
      if (newline === -1) break;
      yield overflow ? Buffer.alloc(MAX_LINE_BYTES + 1) : Buffer.concat(pending);
      pending = [];
      size = 0;
      overflow = false;
      start = newline + 1;
    }
  }
  if (overflow) yield Buffer.alloc(MAX_LINE_BYTES + 1);
  else if (size > 0) yield Buffer.concat(pending);
}

export type { LineResult };
export { isBlank, lines, MAX_LINE_BYTES, readLine };
