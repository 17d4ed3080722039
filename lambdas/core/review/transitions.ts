import type { CategoryId } from '../contracts/decision';
import { type AuditEvent, auditExpiry, reviewEventId } from './audit';
import { DuplicateReviewError, NotReviewableError, StaleVersionError } from './errors';
import {
  type FinalAction,
  type InstagramRequestKind,
  queueOf,
  type ReviewItem,
  type ReviewOutcome,
  VISIBILITY_OF,
  type Visibility,
  versionOf,
  visibilityOf,
} from './record';
import type { ReviewRequest } from './request';

/**
 * Review transitions, computed before anything is written:
 *
 * - approve (queued items): final action `allow`; unhide when the comment is hidden.
 * - confirm (queued items): final action `hide` (default) or `delete`; a call only if needed.
 * - reclassify (any live item that is not deleted, reviewed or not): a person names categories and
 *   outcome; used for corrections and for the city's own article 6(11) judgements.
 *
 * Every transition moves `reviewVersion` from n to n+1 under a condition on n. A submission based on
 * an older version is stale; the same reviewer repeating the review that made the current version is
 * a duplicate. Deleted comments cannot be restored, so they are not reviewable.
 */

/** The request for the act stage: one of the moderation actions of `actionMessageSchema`. */
interface ReviewActionRequest {
  readonly commentId: string;
  readonly accountId: string;
  readonly field: ReviewItem['field'];
  readonly action: Exclude<InstagramRequestKind, 'none'>;
  readonly mediaProductType?: string;
  readonly policyVersion: string;
  /** The review time: the act stage's `decidedAt`. */
  readonly decidedAt: string;
  readonly reviewVersion: number;
}

/** What the store writes: conditional on `expectedVersion`, removes `reviewState`. */
interface ReviewUpdate {
  readonly commentId: string;
  readonly expectedVersion: number;
  readonly version: number;
  readonly outcome: ReviewOutcome;
  /** Set when the review needs an Instagram call: the act stage moves it to done/failed. */
  readonly actionStatus?: 'pending';
}

interface ReviewPlan {
  readonly event: AuditEvent;
  readonly update: ReviewUpdate;
  readonly request?: ReviewActionRequest;
}

interface ReviewContext {
  readonly reviewer: string;
  /** Display name from the verified identity, kept beside the id in the outcome and the trail. */
  readonly reviewerName?: string;
  readonly now: Date;
  readonly auditRetentionDays: number;
}

const requestFor = (current: Visibility, target: Visibility): InstagramRequestKind => {
  if (current === target) return 'none';
  if (target === 'visible') return 'unhide';
  return target === 'hidden' ? 'hide' : 'delete';
};

const machineCategories = (item: ReviewItem): CategoryId[] => item.categories.map((c) => c.id);

const targetOf = (
  item: ReviewItem,
  request: ReviewRequest,
): { finalAction: FinalAction; categories: CategoryId[] } => {
  switch (request.action) {
    case 'approve':
      return { finalAction: 'allow', categories: [] };
    case 'confirm':
      return { finalAction: request.outcome, categories: machineCategories(item) };
    case 'reclassify':
      return { finalAction: request.outcome, categories: [...request.categories] };
  }
};

const checkReviewable = (item: ReviewItem, request: ReviewRequest, reviewer: string): void => {
  const current = versionOf(item);
  if (request.version !== current) {
    const last = item.reviewOutcome;
    const repeat =
      last !== undefined &&
      last.fromVersion === request.version &&
      last.reviewer === reviewer &&
      last.decision === request.action;
    if (repeat) throw new DuplicateReviewError(item.commentId, current);
    throw new StaleVersionError(item.commentId, request.version, current);
  }
  if (visibilityOf(item) === 'deleted') throw new NotReviewableError(item.commentId, 'deleted');
  if (request.action !== 'reclassify' && queueOf(item) === undefined) {
    throw new NotReviewableError(
      item.commentId,
      item.reviewOutcome ? 'already_reviewed' : 'not_queued',
    );
  }
};

/** The act-stage request an outcome implies for this item, if any. */
const actionRequestFor = (
  item: ReviewItem,
  outcome: ReviewOutcome,
): ReviewActionRequest | undefined => {
  if (outcome.instagram === 'none') return undefined;
  return {
    commentId: item.commentId,
    accountId: item.accountId,
    field: item.field,
    action: outcome.instagram,
    ...(item.mediaProductType !== undefined ? { mediaProductType: item.mediaProductType } : {}),
    policyVersion: item.policyVersion,
    decidedAt: outcome.reviewedAt,
    reviewVersion: outcome.fromVersion + 1,
  };
};

const updateFor = (item: ReviewItem, outcome: ReviewOutcome): ReviewUpdate => ({
  commentId: item.commentId,
  expectedVersion: outcome.fromVersion,
  version: outcome.fromVersion + 1,
  outcome,
  ...(outcome.instagram !== 'none' ? { actionStatus: 'pending' as const } : {}),
});

const planReview = (item: ReviewItem, request: ReviewRequest, ctx: ReviewContext): ReviewPlan => {
  checkReviewable(item, request, ctx.reviewer);
  const fromVersion = versionOf(item);
  const before = visibilityOf(item);
  const target = targetOf(item, request);
  const eventId = reviewEventId(fromVersion + 1);
  const outcome: ReviewOutcome = {
    decision: request.action,
    finalAction: target.finalAction,
    categories: target.categories,
    reviewer: ctx.reviewer,
    ...(ctx.reviewerName ? { reviewerName: ctx.reviewerName } : {}),
    reviewedAt: ctx.now.toISOString(),
    reason: request.reason,
    fromVersion,
    instagram: requestFor(before, VISIBILITY_OF[target.finalAction]),
    eventId,
  };
  const event: AuditEvent = {
    commentId: item.commentId,
    eventId,
    type: `review.${request.action}`,
    actor: {
      kind: 'staff',
      id: ctx.reviewer,
      ...(ctx.reviewerName ? { name: ctx.reviewerName } : {}),
    },
    at: outcome.reviewedAt,
    why: request.reason,
    policyVersion: item.policyVersion,
    what: {
      before: {
        action: item.action,
        visibility: before,
        categories: item.reviewOutcome?.categories ?? machineCategories(item),
        version: fromVersion,
      },
      review: outcome,
    },
    expiresAt: auditExpiry(ctx.now, ctx.auditRetentionDays),
  };
  const actionRequest = actionRequestFor(item, outcome);
  return {
    event,
    update: updateFor(item, outcome),
    ...(actionRequest ? { request: actionRequest } : {}),
  };
};

export type { ReviewActionRequest, ReviewContext, ReviewPlan, ReviewUpdate };
export { actionRequestFor, planReview, updateFor };
