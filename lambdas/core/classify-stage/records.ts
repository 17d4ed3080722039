import type { Analysis } from '../analyze';
import type { BusinessCalendar } from '../calendar/calendar';
import type { OffHoursRule } from '../calendar/schema';
import type { CommentField } from '../contracts/comment-message';
import type {
  Action,
  ActionMessage,
  ActionStatus,
  CategoryFinding,
  CategoryId,
} from '../contracts/decision';
import type { PiiType } from '../pii/types';
import type { Policy } from '../policy/schema';
import type { AuditEvent } from '../review/audit';

/**
 * Where a decision is in the classify stage's own protocol. `decided`: the decision is written, its
 * ledger rows and action message may still be missing (a retry resumes them). `complete`: every
 * effect of the stage is done; a duplicate delivery stops at the first read.
 */
type StageState = 'decided' | 'complete';

/** A personal-data span by position only: which characters, never what they were. */
interface PiiPosition {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
}

/**
 * One item per comment in the decisions table (DESIGN.md). Never holds raw text, the username, the
 * raw user id or a personal value: text is redacted, the author is a keyed pseudonym, personal data
 * appears as counts per type and positions.
 */
interface DecisionRecord {
  readonly commentId: string;
  readonly accountId: string;
  readonly field: CommentField;
  readonly mediaId?: string;
  readonly mediaProductType?: string;
  readonly parentId?: string;
  readonly receivedAt: string;
  readonly decidedAt: string;
  readonly policyVersion: string;
  /** Absent while the comment is pending a fetch: nothing was classified. */
  readonly classifierVersion?: string;
  readonly categories: readonly CategoryFinding[];
  readonly action: Action;
  readonly actionStatus: ActionStatus;
  readonly redactedText?: string;
  readonly authorRef?: string;
  /**
   * Keyed reference of the normalised username the comment was posted under (`core/username.ts`),
   * so a request naming an @username finds it; never the username itself.
   */
  readonly usernameRef?: string;
  readonly piiTypes: Partial<Record<PiiType, number>>;
  /**
   * Positions of the ledger rows, kept so that a retry after a crash writes exactly the rows this
   * decision was made with, even if a new classifier version was deployed in between.
   */
  readonly piiSpans: readonly PiiPosition[];
  readonly inquiry: boolean;
  /** Epoch seconds; the table's TTL attribute, and every read treats a past value as absent. */
  readonly expiresAt: number;
  /** Only on `review` decisions: feeds the sparse `byReviewState` index. */
  readonly reviewState?: 'pending';
  /**
   * Set on a `review` decision made while the office was closed: the comment is hidden until a
   * person looks (the act stage accepts a `hide` message for it; approve unhides, confirm keeps it
   * hidden). `action` stays `review`: the machine did not decide, staff still do.
   */
  readonly interimAction?: 'hide';
  /**
   * The message carried no text (a mention, or a change whose text Meta omitted). Nothing was
   * classified: the action is `allow` until a fetch supplies the text and supersedes this record.
   */
  readonly pendingFetch?: true;
  readonly stage: StageState;
  /**
   * Set with `stage: complete` once the action message for a hide/delete decision (or an interim
   * hide) is on the queue.
   */
  readonly actionEnqueued?: boolean;
  /**
   * While `decided`: the delivery (SQS message id) finishing the effects, and since when (epoch
   * ms). A duplicate delivery leaves a fresh claim alone: the claimant's own message stays on the
   * queue until it succeeds, so it is the one that repairs a crash. Removed on completion.
   */
  readonly claimedBy?: string;
  readonly claimedAt?: number;
}

/** One personal-data finding, served to erasure requests by its keyed value reference alone. */
interface LedgerRow {
  readonly commentId: string;
  readonly index: number;
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly valueRef: string;
  readonly purpose: 'moderation';
  readonly expiresAt: number;
}

/** Everything the stage writes for one comment, computed before any write. */
interface StagePlan {
  readonly decision: DecisionRecord;
  readonly ledger: readonly LedgerRow[];
  readonly action?: ActionMessage;
  /** The audit trail's record of an interim hide, when the off-hours rule applied. */
  readonly audit?: AuditEvent;
}

/**
 * Article 5's office hours as the stage applies them to `review` decisions (`effectiveAction`):
 * the calendar, the configured rule and how long the audit trail keeps its events.
 */
interface OffHoursPolicy {
  readonly calendar: BusinessCalendar;
  readonly rule: OffHoursRule;
  readonly auditRetentionDays: number;
}

/**
 * The analyzer as the stage sees it: the core facade with its policy and tokenizer bound. A promise
 * is accepted too, so the stage does not care whether classification ever becomes asynchronous.
 */
type Analyzer = (text: string) => Analysis | Promise<Analysis>;

/** The part of the policy the stage itself reads; the analyzer has the whole policy bound. */
type StagePolicy = Pick<Policy, 'version' | 'retentionDays'>;

export type {
  Analyzer,
  CategoryId,
  DecisionRecord,
  LedgerRow,
  OffHoursPolicy,
  PiiPosition,
  StagePlan,
  StagePolicy,
  StageState,
};
