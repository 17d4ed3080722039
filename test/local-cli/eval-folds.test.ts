import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foldOf } from '../../local/cli/folds';
import { PROJECT_ROOT } from '../support/npm-start';

/**
 * `npm run eval` ends with one line per fold. A file whose violation labels are all null (a names
 * corpus) has no binary figures: its fold lines say so with a dash, never with zeros that read as
 * a classifier finding nothing.
 */

const dir = mkdtempSync(join(tmpdir(), 'eval-folds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (id: string, text: string, violation: boolean | null) => ({
  id,
  text,
  violation,
  categories: violation ? [6] : [],
  judged: violation === null ? [] : [6],
  pii: [],
  pii_judged: ['person_name'],
  inquiry: null,
  source: 'test',
  tags: [],
});

const evalLines = (rows: readonly object[]): string[] => {
  const file = join(dir, `${rows.length}-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const run = spawnSync('npm', ['run', '-s', 'eval', '--', '--dataset', file], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const out = run.stdout.split('\n');
  const head = out.findIndex((l) => l.startsWith('fold  rows'));
  expect(head).toBeGreaterThanOrEqual(0);
  return out.slice(head + 1).filter((l) => l.trim() !== '');
};

describe('eval fold lines', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `t:${i}`);
  const folds = new Set(ids.map(foldOf));

  it('print a dash for the binary figures of a file without violation labels', () => {
    const lines = evalLines(ids.map((id) => row(id, '夕日がきれいですね', null)));
    expect(lines).toHaveLength(folds.size);
    for (const line of lines) {
      expect(line).toMatch(/^\s+\d\s+\d+\s+–\s+–\s+–\s+– \/ –\s+0$/);
      expect(line).not.toContain('0.000');
    }
  });

  it('print the figures of a labelled file', () => {
    const lines = evalLines(ids.map((id, i) => row(id, '夕日がきれいですね', i < 0)));
    expect(lines).toHaveLength(folds.size);
    for (const line of lines)
      expect(line).toMatch(/^\s+\d\s+\d+\s+0\.000\s+0\.000\s+0\.000\s+0\.0% \/ 0\.0%\s+0$/);
  });
});
