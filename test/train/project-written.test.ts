import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetLines, readDataset } from '../../local/cli/dataset';
import { foldOf } from '../../local/cli/folds';
import { SOURCES } from '../../local/train/classifier-data';

/**
 * The training comments written for this project (data/training/README.md): well-formed, broad
 * enough to teach what each file is for, balanced by hard negatives, and written, not copied from
 * the dev files the classifier is measured on, nor from each other.
 */
const DIR = join(__dirname, '../../data/training');
const DATASETS = join(__dirname, '../../../shared/datasets/dev');

/** Whitespace-free text, so a copy with its spaces moved is still a copy. */
const squeeze = (text: string): string => text.replace(/\s+/gu, '');

interface WrittenFile {
  readonly file: string;
  readonly source: string;
  /** The categories the file teaches, each on at least `minPerCategory` violation rows. */
  readonly categories: readonly number[];
  readonly minPerCategory: number;
  readonly minCriticism: number;
}

const FILES: readonly WrittenFile[] = [
  {
    file: 'project-written.jsonl',
    source: 'project-written',
    categories: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    minPerCategory: 40,
    minCriticism: 100,
  },
  {
    // The second file is about the categories still named least often on unseen comments.
    file: 'project-written-2.jsonl',
    source: 'project-written-2',
    categories: [1, 2, 6, 7, 11],
    minPerCategory: 50,
    minCriticism: 50,
  },
];

const devTexts = (): Set<string> => {
  const dev = new Set<string>();
  for (const file of [
    'municipal-synthetic.jsonl',
    'seeded-pii.jsonl',
    'inspection-ai-toxic.jsonl',
  ]) {
    for (const row of readDataset(join(DATASETS, file))) dev.add(squeeze(row.text));
  }
  // Fold 0 of municipal-synthetic-2 is dropped by id before its text is looked at.
  for (const line of datasetLines(join(DATASETS, 'municipal-synthetic-2.jsonl'))) {
    const row = JSON.parse(line) as { id: string; text: string };
    if (foldOf(row.id) !== 0) dev.add(squeeze(row.text));
  }
  return dev;
};

describe.each(FILES)(
  'data/training/$file',
  ({ file, source, categories, minPerCategory, minCriticism }) => {
    const rows = readDataset(join(DIR, file));

    it('is a source of the learned second opinion', () => {
      const entry = SOURCES.find((s) => s.file === file);
      expect(entry?.from).toBe('project');
      expect(entry?.weight).toBeGreaterThan(0);
    });

    it('has unique ids, its own source, every category judged and labels that agree', () => {
      // The row schema keeps no `source`; the raw lines do.
      for (const line of datasetLines(join(DIR, file))) {
        expect((JSON.parse(line) as { source?: unknown }).source).toBe(source);
      }
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      for (const row of rows) {
        expect(row.id.startsWith(`${source}:`)).toBe(true);
        expect(row.judged).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(row.violation).toBe(row.categories.length > 0);
        expect(row.tags.some((t) => t.startsWith('family:'))).toBe(true);
        for (const span of row.pii) {
          expect(row.pii_judged).toContain(span.type);
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeGreaterThan(span.start);
          expect(span.end).toBeLessThanOrEqual(row.text.length);
        }
      }
    });

    it('teaches its categories on enough rows, with at least as many acceptable rows', () => {
      for (const category of categories) {
        expect(rows.filter((r) => r.categories.includes(category)).length).toBeGreaterThanOrEqual(
          minPerCategory,
        );
      }
      const acceptable = rows.filter((r) => r.violation === false).length;
      expect(acceptable).toBeGreaterThanOrEqual((rows.length - acceptable) * 0.95);
      const criticism = rows.filter((r) => r.tags.includes('criticism'));
      expect(criticism.length).toBeGreaterThanOrEqual(minCriticism);
      expect(criticism.every((r) => !r.violation)).toBe(true);
    });

    it('uses only made-up e-mail addresses', () => {
      for (const row of rows) {
        for (const span of row.pii.filter((s) => s.type === 'email')) {
          expect(row.text.slice(span.start, span.end)).toMatch(/@example\.(com|org|jp|ne\.jp)$/u);
        }
        // An address nobody labelled must be made up too.
        for (const address of row.text.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/gu) ?? []) {
          expect(address).toMatch(/@example\.(com|org|jp|ne\.jp)$/u);
        }
      }
    });

    it('copies no row of the dev files', () => {
      const dev = devTexts();
      expect(dev.size).toBeGreaterThan(1000);
      expect(rows.filter((r) => dev.has(squeeze(r.text))).map((r) => r.id)).toEqual([]);
    });
  },
);

describe('the project-written files', () => {
  it('share no comment with each other', () => {
    const [first, ...rest] = FILES.map((f) => readDataset(join(DIR, f.file)));
    const seen = new Set((first ?? []).map((r) => squeeze(r.text)));
    for (const rows of rest) {
      expect(rows.filter((r) => seen.has(squeeze(r.text))).map((r) => r.id)).toEqual([]);
      for (const r of rows) seen.add(squeeze(r.text));
    }
  });
});
