import { z } from 'zod';
import { fromJst, jstDayNumber, jstMidnight } from '../calendar/jst';
import { ACTION_STATUSES, ACTIONS, CATEGORY_IDS } from '../contracts/decision';
import { queueOf, type ReviewItem } from './record';

/**
 * Decision search for staff: by JST date range, action, category, action status and review state,
 * newest first. The store reads the range; the filter is here so that AWS and the local runtime
 * answer the same question the same way.
 */

const MAX_RANGE_DAYS = 92;
const MAX_SEARCH_LIMIT = 500;

const jstDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a JST date YYYY-MM-DD');

/** Day number (days since the epoch, JST) of a `YYYY-MM-DD` string; NaN when not a real date. */
const dayNumberOf = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const instant = fromJst(y, m, d);
  const back = new Date(instant + 9 * 3_600_000);
  const real =
    back.getUTCFullYear() === y && back.getUTCMonth() + 1 === m && back.getUTCDate() === d;
  return real && y >= 2000 && y <= 2100 ? jstDayNumber(instant) : Number.NaN;
};

const REVIEW_STATES = ['pending', 'reviewed', 'none'] as const;
type ReviewState = (typeof REVIEW_STATES)[number];

// Query strings arrive as strings, and an empty form field as ''.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const decisionSearchSchema = z
  .object({
    from: jstDay,
    to: jstDay,
    action: optional(z.enum(ACTIONS)),
    category: optional(z.enum(CATEGORY_IDS)),
    status: optional(z.enum(ACTION_STATUSES)),
    review: optional(z.enum(REVIEW_STATES)),
    limit: optional(z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT)).transform(
      (v) => v ?? 100,
    ),
  })
  .superRefine((q, ctx) => {
    const from = dayNumberOf(q.from);
    const to = dayNumberOf(q.to);
    if (Number.isNaN(from))
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'no such date' });
    if (Number.isNaN(to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'no such date' });
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'before from' });
    if (to - from >= MAX_RANGE_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RANGE_DAYS} days` });
    }
  });
type DecisionSearch = z.output<typeof decisionSearchSchema>;

/** ISO instants `[from, to)` covering the JST days `from..to` inclusive. */
const searchRange = (query: Pick<DecisionSearch, 'from' | 'to'>) => ({
  from: new Date(jstMidnight(dayNumberOf(query.from))).toISOString(),
  to: new Date(jstMidnight(dayNumberOf(query.to) + 1)).toISOString(),
});

const reviewStateOf = (item: ReviewItem): ReviewState =>
  queueOf(item) !== undefined ? 'pending' : item.reviewOutcome ? 'reviewed' : 'none';

const matches = (item: ReviewItem, q: DecisionSearch): boolean =>
  (q.action === undefined || item.action === q.action) &&
  (q.category === undefined || item.categories.some((c) => c.id === q.category)) &&
  (q.status === undefined || item.actionStatus === q.status) &&
  (q.review === undefined || reviewStateOf(item) === q.review);

/** Newest first (ties by id), at most `limit`; `total` counts every match in the range. */
const filterDecisions = (
  items: readonly ReviewItem[],
  query: DecisionSearch,
): { readonly items: ReviewItem[]; readonly total: number } => {
  const range = searchRange(query);
  const seen = new Set<string>();
  const hits = items
    .filter((i) => i.decidedAt >= range.from && i.decidedAt < range.to && matches(i, query))
    .filter((i) => !seen.has(i.commentId) && seen.add(i.commentId))
    .sort((a, b) =>
      a.decidedAt === b.decidedAt
        ? b.commentId.localeCompare(a.commentId)
        : a.decidedAt < b.decidedAt
          ? 1
          : -1,
    );
  return { items: hits.slice(0, query.limit), total: hits.length };
};

export type { DecisionSearch, ReviewState };
export {
  dayNumberOf,
  decisionSearchSchema,
  filterDecisions,
  MAX_SEARCH_LIMIT,
  REVIEW_STATES,
  reviewStateOf,
  searchRange,
};
