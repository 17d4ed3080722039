import { z } from 'zod';
import type { StaffIdentity } from './access';
import { type AuditEvent, auditExpiry, inquiryEventId } from './audit';
import { ReviewNotFoundError, StaleVersionError } from './errors';
import type { InquiryHandling, ReviewItem } from './record';

/**
 * The department's mark on an inquiry (article 5(2)): "handled" and a short note on what was done
 * through the city's own channels. The city never replies on Instagram, so nothing here reaches it.
 * Each change is version n → n+1 under a condition on n, recorded first in the audit trail.
 */

const inquiryMarkSchema = z.object({
  handled: z.boolean(),
  /** Staff are asked to write no personal data; bounded and never logged. */
  note: z.string().trim().max(500).default(''),
  /** `inquiryVersion` as the console showed it: 0 before the first mark. */
  version: z.number().int().nonnegative().max(1_000_000),
});
type InquiryMark = z.output<typeof inquiryMarkSchema>;

interface InquiryUpdate {
  readonly commentId: string;
  readonly expectedVersion: number;
  readonly handling: InquiryHandling;
}

interface InquiryPlan {
  readonly event: AuditEvent;
  readonly update: InquiryUpdate;
}

const inquiryVersionOf = (item: ReviewItem): number => item.inquiryHandling?.version ?? 0;

const planInquiryMark = (
  item: ReviewItem,
  mark: InquiryMark,
  ctx: { readonly staff: StaffIdentity; readonly now: Date; readonly auditRetentionDays: number },
): InquiryPlan => {
  if (!item.inquiry) throw new ReviewNotFoundError(item.commentId);
  const current = inquiryVersionOf(item);
  if (mark.version !== current) {
    throw new StaleVersionError(item.commentId, mark.version, current);
  }
  const at = ctx.now.toISOString();
  const handling: InquiryHandling = {
    handled: mark.handled,
    note: mark.note,
    by: ctx.staff.id,
    byName: ctx.staff.name,
    at,
    version: current + 1,
  };
  const event: AuditEvent = {
    commentId: item.commentId,
    eventId: inquiryEventId(handling.version),
    type: mark.handled ? 'inquiry.handled' : 'inquiry.reopened',
    actor: { kind: 'staff', id: ctx.staff.id, name: ctx.staff.name },
    at,
    why: mark.note || (mark.handled ? '対応済み' : '未対応に戻す'),
    policyVersion: item.policyVersion,
    what: { inquiry: handling },
    expiresAt: auditExpiry(ctx.now, ctx.auditRetentionDays),
  };
  return { event, update: { commentId: item.commentId, expectedVersion: current, handling } };
};

export type { InquiryMark, InquiryPlan, InquiryUpdate };
export { inquiryMarkSchema, inquiryVersionOf, planInquiryMark };
