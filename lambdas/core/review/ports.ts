import type { AuditEvent } from './audit';
import type { Digest } from './digest';
import type { QueueDepths } from './health';
import type { InquiryUpdate } from './inquiry';
import type { QueueName, ReviewItem } from './record';
import type { ReviewActionRequest, ReviewUpdate } from './transitions';

/** Position in a queue listing: items strictly after it, in (decidedAt, commentId) order. */
interface QueueCursor {
  readonly decidedAt: string;
  readonly commentId: string;
}

/** Decisions as review reads and updates them. Every read treats an expired item as absent. */
interface ReviewStore {
  get(commentId: string, now: Date): Promise<ReviewItem | undefined>;
  /** Oldest first: `pending` from the sparse `byReviewState` index, `hidden` from `byAction`. */
  listQueue(
    queue: QueueName,
    options: { readonly now: Date; readonly limit: number; readonly after?: QueueCursor },
  ): Promise<ReviewItem[]>;
  /** Every decision with `from <= decidedAt < to` (ISO instants). */
  listDecided(options: {
    readonly from: string;
    readonly to: string;
    readonly now: Date;
  }): Promise<ReviewItem[]>;
  /** Decisions flagged as inquiries with `from <= decidedAt < to`, oldest first. */
  listInquiries(options: {
    readonly from: string;
    readonly to: string;
    readonly now: Date;
    readonly limit: number;
  }): Promise<ReviewItem[]>;
  /** Conditional on `expectedVersion`; `conflict` when the item is not at that version. */
  applyReview(update: ReviewUpdate, now: Date): Promise<'applied' | 'conflict'>;
  /** Conditional on the mark's `expectedVersion`; `conflict` when it moved on. */
  applyInquiry(update: InquiryUpdate, now: Date): Promise<'applied' | 'conflict'>;
  /** The most recently decided live decision, if any. */
  newest(now: Date): Promise<ReviewItem | undefined>;
}

/** Queue depths for the health page (SQS attributes in AWS, the embedded queues locally). */
interface HealthProbe {
  queueDepths(): Promise<QueueDepths>;
  readonly actionsEnabled: boolean;
}

/** Append-only: `append` never overwrites; an existing event id answers `exists`. */
interface AuditStore {
  append(event: AuditEvent): Promise<'appended' | 'exists'>;
  get(commentId: string, eventId: string, now: Date): Promise<AuditEvent | undefined>;
  /** Oldest first. */
  list(commentId: string, now: Date): Promise<AuditEvent[]>;
  latest(commentId: string, now: Date): Promise<AuditEvent | undefined>;
}

/** Hands a review's Instagram request to the act stage. */
interface ReviewActionSink {
  request(request: ReviewActionRequest): Promise<void>;
}

interface DigestPublisher {
  publish(digest: Digest, text: string): Promise<void>;
}

export type {
  AuditStore,
  DigestPublisher,
  HealthProbe,
  QueueCursor,
  ReviewActionSink,
  ReviewStore,
};
