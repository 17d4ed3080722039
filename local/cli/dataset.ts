import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { PII_TYPES } from '../../lambdas/core/pii/types';

/** One labelled row (shared/datasets/README.md). */
const rowSchema = z.object({
  id: z.string(),
  text: z.string(),
  violation: z.boolean().nullable(),
  categories: z.array(z.number().int().min(1).max(11)),
  judged: z.array(z.number().int().min(1).max(11)),
  pii: z.array(
    z.object({ type: z.enum(PII_TYPES), start: z.number().int(), end: z.number().int() }),
  ),
  pii_judged: z.array(z.enum(PII_TYPES)),
  inquiry: z.boolean().nullable(),
  tags: z.array(z.string()).default([]),
});

type LabelledRow = z.infer<typeof rowSchema>;

/** The non-blank lines of a JSON Lines file, gunzipped in memory for `.gz`. */
const datasetLines = (path: string): string[] => {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.split('\n').filter((line) => line.trim().length > 0);
};

/** Reads JSON Lines, gunzipping `.gz` in memory (RTP-LX must never be written out uncompressed). */
const readDataset = (path: string): LabelledRow[] => parseDatasetLines(path, datasetLines(path));

/** Parses lines of a labelled file; `path` only names the file in errors. */
const parseDatasetLines = (path: string, lines: readonly string[]): LabelledRow[] =>
  lines.map((line, index) => {
    const parsed = rowSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path}: row ${index + 1} does not match the schema`);
    return parsed.data;
  });

export type { LabelledRow };
export { datasetLines, parseDatasetLines, readDataset };
