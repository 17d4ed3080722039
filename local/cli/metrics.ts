import type { Analysis } from '../../lambdas/core/analyze';
import { CATEGORY_IDS } from '../../lambdas/core/contracts/decision';
import { PII_TYPES, type PiiType } from '../../lambdas/core/pii/types';
import type { LabelledRow } from './dataset';

/**
 * Evaluation metrics with the keys of the `npm run eval -- --json` contract (DESIGN.md). Pure, so
 * the arithmetic itself is unit-tested.
 */

interface Binary {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
}

interface PiiTypeMetrics {
  precision: number;
  recall: number;
  support: number;
  leaked: number;
}

interface EvalReport {
  rows: number;
  binary: Binary;
  /** Benign rows hidden or deleted automatically, over all benign rows. */
  auto_action_fpr: number;
  /** Benign rows given any non-allow action, over all benign rows. */
  flag_fpr: number;
  /** Benign rows tagged `criticism` that were hidden or deleted (must be 0). */
  criticism_auto_actioned: number;
  /** Benign rows tagged `criticism`, and those sent to review (by rules or model). */
  criticism_rows: number;
  criticism_review: number;
  /** Judged rows flagged by the learned second opinion alone, and how many of those are benign. */
  model_only: { flags: number; benign: number };
  categories: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  pii: Record<string, PiiTypeMetrics>;
  pii_leaked: number;
  /** Spans reported on rows whose judged types have no gold span (look-alike rows). */
  pii_spans_on_clean_rows: number;
  inquiry: { precision: number; recall: number; support: number };
  /**
   * Rows left out of a figure because their label for it is null: `violation` from the binary and
   * benign figures, `inquiry` from the inquiry figures.
   */
  unlabelled: { violation: number; inquiry: number };
  comments_per_s: number;
}

const ratio = (numerator: number, denominator: number): number =>
  denominator === 0 ? 0 : numerator / denominator;

const f1 = (precision: number, recall: number): number =>
  precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

const binaryMetrics = (pairs: Array<[boolean, boolean]>): Binary => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const [gold, predicted] of pairs) {
    if (gold && predicted) tp++;
    else if (!gold && predicted) fp++;
    else if (gold && !predicted) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { tp, fp, fn, tn, precision, recall, f1: f1(precision, recall), fpr: ratio(fp, fp + tn) };
};

const isAuto = (analysis: Analysis): boolean =>
  analysis.action === 'hide' || analysis.action === 'delete';

const evaluate = (
  rows: readonly LabelledRow[],
  analyses: readonly Analysis[],
  elapsedMs: number,
): EvalReport => {
  const judgedRows = rows
    .map((row, i) => ({ row, analysis: analyses[i] as Analysis }))
    .filter(({ row }) => row.violation !== null);
  const binary = binaryMetrics(
    judgedRows.map(({ row, analysis }) => [row.violation === true, analysis.categories.length > 0]),
  );
  const benign = judgedRows.filter(({ row }) => row.violation === false);
  const criticism = benign.filter(({ row }) => row.tags.includes('criticism'));
  const modelOnly = judgedRows.filter(({ analysis }) => analysis.secondOpinion?.alone === true);

  const categories: EvalReport['categories'] = {};
  for (const id of CATEGORY_IDS) {
    const n = Number(id);
    const pairs = rows
      .map((row, i) => ({ row, analysis: analyses[i] as Analysis }))
      .filter(({ row }) => row.judged.includes(n))
      .map(({ row, analysis }): [boolean, boolean] => [
        row.categories.includes(n),
        analysis.categories.some((c) => c.id === id),
      ]);
    const m = binaryMetrics(pairs);
    categories[id] = { precision: m.precision, recall: m.recall, f1: m.f1, support: m.tp + m.fn };
  }

  const pii: EvalReport['pii'] = {};
  let piiLeaked = 0;
  let spansOnCleanRows = 0;
  for (const type of PII_TYPES) {
    let gold = 0;
    let found = 0;
    let predicted = 0;
    let correct = 0;
    let leaked = 0;
    rows.forEach((row, i) => {
      if (!row.pii_judged.includes(type)) return;
      const analysis = analyses[i] as Analysis;
      const goldSpans = row.pii.filter((s) => s.type === type);
      const predictedSpans = analysis.pii.filter((s) => s.type === (type as PiiType));
      gold += goldSpans.length;
      predicted += predictedSpans.length;
      for (const g of goldSpans) {
        const length = g.end - g.start;
        if (predictedSpans.some((p) => overlap(p, g) * 2 >= length)) found++;
        if (analysis.redactedText.includes(row.text.slice(g.start, g.end))) leaked++;
      }
      for (const p of predictedSpans) {
        if (goldSpans.some((g) => overlap(p, g) > 0)) correct++;
      }
    });
    pii[type] = {
      precision: ratio(correct, predicted),
      recall: ratio(found, gold),
      support: gold,
      leaked,
    };
    piiLeaked += leaked;
  }
  rows.forEach((row, i) => {
    if (row.pii_judged.length === 0 || row.pii.length > 0) return;
    const analysis = analyses[i] as Analysis;
    spansOnCleanRows += analysis.pii.filter((s) => row.pii_judged.includes(s.type)).length;
  });

  const inquiryPairs = rows
    .map((row, i) => ({ row, analysis: analyses[i] as Analysis }))
    .filter(({ row }) => row.inquiry !== null)
    .map(({ row, analysis }): [boolean, boolean] => [row.inquiry === true, analysis.inquiry]);
  const inquiry = binaryMetrics(inquiryPairs);

  return {
    rows: rows.length,
    binary,
    auto_action_fpr: ratio(benign.filter(({ analysis }) => isAuto(analysis)).length, benign.length),
    flag_fpr: ratio(
      benign.filter(({ analysis }) => analysis.action !== 'allow').length,
      benign.length,
    ),
    criticism_auto_actioned: criticism.filter(({ analysis }) => isAuto(analysis)).length,
    criticism_rows: criticism.length,
    criticism_review: criticism.filter(({ analysis }) => analysis.action === 'review').length,
    model_only: {
      flags: modelOnly.length,
      benign: modelOnly.filter(({ row }) => row.violation === false).length,
    },
    categories,
    pii,
    pii_leaked: piiLeaked,
    pii_spans_on_clean_rows: spansOnCleanRows,
    inquiry: {
      precision: inquiry.precision,
      recall: inquiry.recall,
      support: inquiry.tp + inquiry.fn,
    },
    unlabelled: {
      violation: rows.length - judgedRows.length,
      inquiry: rows.filter((row) => row.inquiry === null).length,
    },
    comments_per_s: ratio(rows.length, elapsedMs / 1000),
  };
};

export type { EvalReport };
export { binaryMetrics, evaluate };
