import type { BusinessCalendar } from '../calendar/calendar';
import { DAY_MS, jstDate, jstDayNumber, jstMidnight } from '../calendar/jst';
import type { StaffIdentity } from './access';
import { type AuditEvent, auditExpiry, DIGEST_PARTITION } from './audit';
import { computeDigest, type Digest, renderDigest } from './digest';
import { DuplicateReviewError, ReviewNotFoundError, StaleVersionError } from './errors';
import { assessHealth, type Health } from './health';
import { type InquiryMark, planInquiryMark } from './inquiry';
import type {
  AuditStore,
  DigestPublisher,
  HealthProbe,
  QueueCursor,
  ReviewActionSink,
  ReviewStore,
} from './ports';
import { type QueueName, type ReviewItem, type ReviewOutcome, versionOf } from './record';
import { computeMonthlyReport, type MonthlyReport, monthRange } from './report';
import type { ReviewRequest } from './request';
import { type DecisionSearch, filterDecisions, searchRange } from './search';
import { actionRequestFor, planReview, updateFor } from './transitions';
import { byDecidedAt, type ReviewView, toView } from './view';

/**
 * Review use cases over the ports. Without transactions the audit trail is the write-ahead log:
 * 1. append the event (conditional on its version-derived id: the lock that picks one winner),
 * 2. apply the outcome to the decision (conditional on the version),
 * 3. hand the Instagram request to the act stage.
 * A crash after 1 leaves an event ahead of the decision; the next submission for that version finds
 * the event, rolls the decision forward from it and is then told it was stale (or a duplicate). So a
 * decision never changes without its audit event, and an event never stays unapplied for longer than
 * the next attempt.
 */

interface ReviewDeps {
  readonly store: ReviewStore;
  readonly audit: AuditStore;
  readonly actions: ReviewActionSink;
  readonly calendar: BusinessCalendar;
  readonly auditRetentionDays: number;
}

interface SubmitReviewInput {
  readonly commentId: string;
  readonly request: ReviewRequest;
  readonly reviewer: string;
  readonly reviewerName?: string;
  readonly now: Date;
}

interface ReviewResult {
  readonly commentId: string;
  readonly version: number;
  readonly outcome: ReviewOutcome;
  readonly eventId: string;
}

const requireItem = async (
  store: ReviewStore,
  commentId: string,
  now: Date,
): Promise<ReviewItem> => {
  const item = await store.get(commentId, now);
  if (!item) throw new ReviewNotFoundError(commentId);
  return item;
};

/** Applies an outcome recorded in the trail; whoever applies it hands on its Instagram request. */
const applyOutcome = async (
  deps: ReviewDeps,
  item: ReviewItem,
  outcome: ReviewOutcome,
  now: Date,
): Promise<boolean> => {
  const applied = await deps.store.applyReview(updateFor(item, outcome), now);
  if (applied !== 'applied') return false;
  const request = actionRequestFor(item, outcome);
  if (request) await deps.actions.request(request);
  return true;
};

const submitReview = async (deps: ReviewDeps, input: SubmitReviewInput): Promise<ReviewResult> => {
  const item = await requireItem(deps.store, input.commentId, input.now);
  const plan = planReview(item, input.request, {
    reviewer: input.reviewer,
    ...(input.reviewerName ? { reviewerName: input.reviewerName } : {}),
    now: input.now,
    auditRetentionDays: deps.auditRetentionDays,
  });
  const appended = await deps.audit.append(plan.event);
  if (appended === 'exists') {
    const winner = await deps.audit.get(item.commentId, plan.event.eventId, input.now);
    const outcome = winner?.what.review;
    if (outcome && versionOf(item) === outcome.fromVersion) {
      await applyOutcome(deps, item, outcome, input.now);
    }
    const repeat =
      outcome !== undefined &&
      outcome.reviewer === input.reviewer &&
      outcome.decision === input.request.action;
    if (repeat) throw new DuplicateReviewError(item.commentId, plan.update.version);
    throw new StaleVersionError(item.commentId, input.request.version, plan.update.version);
  }
  const applied = await applyOutcome(deps, item, plan.update.outcome, input.now);
  if (!applied) {
    // Only this event may move the item to this version; someone rolled it forward already.
    const current = await requireItem(deps.store, input.commentId, input.now);
    if (current.reviewOutcome?.eventId !== plan.event.eventId) {
      throw new StaleVersionError(item.commentId, input.request.version, versionOf(current));
    }
  }
  return {
    commentId: item.commentId,
    version: plan.update.version,
    outcome: plan.update.outcome,
    eventId: plan.event.eventId,
  };
};

interface QueuePage {
  readonly items: readonly ReviewView[];
  /** Pass back as `after` for the next page; absent on the last page. */
  readonly next?: QueueCursor;
}

interface ListQueueInput {
  readonly now: Date;
  readonly limit: number;
  readonly after?: QueueCursor;
  /** Both queues by default. */
  readonly queues?: readonly QueueName[];
}

