import type { ActionMessage } from '../contracts/decision';
import type { AuditStore } from '../review/ports';
import type { Analyzer, DecisionRecord, LedgerRow, OffHoursPolicy, StagePolicy } from './records';

/**
 * Single-item conditional writes only (DynamoDB transactions are not available everywhere this
 * runs): each method is safe to repeat, and `now` decides what counts as expired.
 */
interface DecisionStore {
  /** The live decision for a comment; an expired item counts as absent. */
  get(commentId: string, now: Date): Promise<DecisionRecord | undefined>;
  /** Writes the decision unless a live one exists; `false` when another delivery got there first. */
  create(decision: DecisionRecord, now: Date): Promise<boolean>;
  /** Replaces a live pending-fetch decision with a classified one; `false` if it is no longer pending. */
  supersedePendingFetch(decision: DecisionRecord, now: Date): Promise<boolean>;
  /**
   * Takes over the claim on a `decided` decision if it still holds `expected` (compare-and-set);
   * `false` when the decision moved on or someone else took it first.
   */
  claim(commentId: string, expected: Claim, next: Required<Claim>): Promise<boolean>;
  /** Moves `decided` to `complete` and drops the claim; a complete decision is left as it is. */
  markComplete(commentId: string, actionEnqueued: boolean): Promise<void>;
}

interface Claim {
  readonly claimedBy?: string;
  readonly claimedAt?: number;
}

interface PiiLedger {
  /** Writes each row unless a live row with its key exists. */
  putAll(rows: readonly LedgerRow[], now: Date): Promise<void>;
}

interface ActionQueue {
  enqueue(message: ActionMessage): Promise<void>;
}

/** Append-only and keyed by a deterministic event id: a repeated append answers `exists`. */
type AuditTrail = Pick<AuditStore, 'append'>;

interface ClassifyPorts {
  readonly decisions: DecisionStore;
  readonly ledger: PiiLedger;
  readonly actions: ActionQueue;
  readonly audit: AuditTrail;
  readonly analyze: Analyzer;
  readonly policy: StagePolicy;
  readonly offHours: OffHoursPolicy;
  readonly pseudonymKey: string;
  readonly now: () => Date;
  /**
   * How long a claim by another delivery is respected (ms): at least the function timeout (a live
   * claimant is never overtaken) and at most the queue's visibility timeout (a message redriven
   * from the DLQ finds its dead claimant's claim stale). Default 30 s.
   */
  readonly claimTtlMs?: number;
}

export type { ActionQueue, AuditTrail, Claim, ClassifyPorts, DecisionStore, PiiLedger };
