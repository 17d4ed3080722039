import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { loadOfficeHours } from '../../lambdas/adapters/policy';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import { type ReviewItem, reviewItemSchema } from '../../lambdas/core/review/record';
import type { Embedded } from '../../local/embedded';

const officeHours = loadOfficeHours('rumoi');
const calendar = createBusinessCalendar(officeHours);

/** Thursday 2026-11-26 10:00 JST: the office is open. */
const OPEN_NOW = new Date('2026-11-26T01:00:00Z');
const FAR_FUTURE_SECONDS = Math.floor(Date.UTC(2030, 0, 1) / 1000);

let counter = 0;
const nextCommentId = (): string => String(17_900_000_000_000_000n + BigInt(++counter));

/**
 * A decision item shaped as the classify stage stores it, including the attributes staff must never
 * see (author pseudonym, personal-data positions and counts).
 */
const storedDecision = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  commentId: nextCommentId(),
  accountId: '17841400000000001',
  field: 'comments',
  mediaId: '18000000000000001',
  receivedAt: '2026-11-25T00:59:59.000Z',
  decidedAt: '2026-11-25T01:00:00.000Z',
  policyVersion: '2025-08-20.0',
  classifierVersion: '1.0.0',
  categories: [{ id: '4', score: 0.7, evidence: [{ rule: 'ad.url', start: 3, end: 20 }] }],
  action: 'review',
  actionStatus: 'none',
  redactedText: '詳しくは［URL］へ',
  authorRef: 'a'.repeat(64),
  piiTypes: { phone: 1 },
  piiSpans: [{ type: 'phone', start: 0, end: 13 }],
  inquiry: false,
  expiresAt: FAR_FUTURE_SECONDS,
  reviewState: 'pending',
  stage: 'complete',
  ...overrides,
});

const asItem = (stored: Record<string, unknown>): ReviewItem => reviewItemSchema.parse(stored);

const seed = async (embedded: Embedded, items: readonly Record<string, unknown>[]) => {
  for (const item of items) {
    await embedded.doc.send(
      new PutCommand({ TableName: embedded.tableNames.decisions, Item: item }),
    );
  }
};

export {
  asItem,
  calendar,
  FAR_FUTURE_SECONDS,
  nextCommentId,
  OPEN_NOW,
  officeHours,
  seed,
  storedDecision,
};
