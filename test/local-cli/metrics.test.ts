import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../lambdas/core/analyze';
import type { LabelledRow } from '../../local/cli/dataset';
import { binaryMetrics, evaluate } from '../../local/cli/metrics';

const row = (over: Partial<LabelledRow>): LabelledRow => ({
  id: 'r',
  text: '',
  violation: false,
  categories: [],
  judged: [],
  pii: [],
  pii_judged: [],
  inquiry: null,
  tags: [],
  ...over,
});

const analysis = (over: Partial<Analysis>): Analysis => ({
  action: 'allow',
  categories: [],
  pii: [],
  redactedText: '',
  inquiry: false,
  policyVersion: 'p',
  classifierVersion: 'c',
  ...over,
});

describe('Eval metrics', () => {
  it('computes precision, recall, F1 and FPR from a confusion matrix', () => {
    const m = binaryMetrics([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
      [false, false],
    ]);
    expect(m).toEqual({
      tp: 1,
      fp: 1,
      fn: 1,
      tn: 2,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      fpr: 1 / 3,
    });
  });

  it('counts a gold span as found only when a same-type span covers at least half of it', () => {
    const text = '電話は09012345678です';
    const rows = [
      row({
        text,
        violation: true,
        pii: [{ type: 'phone', start: 3, end: 14 }],
        pii_judged: ['phone'],
      }),
      row({
        text,
        violation: true,
        pii: [{ type: 'phone', start: 3, end: 14 }],
        pii_judged: ['phone'],
      }),
    ];
    const analyses = [
      analysis({
        pii: [{ type: 'phone', start: 3, end: 9, score: 1, rule: 'x' }],
        redactedText: '電話は[電話番号]です',
      }),
      analysis({
        pii: [{ type: 'phone', start: 3, end: 8, score: 1, rule: 'x' }],
        redactedText: text,
      }),
    ];
    const report = evaluate(rows, analyses, 1000);
    expect(report.pii.phone).toEqual({ precision: 1, recall: 0.5, support: 2, leaked: 1 });
    expect(report.pii_leaked).toBe(1);
  });

  it('scores categories only on rows that judge them, and flags criticism that was auto-actioned', () => {
    const rows = [
      row({ violation: true, categories: [4], judged: [4] }),
      row({ violation: false, judged: [4], tags: ['criticism'] }),
      row({ violation: true, categories: [4], judged: [] }),
    ];
    const analyses = [
      analysis({ action: 'hide', categories: [{ id: '4', score: 1, evidence: [] }] }),
      analysis({ action: 'delete', categories: [{ id: '4', score: 1, evidence: [] }] }),
      analysis({}),
    ];
    const report = evaluate(rows, analyses, 1000);
    expect(report.categories['4']).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(report.auto_action_fpr).toBe(1);
    expect(report.criticism_auto_actioned).toBe(1);
    expect(report.binary.fn).toBe(1);
  });

  it('says how many rows it left out for a null label, and leaves them out of those figures', () => {
    const rows = [
      row({ violation: true, inquiry: true }),
      row({ violation: null, inquiry: null }),
      row({ violation: null, inquiry: false }),
      row({ violation: false, inquiry: null }),
    ];
    const flagged = analysis({ action: 'hide', categories: [{ id: '4', score: 1, evidence: [] }] });
    const report = evaluate(rows, [flagged, flagged, flagged, analysis({})], 1000);
    expect(report.unlabelled).toEqual({ violation: 2, inquiry: 2 });
    // The two unlabelled flagged rows count neither as true nor as false positives.
    expect(report.binary).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 1 });
    expect(report.rows).toBe(4);
  });

  it('counts criticism sent to review and the rows the model alone flagged', () => {
    const model = { model: 'm@1', score: 0.9, alone: true };
    const rows = [
      row({ violation: false, tags: ['criticism'] }),
      row({ violation: false, tags: ['criticism'] }),
      row({ violation: false, tags: ['criticism'] }),
      row({ violation: true }),
      row({ violation: null }),
    ];
    const review = {
      action: 'review' as const,
      categories: [{ id: '11' as const, score: 0.9, evidence: [] }],
    };
    const analyses = [
      analysis({ ...review, secondOpinion: model }),
      analysis({ ...review }),
      analysis({}),
      analysis({ ...review, secondOpinion: model }),
      analysis({ ...review, secondOpinion: model }),
    ];
    const report = evaluate(rows, analyses, 1000);
    expect(report.criticism_rows).toBe(3);
    expect(report.criticism_review).toBe(2);
    expect(report.criticism_auto_actioned).toBe(0);
    expect(report.model_only).toEqual({ flags: 2, benign: 1 });
    expect(report.binary).toMatchObject({ tp: 1, fp: 2, tn: 1 });
  });
});
