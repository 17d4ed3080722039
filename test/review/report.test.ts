import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, CATEGORY_IDS } from '../../lambdas/core/contracts/codes';
import { queueOf, type ReviewItem } from '../../lambdas/core/review/record';
import {
  computeMonthlyReport,
  monthRange,
  percentile,
  reportCsv,
} from '../../lambdas/core/review/report';
import { asItem, calendar, storedDecision } from './support';

const MONTH = '2026-11';
// A margin around the month so that items outside it are generated too.
const FROM = Date.parse('2025-11-20T00:00:00Z');
const TO = Date.parse('2026-12-10T00:00:00Z');

const itemArb: fc.Arbitrary<ReviewItem> = fc
  .record({
    id: fc.integer({ min: 1, max: 400 }),
    decidedAt: fc.integer({ min: FROM, max: TO }),
    action: fc.constantFrom(...ACTIONS),
    categories: fc.uniqueArray(fc.constantFrom(...CATEGORY_IDS), { maxLength: 3 }),
    reviewedAfterMs: fc.option(fc.integer({ min: 0, max: 10 * 86_400_000 })),
    inquiry: fc.boolean(),
    handled: fc.boolean(),
  })
  .map((r) =>
    asItem(
      storedDecision({
        commentId: String(17_950_000_000_000_000n + BigInt(r.id)),
        decidedAt: new Date(r.decidedAt).toISOString(),
        action: r.action,
        reviewState: r.action === 'review' && r.reviewedAfterMs === null ? 'pending' : undefined,
        categories: r.categories.map((id) => ({ id, score: 0.9, evidence: [] })),
        inquiry: r.inquiry,
        ...(r.inquiry && r.handled
          ? {
              inquiryHandling: {
                handled: true,
                note: '',
                by: 'local:a',
                at: '2026-12-01T00:00:00.000Z',
                version: 1,
              },
            }
          : {}),
        ...(r.reviewedAfterMs !== null
          ? {
              reviewVersion: 1,
              reviewOutcome: {
                decision: 'approve',
                finalAction: 'allow',
                categories: [],
                reviewer: 'local:a',
                reviewedAt: new Date(r.decidedAt + r.reviewedAfterMs).toISOString(),
                reason: 'ok',
                fromVersion: 0,
                instagram: 'none',
                eventId: 'review#000001',
              },
            }
          : {}),
      }),
    ),
  );

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('monthly report', () => {
  it('its totals equal the items counted, however the items are generated', () => {
    const range = monthRange(MONTH);
    const year = monthRange(MONTH, -11);
    if (!range || !year) throw new Error('bad month');
    fc.assert(
      // One decision per comment, as the table holds them.
      fc.property(
        fc.uniqueArray(itemArb, { maxLength: 120, selector: (i) => i.commentId }),
        (generated) => {
          const items = generated;
          const report = computeMonthlyReport({
            month: MONTH,
            decided: generated,
            inquiries: generated,
            calendar,
          });
          const inMonth = items.filter((i) => i.decidedAt >= range.from && i.decidedAt < range.to);
          expect(report.total).toBe(inMonth.length);
          expect(sum(Object.values(report.byAction))).toBe(report.total);
          for (const action of ACTIONS) {
            expect(report.byAction[action]).toBe(inMonth.filter((i) => i.action === action).length);
          }
          expect(sum(report.byDay.map((d) => d.total))).toBe(report.total);
          expect(report.byDay).toHaveLength(30);
          for (const day of report.byDay) expect(sum(Object.values(day.byAction))).toBe(day.total);
          expect(sum(report.byHour)).toBe(report.total);
          for (const id of CATEGORY_IDS) {
            const asserting = inMonth.filter((i) => i.categories.some((c) => c.id === id));
            const counts = report.byCategory[id];
            expect(counts.total).toBe(asserting.length);
            expect(sum(ACTIONS.map((a) => counts[a]))).toBe(counts.total);
          }
          const reviewed = inMonth.filter((i) => i.reviewOutcome);
          expect(report.reviews.reviewed).toBe(reviewed.length);
          expect(report.reviews.withinOfficeHours).toBe(
            reviewed.filter((i) => calendar.isOpen(Date.parse(i.reviewOutcome?.reviewedAt ?? '')))
              .length,
          );
          expect(report.reviews.pending).toBe(
            inMonth.filter((i) => queueOf(i) !== undefined).length,
          );
          const t = report.reviews.turnaround;
          if (t) {
            expect(t.medianMinutes).toBeLessThanOrEqual(t.p90Minutes);
            expect(t.medianBusinessMinutes).toBeLessThanOrEqual(t.medianMinutes + 0.1);
          } else expect(reviewed).toHaveLength(0);
          const inYear = items.filter(
            (i) => i.inquiry && i.decidedAt >= year.from && i.decidedAt < range.to,
          );
          expect(report.inquiriesByMonth).toHaveLength(12);
          expect(sum(report.inquiriesByMonth.map((m) => m.total))).toBe(inYear.length);
          expect(sum(report.inquiriesByMonth.map((m) => m.handled))).toBe(
            inYear.filter((i) => i.inquiryHandling?.handled).length,
          );
          const csv = reportCsv(report);
          expect(csv.startsWith('\uFEFF')).toBe(true);
          expect(csv).toContain(`判定件数,${report.total}\r\n`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts a comment once even when a listing repeats it', () => {
    const item = asItem(storedDecision({ decidedAt: '2026-11-10T03:00:00.000Z', inquiry: true }));
    const report = computeMonthlyReport({
      month: MONTH,
      decided: [item, item],
      inquiries: [item, item],
      calendar,
    });
    expect(report.total).toBe(1);
    expect(report.inquiriesByMonth.at(-1)?.total).toBe(1);
  });

  it('places decisions on JST days and hours', () => {
    const item = asItem(storedDecision({ decidedAt: '2026-11-30T15:30:00.000Z' }));
    // 2026-12-01 00:30 JST: December, not November.
    const nov = computeMonthlyReport({ month: MONTH, decided: [item], inquiries: [], calendar });
    expect(nov.total).toBe(0);
    const dec = computeMonthlyReport({
      month: '2026-12',
      decided: [item],
      inquiries: [],
      calendar,
    });
    expect(dec.byDay[0]).toMatchObject({ day: '2026-12-01', total: 1 });
    expect(dec.byHour[0]).toBe(1);
    expect(dec.inquiriesByMonth.map((m) => m.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
  });

  it('months: JST boundaries, a year rolling over, and anything else refused', () => {
    expect(monthRange('2026-12')).toEqual({
      key: '2026-12',
      from: '2026-11-30T15:00:00.000Z',
      to: '2026-12-31T15:00:00.000Z',
    });
    expect(monthRange('2026-01', -1)?.key).toBe('2025-12');
    for (const bad of ['2026-13', '2026-00', '26-01', '2026-1', '1999-12', 'x']) {
      expect(monthRange(bad)).toBeUndefined();
    }
    expect(() =>
      computeMonthlyReport({ month: 'x', decided: [], inquiries: [], calendar }),
    ).toThrow(RangeError);
  });

  it('percentiles by nearest rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('CSV cells cannot become spreadsheet formulas', () => {
    const report = computeMonthlyReport({ month: MONTH, decided: [], inquiries: [], calendar });
    const csv = reportCsv({ ...report, month: '=HYPERLINK("x")' });
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