/** Items waiting for a person and items the machine hid, merged oldest first. */
const listReviewQueue = async (
  deps: Pick<ReviewDeps, 'store' | 'calendar'>,
  input: ListQueueInput,
): Promise<QueuePage> => {
  const queues = input.queues ?? ['pending', 'hidden'];
  // One more than asked tells whether another page exists.
  const pages = await Promise.all(
    queues.map((queue) =>
      deps.store.listQueue(queue, {
        now: input.now,
        limit: input.limit + 1,
        ...(input.after ? { after: input.after } : {}),
      }),
    ),
  );
  const merged = pages.flat().sort(byDecidedAt);
  const page = merged.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((item) => toView(item, input.now, deps.calendar)),
    ...(merged.length > input.limit && last
      ? { next: { decidedAt: last.decidedAt, commentId: last.commentId } }
      : {}),
  };
};

const listInquiries = async (
  deps: Pick<ReviewDeps, 'store' | 'calendar'>,
  input: { readonly now: Date; readonly since: Date; readonly limit: number },
): Promise<readonly ReviewView[]> => {
  const items = await deps.store.listInquiries({
    from: input.since.toISOString(),
    to: input.now.toISOString(),
    now: input.now,
    limit: input.limit,
  });
  return items.map((item) => toView(item, input.now, deps.calendar));
};

/** Event ids sort by kind (`inquiry#…`, `review#…`, `system#…`): people read the trail by time. */
const chronological = (events: readonly AuditEvent[]): AuditEvent[] =>
  [...events].sort((a, b) =>
    a.at === b.at ? a.eventId.localeCompare(b.eventId) : a.at < b.at ? -1 : 1,
  );

const auditTrail = async (deps: Pick<ReviewDeps, 'audit'>, commentId: string, now: Date) =>
  chronological(await deps.audit.list(commentId, now));

interface InquiryResult {
  readonly commentId: string;
  readonly inquiryVersion: number;
  readonly handled: boolean;
  readonly eventId: string;
}

/**
 * Marks an inquiry handled (or not) with a department note: the trail first (its version-derived
 * event id picks one winner), then the decision under a condition on the mark's version. An event
 * a crash left unapplied is rolled forward by the next submission for that version, as in reviews.
 */
const markInquiry = async (
  deps: Pick<ReviewDeps, 'store' | 'audit' | 'auditRetentionDays'>,
  input: {
    readonly commentId: string;
    readonly mark: InquiryMark;
    readonly staff: StaffIdentity;
    readonly now: Date;
  },
): Promise<InquiryResult> => {
  const item = await requireItem(deps.store, input.commentId, input.now);
  const plan = planInquiryMark(item, input.mark, {
    staff: input.staff,
    now: input.now,
    auditRetentionDays: deps.auditRetentionDays,
  });
  const appended = await deps.audit.append(plan.event);
  if (appended === 'exists') {
    const winner = await deps.audit.get(item.commentId, plan.event.eventId, input.now);
    const handling = winner?.what.inquiry;
    if (handling) {
      await deps.store.applyInquiry(
        { commentId: item.commentId, expectedVersion: plan.update.expectedVersion, handling },
        input.now,
      );
    }
    throw new StaleVersionError(item.commentId, input.mark.version, plan.update.handling.version);
  }
  const applied = await deps.store.applyInquiry(plan.update, input.now);
  if (applied !== 'applied') {
    const current = await requireItem(deps.store, input.commentId, input.now);
    if (current.inquiryHandling?.at !== plan.update.handling.at) {
      throw new StaleVersionError(
        item.commentId,
        input.mark.version,
        current.inquiryHandling?.version ?? 0,
      );
    }
  }
  return {
    commentId: item.commentId,
    inquiryVersion: plan.update.handling.version,
    handled: plan.update.handling.handled,
    eventId: plan.event.eventId,
  };
};

interface SearchResult {
  readonly items: readonly ReviewView[];
  /** Matches in the range; more than `items.length` when the limit cut the list. */
  readonly total: number;
}

const searchDecisions = async (
  deps: Pick<ReviewDeps, 'store' | 'calendar'>,
  query: DecisionSearch,
  now: Date,
): Promise<SearchResult> => {
  const range = searchRange(query);
  const decided = await deps.store.listDecided({ ...range, now });
  const found = filterDecisions(decided, query);
  return {
    items: found.items.map((item) => toView(item, now, deps.calendar)),
    total: found.total,
  };
};

interface CommentDetail {
  readonly decision: ReviewView;
  /** Who did what when: staff with their display names, the system with its rule. */
  readonly audit: readonly AuditEvent[];
}

const commentDetail = async (
  deps: Pick<ReviewDeps, 'store' | 'audit' | 'calendar'>,
  commentId: string,
  now: Date,
): Promise<CommentDetail> => {
  const [item, audit] = await Promise.all([
    requireItem(deps.store, commentId, now),
    auditTrail(deps, commentId, now),
  ]);
  return { decision: toView(item, now, deps.calendar), audit };
};

