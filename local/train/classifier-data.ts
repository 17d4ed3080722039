import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Head } from '../../lambdas/core/classifier/model';
import { datasetLines, type LabelledRow, parseDatasetLines } from '../cli/dataset';
import { foldOf } from '../cli/folds';

/**
 * What the learned second opinion is trained from: named files of `shared/datasets/dev/`, each
 * recorded in the manifest with its SHA-256, so anyone can show what the weights came from.
 */
interface Source {
  readonly file: string;
  /** Sample weight: a source from another domain (translated prompts) counts for less. */
  readonly weight: number;
  /** Only rows outside fold 0 (SHA-256 of `id` mod 5): fold 0 stays unseen for the honest figures. */
  readonly withoutFold0?: boolean;
  readonly why: string;
}

const SOURCES: readonly Source[] = [
  {
    file: 'municipal-synthetic-2.jsonl',
    weight: 1,
    withoutFold0: true,
    why: 'comments in the style of the city account; folds 1-4 only, fold 0 is the held-out test',
  },
  {
    file: 'municipal-synthetic.jsonl',
    weight: 1,
    why: 'the first set of city-style comments, all 11 categories judged',
  },
  {
    file: 'seeded-pii.jsonl',
    weight: 1,
    why: 'personal data in many formats and look-alikes that are not (category 8)',
  },
  {
    file: 'inspection-ai-toxic.jsonl',
    weight: 1,
    why: 'real short comments in casual register: without them the model took any casual wording for a violation (13.9% of these benign rows flagged when left out, 2.5% cross-validated when in)',
  },
  {
    file: 'rtp-lx-ja.jsonl.gz',
    weight: 0.4,
    why: 'human-translated toxic and benign prompts: other wording, other domain, so it weighs less (read gunzipped in memory only)',
  },
];

/** Not trained on: names in Wikipedia sentences, with no violation judged. */
const NOT_TRAINED_ON = ['stockmark-names.jsonl'] as const;

interface TrainingRow {
  readonly id: string;
  readonly source: string;
  readonly text: string;
  readonly labels: ReadonlyArray<0 | 1 | null>;
  readonly weight: number;
  readonly criticism: boolean;
  readonly row: LabelledRow;
}

interface SourceRecord {
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly weight: number;
  readonly why: string;
  /** For a fold-filtered file: the SHA-256 of the lines kept, in file order, newline-terminated. */
  readonly keptSha256?: string;
  readonly folds?: string;
}

const sha256 = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

const labelsOf = (row: LabelledRow, heads: readonly Head[]): Array<0 | 1 | null> =>
  heads.map((head) => {
    if (head === 'any') return row.violation === null ? null : row.violation ? 1 : 0;
    const n = Number(head);
    if (!row.judged.includes(n)) return null;
    return row.categories.includes(n) ? 1 : 0;
  });

/** Reads every source from `datasets` (the `shared/datasets/dev` folder). */
const loadSources = (
  datasets: string,
  heads: readonly Head[],
): { rows: TrainingRow[]; records: SourceRecord[] } => {
  const rows: TrainingRow[] = [];
  const records: SourceRecord[] = [];
  for (const source of SOURCES) {
    const path = join(datasets, source.file);
    const all = datasetLines(path);
    // Fold 0 is dropped by id before anything else looks at a row.
    const lines = source.withoutFold0
      ? all.filter((line) => foldOf((JSON.parse(line) as { id: string }).id) !== 0)
      : all;
    const parsed = parseDatasetLines(path, lines);
    for (const row of parsed) {
      rows.push({
        id: row.id,
        source: source.file,
        text: row.text,
        labels: labelsOf(row, heads),
        weight: source.weight,
        criticism: row.violation === false && row.tags.includes('criticism'),
        row,
      });
    }
    records.push({
      file: source.file,
      sha256: sha256(readFileSync(path)),
      rows: parsed.length,
      weight: source.weight,
      why: source.why,
      ...(source.withoutFold0 ? { folds: '1-4', keptSha256: sha256(`${lines.join('\n')}\n`) } : {}),
    });
  }
  return { rows, records };
};

export type { Source, SourceRecord, TrainingRow };
export { loadSources, NOT_TRAINED_ON, SOURCES, sha256 };
