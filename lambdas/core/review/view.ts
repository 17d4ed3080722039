import type { BusinessCalendar } from '../calendar/calendar';
import type { Action, ActionStatus, CategoryId } from '../contracts/decision';
import {
  type QueueName,
  queueOf,
  type ReviewItem,
  type ReviewOutcome,
  type Visibility,
  versionOf,
  visibilityOf,
} from './record';

/**
 * What staff see of a decision: redacted text, categories with the rules that fired, where the
 * comment stands, the version to review against and how long it has waited in business time.
 * Built field by field from the parsed item, so no stored attribute reaches staff by accident.
 */
interface ReviewView {
  readonly commentId: string;
  readonly mediaId?: string;
  readonly decidedAt: string;
  readonly action: Action;
  readonly interimAction?: 'hide';
  readonly actionStatus: ActionStatus;
  readonly visibility: Visibility;
  readonly queue?: QueueName;
  readonly categories: readonly {
    readonly id: CategoryId;
    readonly score: number;
    readonly rules: readonly string[];
    /** Present when the learned model took part: staff see its judgement as the model's. */
    readonly model?: { readonly name: string; readonly score: number };
  }[];
  readonly redactedText?: string;
  readonly inquiry: boolean;
  readonly policyVersion: string;
  /** Send this back as `version` when reviewing. */
  readonly version: number;
  /** Office-open milliseconds since the decision. */
  readonly ageBusinessMs: number;
  readonly reviewOutcome?: Omit<ReviewOutcome, 'eventId' | 'fromVersion'>;
}

const toView = (item: ReviewItem, now: Date, calendar: BusinessCalendar): ReviewView => {
  const queue = queueOf(item);
  const outcome = item.reviewOutcome;
  return {
    commentId: item.commentId,
    ...(item.mediaId !== undefined ? { mediaId: item.mediaId } : {}),
    decidedAt: item.decidedAt,
    action: item.action,
    ...(item.interimAction !== undefined ? { interimAction: item.interimAction } : {}),
    actionStatus: item.actionStatus,
    visibility: visibilityOf(item),
    ...(queue !== undefined ? { queue } : {}),
    categories: item.categories.map((c) => {
      const byModel = c.evidence.find((e) => e.model !== undefined);
      return {
        id: c.id,
        score: c.score,
        rules: [...new Set(c.evidence.map((e) => e.rule))],
        ...(byModel?.model !== undefined
          ? { model: { name: byModel.model, score: byModel.score ?? c.score } }
          : {}),
      };
    }),
    ...(item.redactedText !== undefined ? { redactedText: item.redactedText } : {}),
    inquiry: item.inquiry,
    policyVersion: item.policyVersion,
    version: versionOf(item),
    ageBusinessMs: calendar.businessMillisBetween(Date.parse(item.decidedAt), now.getTime()),
    ...(outcome
      ? {
          reviewOutcome: {
            decision: outcome.decision,
            finalAction: outcome.finalAction,
            categories: outcome.categories,
            reviewer: outcome.reviewer,
            reviewedAt: outcome.reviewedAt,
            reason: outcome.reason,
            instagram: outcome.instagram,
          },
        }
      : {}),
  };
};

/** Oldest first; the comment id breaks ties so pages are stable. */
const byDecidedAt = (a: ReviewItem, b: ReviewItem): number =>
  a.decidedAt === b.decidedAt
    ? a.commentId.localeCompare(b.commentId)
    : a.decidedAt < b.decidedAt
      ? -1
      : 1;

export type { ReviewView };
export { byDecidedAt, toView };