/** Inquiries are fetched for the year the report's chart covers. */
const INQUIRY_REPORT_LIMIT = 100_000;

const monthlyReport = async (
  deps: Pick<ReviewDeps, 'store' | 'calendar'>,
  month: string,
  now: Date,
): Promise<MonthlyReport> => {
  const range = monthRange(month);
  const yearStart = monthRange(month, -11);
  if (!range || !yearStart) throw new RangeError(`not a month: ${month}`);
  const [decided, inquiries] = await Promise.all([
    deps.store.listDecided({ from: range.from, to: range.to, now }),
    deps.store.listInquiries({
      from: yearStart.from,
      to: range.to,
      now,
      limit: INQUIRY_REPORT_LIMIT,
    }),
  ]);
  return computeMonthlyReport({ month, decided, inquiries, calendar: deps.calendar });
};

const health = async (
  deps: { readonly store: ReviewStore; readonly probe: HealthProbe },
  now: Date,
): Promise<Health> => {
  const [queues, newest] = await Promise.all([deps.probe.queueDepths(), deps.store.newest(now)]);
  return assessHealth({
    queues,
    ...(newest ? { newest } : {}),
    actionsEnabled: deps.probe.actionsEnabled,
    now,
  });
};

interface DigestDeps {
  readonly store: ReviewStore;
  readonly audit: AuditStore;
  readonly publisher: DigestPublisher;
  readonly calendar: BusinessCalendar;
  readonly auditRetentionDays: number;
  /** Version of the office-hours file the digest ran under. */
  readonly policyVersion: string;
}

type DigestRun =
  | { readonly status: 'closed'; readonly reason: string }
  | { readonly status: 'already_sent'; readonly day: string }
  | { readonly status: 'published'; readonly digest: Digest };

const QUEUE_LIMIT = 500;
const LOOKBACK_DAYS = 31;

/** With no digest on record: from the opening of the previous business day. */
const previousOpening = (calendar: BusinessCalendar, now: Date): Date => {
  const today = jstDayNumber(now.getTime());
  for (let day = today - 1; day >= today - LOOKBACK_DAYS; day--) {
    const midnight = jstMidnight(day);
    if (calendar.dayStatus(midnight).open) return new Date(calendar.nextOpening(midnight));
  }
  return new Date(now.getTime() - LOOKBACK_DAYS * DAY_MS);
};

const digestEventId = (day: string): string => `digest#${day}`;

/**
 * Runs on the schedule (08:50 JST on weekdays); skips days the office is closed, and a day that
 * already has a digest (a retried invocation). Publishes first and records after: a crash in
 * between sends the digest twice rather than never.
 */
const runDigest = async (deps: DigestDeps, now: Date): Promise<DigestRun> => {
  const status = deps.calendar.dayStatus(now.getTime());
  if (!status.open) return { status: 'closed', reason: status.reason };
  const day = jstDate(now.getTime()).key;
  const last = await deps.audit.latest(DIGEST_PARTITION, now);
  if (last?.eventId === digestEventId(day)) return { status: 'already_sent', day };
  const since = last ? new Date(last.at) : previousOpening(deps.calendar, now);

  const [decided, pending, hidden] = await Promise.all([
    deps.store.listDecided({ from: since.toISOString(), to: now.toISOString(), now }),
    deps.store.listQueue('pending', { now, limit: QUEUE_LIMIT }),
    deps.store.listQueue('hidden', { now, limit: QUEUE_LIMIT }),
  ]);
  const digest = computeDigest({
    since,
    until: now,
    decided,
    queue: [...pending, ...hidden],
    calendar: deps.calendar,
  });
  await deps.publisher.publish(digest, renderDigest(digest));

  const event: AuditEvent = {
    commentId: DIGEST_PARTITION,
    eventId: digestEventId(day),
    type: 'digest.published',
    actor: { kind: 'system', id: 'digest' },
    at: now.toISOString(),
    why: 'daily digest at the opening of the business day',
    policyVersion: deps.policyVersion,
    what: {
      counts: {
        decisions: digest.decisions,
        pending: digest.pending.length,
        inquiries: digest.inquiries.length,
      },
    },
    expiresAt: auditExpiry(now, deps.auditRetentionDays),
  };
  await deps.audit.append(event);
  return { status: 'published', digest };
};

export type {
  CommentDetail,
  DigestDeps,
  DigestRun,
  InquiryResult,
  ListQueueInput,
  QueuePage,
  ReviewDeps,
  ReviewResult,
  SearchResult,
  SubmitReviewInput,
};
export {
  auditTrail,
  commentDetail,
  health,
  listInquiries,
  listReviewQueue,
  markInquiry,
  monthlyReport,
  runDigest,
  searchDecisions,
  submitReview,
};
