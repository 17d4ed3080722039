import { describe, expect, it } from 'vitest';
import { loadOfficeHours } from '../../lambdas/adapters/policy';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import { reviewItemSchema } from '../../lambdas/core/review/record';
import { toView } from '../../lambdas/core/review/view';
import { storedDecision } from './support';

const calendar = createBusinessCalendar(loadOfficeHours('rumoi'));
const now = new Date('2026-11-26T01:00:00Z');

describe('review view of a decision the learned model took part in', () => {
  it('shows the model and its score beside the rules, and nothing for rule-only categories', () => {
    const item = reviewItemSchema.parse(
      storedDecision({
        categories: [
          {
            id: '11',
            score: 0.81,
            evidence: [
              { rule: 'model.alone', start: 0, end: 9, model: 'comment-lr@1.abc', score: 0.81 },
            ],
          },
          { id: '4', score: 0.7, evidence: [{ rule: 'c4.sell', start: 3, end: 20 }] },
        ],
      }),
    );
    const view = toView(item, now, calendar);
    expect(view.categories).toEqual([
      {
        id: '11',
        score: 0.81,
        rules: ['model.alone'],
        model: { name: 'comment-lr@1.abc', score: 0.81 },
      },
      { id: '4', score: 0.7, rules: ['c4.sell'] },
    ]);
  });
});
