/**
 * The ports the act stage talks through. Adapters in `lambdas/adapters/` implement them against
 * DynamoDB and the Graph API; tests implement them against embedded servers.
 */
import type { ActionMessage, ActionStatus } from '../contracts/decision';
import type { Admission } from './circuit-breaker';
import type { GraphFailure } from './graph-errors';
import type { UsageState } from './throttle-gate';
import type { UsageReading } from './usage';

type ModerationAction = ActionMessage['action'];

/** Terminal statuses the act stage writes; every write is conditional on `pending`. */
type FinalStatus = Extract<ActionStatus, 'done' | 'failed' | 'dry_run' | 'skipped_live'>;

interface StatusUpdate {
  readonly status: FinalStatus;
  readonly now: number;
  /** Error label (`190`, `100/33`, `network_timeout`, `attempts_exhausted`) for failures. */
  readonly error?: string;
  /** Why a `done` needed no effect, e.g. `not_found`. */
  readonly outcome?: string;
}

type ClaimResult =
  /** This caller may send call number `attempt` (1-based) for the comment. */
  | { readonly kind: 'claimed'; readonly attempt: number }
  | { readonly kind: 'missing' }
  /** No longer pending (done, failed, dry run, overridden by staff) or the action changed. */
  | { readonly kind: 'settled'; readonly status: string }
  /** Another function holds the claim until `until`. */
  | { readonly kind: 'leased'; readonly until: number }
  | { readonly kind: 'exhausted'; readonly attempts: number };

interface ClaimRequest {
  readonly commentId: string;
  readonly action: ModerationAction;
  /**
   * Which request this is (the message's `decidedAt`: the classifier's decision or a staff
   * review). Attempts are counted per request, so a reviewed comment gets a fresh budget.
   */
  readonly requestId: string;
  readonly now: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
}

/**
 * The action a pending item accepts is the one it asks for: the staff review's request when there
 * is one, otherwise the classifier's action (or an interim off-hours hide). A message for anything
 * else is stale and settles without a call.
 */
interface ActionStatusPort {
  /** pending → status. False when the item was not pending (already settled): nothing changed. */
  finish(commentId: string, action: ModerationAction, update: StatusUpdate): Promise<boolean>;
  /** Takes a lease on a pending item and counts the attempt, or says why not. */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Gives the lease back after a retryable failure, noting the last error. */
  release(commentId: string, error: string, now: number): Promise<void>;
}

interface BreakerPort {
  /** Reads the shared breaker and records any transition (OPEN → HALF_OPEN) conditionally. */
  admit(now: number): Promise<Admission>;
  recordSuccess(now: number): Promise<void>;
  recordFailure(now: number): Promise<void>;
}

interface UsagePort {
  read(now: number): Promise<UsageState>;
  observe(reading: UsageReading, now: number): Promise<void>;
  throttle(reading: UsageReading | undefined, now: number): Promise<void>;
}

type GraphCallResult =
  | { readonly ok: true; readonly usage?: UsageReading }
  | { readonly ok: false; readonly failure: GraphFailure; readonly usage?: UsageReading };

/**
 * Hide, unhide and delete, nothing else: there is deliberately no way to post content. Unhide only
 * restores a comment the stage hid, after staff approved it.
 */
interface ModerationPort {
  hide(commentId: string): Promise<GraphCallResult>;
  unhide(commentId: string): Promise<GraphCallResult>;
  delete(commentId: string): Promise<GraphCallResult>;
}

const ACT_METRICS = [
  'GraphCallSucceeded',
  'GraphPermanentFailure',
  'GraphThrottled',
  'GraphTransientFailure',
  'GraphRetriesExhausted',
  'GraphDeferred',
  'ActionDryRun',
  'ActionSkippedLive',
  'ActionWithoutDecision',
] as const;
type ActMetric = (typeof ACT_METRICS)[number];

interface ActMetricsPort {
  count(name: ActMetric): void;
}

export type {
  ActionStatusPort,
  ActMetric,
  ActMetricsPort,
  BreakerPort,
  ClaimRequest,
  ClaimResult,
  FinalStatus,
  GraphCallResult,
  ModerationAction,
  ModerationPort,
  StatusUpdate,
  UsagePort,
};
export { ACT_METRICS };
