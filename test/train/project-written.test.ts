import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetLines, readDataset } from '../../local/cli/dataset';
import { foldOf } from '../../local/cli/folds';
import { SOURCES } from '../../local/train/classifier-data';

/**
 * The training comments written for this project (data/training/README.md): well-formed, broad
 * enough to teach every category, balanced by hard negatives, and written, not copied from the dev
 * files the classifier is measured on.
 */
const FILE = join(__dirname, '../../data/training/project-written.jsonl');
const DATASETS = join(__dirname, '../../../shared/datasets/dev');
const rows = readDataset(FILE);

/** Whitespace-free text, so a copy with its spaces moved is still a copy. */
const squeeze = (text: string): string => text.replace(/\s+/gu, '');

describe('data/training/project-written.jsonl', () => {
  it('is a source of the learned second opinion', () => {
    const source = SOURCES.find((s) => s.file === 'project-written.jsonl');
    expect(source?.from).toBe('project');
    expect(source?.weight).toBeGreaterThan(0);
  });

  it('has unique ids, its own source, every category judged and labels that agree', () => {
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.id.startsWith('project-written:')).toBe(true);
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

  it('teaches every category on at least 40 rows, with at least as many acceptable rows', () => {
    for (let category = 1; category <= 11; category++) {
      expect(rows.filter((r) => r.categories.includes(category)).length).toBeGreaterThanOrEqual(40);
    }
    const acceptable = rows.filter((r) => r.violation === false).length;
    expect(acceptable).toBeGreaterThanOrEqual(rows.length - acceptable);
    expect(rows.filter((r) => r.tags.includes('criticism')).every((r) => !r.violation)).toBe(true);
  });

  it('uses only made-up e-mail addresses', () => {
    for (const row of rows) {
      for (const span of row.pii.filter((s) => s.type === 'email')) {
        expect(row.text.slice(span.start, span.end)).toMatch(/@example\.(com|org|jp|ne\.jp)$/u);
      }
    }
  });

  // Fold 0 of municipal-synthetic-2 is dropped by id before its text is looked at.
  it('copies no row of the dev files', () => {
    const dev = new Set<string>();
    for (const file of ['municipal-synthetic.jsonl', 'seeded-pii.jsonl']) {
      for (const row of readDataset(join(DATASETS, file))) dev.add(squeeze(row.text));
    }
    for (const line of datasetLines(join(DATASETS, 'municipal-synthetic-2.jsonl'))) {
      const row = JSON.parse(line) as { id: string; text: string };
      if (foldOf(row.id) !== 0) dev.add(squeeze(row.text));
    }
    expect(dev.size).toBeGreaterThan(1000);
    expect(rows.filter((r) => dev.has(squeeze(r.text))).map((r) => r.id)).toEqual([]);
  });
});
