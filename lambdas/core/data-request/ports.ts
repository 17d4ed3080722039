import type { AuditTrail } from '../classify-stage/ports';
import type { PiiPosition } from '../classify-stage/records';

/** An item as DynamoDB holds it (unmarshalled), every attribute kept. */
type StoredItem = Readonly<Record<string, unknown>>;

/**
 * The tables as a data-subject request sees them. Reads return every item, expired or not:
 * erasure must remove what DynamoDB's TTL sweep has not removed yet, while disclosure filters on
 * `expiresAt` itself so that an expired item is absent there as on every other read.
 */
interface DataRequestStore {
  /** Decisions by author (`byAuthorRef`); index reads are eventually consistent. */
  decisionsByAuthorRef(authorRef: string): Promise<StoredItem[]>;
  /** Decisions posted under a username (`byUsernameRef`). */
  decisionsByUsernameRef(usernameRef: string): Promise<StoredItem[]>;
  /** Ledger rows holding a value (`byValueRef`). */
  ledgerByValueRef(valueRef: string): Promise<StoredItem[]>;
  /** Strongly consistent read of a comment's decision. */
  decision(commentId: string): Promise<StoredItem | undefined>;
  ledgerOfComment(commentId: string): Promise<StoredItem[]>;
  auditOfComment(commentId: string): Promise<StoredItem[]>;
  /**
   * Deletes the decision unless it is being classified right now: `busy` when it is `decided`
   * with a claim (or, without one, a decision time) newer than `busySince`.
   */
  deleteDecision(
    commentId: string,
    busySince: { readonly epochMs: number; readonly iso: string },
  ): Promise<'deleted' | 'busy'>;
  deleteLedgerRow(commentId: string, index: number): Promise<void>;
  deleteAuditEvent(commentId: string, eventId: string): Promise<void>;
}

interface SweepResult {
  /** Messages deleted from the queues and DLQs. */
  readonly removed: number;
  /** False when some queue could not be read to the end within the sweep's time budget. */
  readonly complete: boolean;
}

/**
 * The work queues and their DLQs. A sweep reads every message it can see, deletes those `matches`
 * accepts, and gives the others back at once (see the adapter for the receive-count rules).
 */
interface QueueSweeper {
  sweep(matches: (body: string) => Promise<boolean>): Promise<SweepResult>;
}

interface DataRequestPorts {
  readonly store: DataRequestStore;
  readonly queues: QueueSweeper;
  readonly audit: AuditTrail;
  /**
   * Personal-data positions in a queued comment's text, found exactly as the classify stage finds
   * them (the analyzer's `pii`), so a queued message holding the subject's value is recognised.
   */
  readonly findPii: (text: string) => readonly PiiPosition[] | Promise<readonly PiiPosition[]>;
  readonly pseudonymKey: string;
  readonly policyVersion: string;
  readonly auditRetentionDays: number;
  readonly now: () => Date;
  /** Waits before looking again at a comment that is being classified. */
  readonly wait: (ms: number) => Promise<void>;
  /** How long a classification claim is honoured (ms); the classify stage's own default. */
  readonly claimTtlMs?: number;
}

export type { DataRequestPorts, DataRequestStore, QueueSweeper, StoredItem, SweepResult };
