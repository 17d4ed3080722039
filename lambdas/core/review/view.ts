import type { BusinessCalendar } from '../calendar/calendar';
import type { Action, ActionStatus, CategoryId } from '../contracts/decision';
import type { PiiType } from '../pii/types';
import { type Highlight, placeEvidence } from './highlights';
import {
  type InquiryHandling,
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
  readonly receivedAt?: string;
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
  /** The evidence placed in `redactedText`, for highlighting. */
  readonly highlights: readonly Highlight[];
  /** Personal-data types found, with counts: never a value, never a position. */
  readonly piiTypes: Partial<Record<PiiType, number>>;
  readonly inquiry: boolean;
  readonly inquiryHandling?: Omit<InquiryHandling, 'version'>;
  /** Send this back as `version` when marking an inquiry. */
  readonly inquiryVersion: number;
  /** The notification carried no text yet. */
  readonly pendingFetch?: true;
  readonly policyVersion: string;
  readonly classifierVersion?: string;
  /** Send this back as `version` when reviewing. */
  readonly version: number;
  /** Office-open milliseconds since the decision. */
  readonly ageBusinessMs: number;
  readonly reviewOutcome?: Omit<ReviewOutcome, 'eventId' | 'fromVersion'>;
}

const highlightsOf = (item: ReviewItem): Highlight[] =>
  item.redactedText === undefined
    ? []
    : placeEvidence(
        item.redactedText,
        item.piiSpans,
        item.categories.flatMap((c) =>
          c.evidence.flatMap((e) =>
            e.start !== undefined && e.end !== undefined
              ? [{ category: c.id, rule: e.rule, start: e.start, end: e.end }]
              : [],
          ),
        ),
      );

const toView = (item: ReviewItem, now: Date, calendar: BusinessCalendar): ReviewView => {
  const queue = queueOf(item);
  const outcome = item.reviewOutcome;
  const handling = item.inquiryHandling;
  return {
    commentId: item.commentId,
    ...(item.mediaId !== undefined ? { mediaId: item.mediaId } : {}),
    ...(item.receivedAt !== undefined ? { receivedAt: item.receivedAt } : {}),
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
    highlights: highlightsOf(item),
    piiTypes: { ...item.piiTypes },
    inquiry: item.inquiry,
    ...(handling
      ? {
          inquiryHandling: {
            handled: handling.handled,
            note: handling.note,
            by: handling.by,
            ...(handling.byName ? { byName: handling.byName } : {}),
            at: handling.at,
          },
        }
      : {}),
    inquiryVersion: handling?.version ?? 0,
    ...(item.pendingFetch ? { pendingFetch: true as const } : {}),
    policyVersion: item.policyVersion,
    ...(item.classifierVersion ? { classifierVersion: item.classifierVersion } : {}),
    version: versionOf(item),
    ageBusinessMs: calendar.businessMillisBetween(Date.parse(item.decidedAt), now.getTime()),
    ...(outcome
      ? {
          reviewOutcome: {
            decision: outcome.decision,
            finalAction: outcome.finalAction,
            categories: outcome.categories,
            reviewer: outcome.reviewer,
            ...(outcome.reviewerName ? { reviewerName: outcome.reviewerName } : {}),
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
