import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, ACTIONS, CATEGORY_IDS } from '../../lambdas/core/contracts/codes';
import { allows, parseGroupsClaim } from '../../lambdas/core/review/access';
import {
  decisionSearchSchema,
  filterDecisions,
  reviewStateOf,
  searchRange,
} from '../../lambdas/core/review/search';
import { asItem, storedDecision } from './support';

describe('staff groups', () => {
  it('reads the cognito:groups claim in every shape API Gateway hands it over', () => {
    expect(parseGroupsClaim('reviewer')).toEqual(['reviewer']);
    expect(parseGroupsClaim('viewer,reviewer')).toEqual(['viewer', 'reviewer']);
    expect(parseGroupsClaim('[viewer reviewer]')).toEqual(['viewer', 'reviewer']);
    expect(parseGroupsClaim(['viewer', 'admins'])).toEqual(['viewer']);
    expect(parseGroupsClaim('[admins]')).toEqual([]);
    expect(parseGroupsClaim(undefined)).toEqual([]);
    expect(parseGroupsClaim(42)).toEqual([]);
  });

  it('viewers read, reviewers read and act, anyone else neither', () => {
    const who = (groups: ('viewer' | 'reviewer')[]) => ({ id: 'x', name: 'x', groups });
    expect([allows(who(['viewer']), 'read'), allows(who(['viewer']), 'act')]).toEqual([
      true,
      false,
    ]);
    expect([allows(who(['reviewer']), 'read'), allows(who(['reviewer']), 'act')]).toEqual([
      true,
      true,
    ]);
    expect([allows(who([]), 'read'), allows(who([]), 'act')]).toEqual([false, false]);
  });
});

describe('decision search', () => {
  it('refuses impossible dates, reversed and over-long ranges', () => {
    const ok = { from: '2026-11-01', to: '2026-11-30' };
    expect(decisionSearchSchema.parse(ok).limit).toBe(100);
    for (const bad of [
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-11-30', to: '2026-11-01' },
      { from: '2026-01-01', to: '2026-12-31' },
      { from: '1999-12-31', to: '2000-01-01' },
      { ...ok, action: 'remove' },
      { ...ok, category: '12' },
      { ...ok, limit: '0' },
      { from: '2026/11/01', to: '2026-11-30' },
    ]) {
      expect(decisionSearchSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(decisionSearchSchema.parse({ ...ok, action: '', category: '' }).action).toBeUndefined();
    expect(searchRange(ok)).toEqual({
      from: '2026-10-31T15:00:00.000Z',
      to: '2026-11-30T15:00:00.000Z',
    });
  });

  it('returns exactly the matching decisions, newest first, with their total', () => {
    const itemArb = fc
      .record({
        n: fc.integer({ min: 1, max: 10_000 }),
        at: fc.integer({
          min: Date.parse('2026-10-25T00:00:00Z'),
          max: Date.parse('2026-12-05T00:00:00Z'),
        }),
        action: fc.constantFrom(...ACTIONS),
        status: fc.constantFrom(...ACTION_STATUSES),
        categories: fc.uniqueArray(fc.constantFrom(...CATEGORY_IDS), { maxLength: 2 }),
      })
      .map((r) =>
        asItem(
          storedDecision({
            commentId: String(17_960_000_000_000_000n + BigInt(r.n)),
            decidedAt: new Date(r.at).toISOString(),
            action: r.action,
            actionStatus: r.status,
            reviewState: r.action === 'review' ? 'pending' : undefined,
            categories: r.categories.map((id) => ({ id, score: 1, evidence: [] })),
          }),
        ),
      );
    const queryArb = fc.record({
      action: fc.option(fc.constantFrom(...ACTIONS)),
      category: fc.option(fc.constantFrom(...CATEGORY_IDS)),
      status: fc.option(fc.constantFrom(...ACTION_STATUSES)),
      review: fc.option(fc.constantFrom('pending', 'reviewed', 'none')),
      limit: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(itemArb, { maxLength: 80, selector: (i) => i.commentId }),
        queryArb,
        (items, q) => {
          const query = decisionSearchSchema.parse({
            from: '2026-11-01',
            to: '2026-11-30',
            ...Object.fromEntries(Object.entries(q).filter(([, v]) => v !== null)),
          });
          const range = searchRange(query);
          const expected = items.filter(
            (i) =>
              i.decidedAt >= range.from &&
              i.decidedAt < range.to &&
              (q.action === null || i.action === q.action) &&
              (q.category === null || i.categories.some((c) => c.id === q.category)) &&
              (q.status === null || i.actionStatus === q.status) &&
              (q.review === null || reviewStateOf(i) === q.review),
          );
          const found = filterDecisions(items, query);
          expect(found.total).toBe(expected.length);
          expect(found.items).toHaveLength(Math.min(q.limit, expected.length));
          const times = found.items.map((i) => i.decidedAt);
          expect(times).toEqual([...times].sort().reverse());
          for (const item of found.items) expect(expected).toContain(item);
        },
      ),
      { numRuns: 200 },
    );
  });
});
