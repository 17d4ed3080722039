import { parseArgs } from 'node:util';
import type { Analysis } from '../lambdas/core/analyze';
import { createAnalyzer } from './cli/analyzer';
import { readDataset } from './cli/dataset';
import { FOLDS, foldOf, parseFolds } from './cli/folds';
import { type EvalReport, evaluate } from './cli/metrics';
import { runCli } from './cli/run';

/** `npm run eval -- --dataset FILE.jsonl[.gz] [--json]`: quality figures on a labelled file. */

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number): string => x.toFixed(3);

const printHuman = (dataset: string, r: EvalReport): void => {
  const lines: string[] = [];
  lines.push(`dataset ${dataset}: ${r.rows} rows, ${Math.round(r.comments_per_s)} comments/s`);
  if (r.unlabelled.violation > 0) {
    lines.push(
      `skipped ${r.unlabelled.violation} rows with a null violation label (not in the binary, benign and criticism figures)`,
    );
  }
  const b = r.binary;
  if (b.tp + b.fp + b.fn + b.tn > 0) {
    lines.push(
      `binary  P ${num(b.precision)}  R ${num(b.recall)}  F1 ${num(b.f1)}  FPR ${pct(b.fpr)}  (tp ${b.tp} fp ${b.fp} fn ${b.fn} tn ${b.tn})`,
    );
    lines.push(
      `benign  any flag ${pct(r.flag_fpr)}  auto hide/delete ${pct(r.auto_action_fpr)}  criticism auto-actioned ${r.criticism_auto_actioned}`,
    );
    if (r.criticism_rows > 0) {
      lines.push(
        `criticism rows ${r.criticism_rows}: sent to review ${r.criticism_review} (${pct(r.criticism_review / r.criticism_rows)}), auto-actioned ${r.criticism_auto_actioned}`,
      );
    }
    lines.push(
      `model alone flagged ${r.model_only.flags} rows (${r.model_only.benign} benign); the rest of the flags rest on a rule`,
    );
  }
  const categories = Object.entries(r.categories).filter(
    ([, m]) => m.support > 0 || m.precision > 0,
  );
  if (categories.length > 0) {
    lines.push('category  precision  recall  f1     support');
    for (const [id, m] of categories) {
      lines.push(
        `${id.padStart(8)}  ${num(m.precision).padStart(9)}  ${num(m.recall).padStart(6)}  ${num(m.f1)}  ${m.support}`,
      );
    }
  }
  const pii = Object.entries(r.pii).filter(([, m]) => m.support > 0);
  if (pii.length > 0) {
    lines.push('pii type         precision  recall  support  leaked');
    for (const [type, m] of pii) {
      lines.push(
        `${type.padEnd(16)} ${num(m.precision).padStart(9)}  ${num(m.recall).padStart(6)}  ${String(m.support).padStart(7)}  ${m.leaked}`,
      );
    }
    lines.push(`pii leaked ${r.pii_leaked}; spans on look-alike rows ${r.pii_spans_on_clean_rows}`);
  }
  if (r.inquiry.support > 0) {
    lines.push(
      `inquiry P ${num(r.inquiry.precision)}  R ${num(r.inquiry.recall)}  (support ${r.inquiry.support}; ${r.unlabelled.inquiry} rows with a null inquiry label skipped)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
};

/** One line per fold: the binary figures that say whether rules written from folds 1-4 carry over. */
const printFolds = (folds: ReadonlyArray<{ fold: number; report: EvalReport }>): void => {
  const lines = ['fold  rows  P      R      F1     benign flag / auto  leaked'];
  for (const { fold, report: r } of folds) {
    const b = r.binary;
    // A file whose violation labels are all null (names only) has no binary figures, not zeros.
    const judged = b.tp + b.fp + b.fn + b.tn > 0;
    const figures = judged
      ? `${num(b.precision)}  ${num(b.recall)}  ${num(b.f1)}  ${pct(r.flag_fpr).padStart(6)} / ${pct(r.auto_action_fpr).padEnd(6)}`
      : `${'–'.padEnd(5)}  ${'–'.padEnd(5)}  ${'–'.padEnd(5)}  ${'–'.padStart(6)} / ${'–'.padEnd(6)}`;
    lines.push(
      `${String(fold).padStart(4)}  ${String(r.rows).padStart(4)}  ${figures}  ${r.pii_leaked}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
};

const USAGE = `usage: npm run eval -- --dataset FILE.jsonl[.gz] [--fold F] [--json]

Quality figures of the classifier and the personal-data detector on a
labelled file (schema: datasets/README.md in the shared folder).

  --dataset FILE   JSON Lines, optionally gzipped
  --fold F         only these folds (SHA-256 of the row id mod 5): 0, 1-4, 1,3
  --json           one JSON object (keys in DESIGN.md)
  --policy-pack P  policy pack (default: POLICY_PACK, else rumoi)
  -h, --help       this help

Rows whose label is null are left out of the figures they lack a label for;
the report says how many.
`;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      fold: { type: 'string' },
      json: { type: 'boolean', default: false },
      'policy-pack': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.dataset) {
    process.stderr.write(USAGE);
    return 2;
  }
  const wanted = values.fold === undefined ? undefined : parseFolds(values.fold);
  const rows = readDataset(values.dataset).filter(
    (row) => wanted === undefined || wanted.has(foldOf(row.id)),
  );
  const classify = await createAnalyzer(values['policy-pack']);
  const started = performance.now();
  const analyses: Analysis[] = rows.map((row) => classify(row.text));
  const report = evaluate(rows, analyses, performance.now() - started);
  const folds = Array.from({ length: FOLDS }, (_, fold) => fold)
    .filter((fold) => wanted === undefined || wanted.has(fold))
    .map((fold) => {
      const inFold = rows.flatMap((row, i) =>
        foldOf(row.id) === fold ? [{ row, analysis: analyses[i] as Analysis }] : [],
      );
      const report = evaluate(
        inFold.map((x) => x.row),
        inFold.map((x) => x.analysis),
        0,
      );
      return { fold, report };
    });
  if (values.json) {
    const byFold = Object.fromEntries(folds.map(({ fold, report }) => [String(fold), report]));
    process.stdout.write(`${JSON.stringify({ ...report, folds: byFold })}\n`);
  } else {
    printHuman(values.dataset, report);
    printFolds(folds);
  }
  return 0;
};

runCli('eval', main, { failureCode: 2 });
