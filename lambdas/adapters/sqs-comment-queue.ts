import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { CommentMessage } from '../core/contracts/comment-message';
import { encodeCommentMessage, MAX_MESSAGE_BYTES, utf8Bytes } from '../core/webhook/message-body';
import type { CommentQueue, EnqueueReport } from '../core/webhook/ports';

/**
 * The comments queue behind the `CommentQueue` port. SendMessageBatch in groups of at most 10 entries
 * and 256 KiB; entries SQS refuses for a transient reason are retried with backoff a bounded number of
 * times. If anything is still not accepted the call throws, and the webhook answers 5xx so Meta
 * delivers the whole batch again (the accepted part then arrives twice; decisions are idempotent on
 * the comment id).
 */

const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** Some messages were not accepted. Carries counts and SQS error codes only. */
class CommentQueueError extends Error {
  override name = 'CommentQueueError';
  constructor(
    readonly accepted: number,
    readonly rejected: number,
    readonly codes: readonly string[],
  ) {
    super(`queue accepted ${accepted} messages and refused ${rejected} (${codes.join(', ')})`);
  }
}

interface SqsCommentQueueOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /** Tries per entry, the first included. */
  readonly maxAttempts?: number;
  /** First backoff; doubles each retry, with full jitter. */
  readonly baseDelayMs?: number;
  /** Batches in flight at once: 100 batches one after another would not fit Meta's 5 s budget. */
  readonly concurrency?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

interface PendingEntry {
  readonly id: string;
  readonly body: string;
}

/** Groups bodies by count and total size; a single body never exceeds the limit (see payload.ts). */
const toBatches = (bodies: readonly string[]): PendingEntry[][] => {
  const batches: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let bytes = 0;
  bodies.forEach((body, index) => {
    const size = utf8Bytes(body);
    if (
      current.length === MAX_BATCH_ENTRIES ||
      (current.length > 0 && bytes + size > MAX_BATCH_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ id: `m${index}`, body });
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
};

interface ErrorShape {
  readonly name?: unknown;
  readonly $fault?: unknown;
}

/** Server faults, throttling and network errors may pass; a client fault (no such queue) will not. */
const isTransient = (error: unknown): boolean => {
  const e = (error ?? {}) as ErrorShape;
  if (e.$fault === 'server') return true;
  if (e.$fault === 'client') {
    return typeof e.name === 'string' && /Throttl|RequestThrottled|KmsThrottled/.test(e.name);
  }
  return true;
};

const errorCode = (error: unknown): string => {
  const name = (error as ErrorShape | undefined)?.name;
  return typeof name === 'string' ? name : 'UnknownError';
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const createSqsCommentQueue = (options: SqsCommentQueueOptions): CommentQueue => {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const concurrency = options.concurrency ?? 10;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  return {
    async enqueue(messages: readonly CommentMessage[]): Promise<EnqueueReport> {
      const bodies = messages.map(encodeCommentMessage);
      for (const body of bodies) {
        // The parser never produces one; a guard here keeps the adapter honest on its own.
        if (utf8Bytes(body) > MAX_MESSAGE_BYTES)
          throw new CommentQueueError(0, 1, ['MessageTooLong']);
      }
      const batches = toBatches(bodies);
      let accepted = 0;
      let requests = 0;
      let retriedEntries = 0;
      const refused: string[] = [];
      let stop = false;

      const sendBatch = async (batch: PendingEntry[]) => {
        let pending = batch;
        for (let attempt = 1; pending.length > 0 && !stop; attempt++) {
          if (attempt > 1) {
            await sleep(random() * baseDelayMs * 2 ** (attempt - 2));
            retriedEntries += pending.length;
          }
          requests++;
          const entries: SendMessageBatchRequestEntry[] = pending.map((e) => ({
            Id: e.id,
            MessageBody: e.body,
          }));
          let failed: BatchResultErrorEntry[];
          try {
            const result = await options.client.send(
              new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
            );
            failed = result.Failed ?? [];
            const ok = new Set((result.Successful ?? []).map((s) => s.Id));
            accepted += pending.filter((e) => ok.has(e.id)).length;
            // An entry in neither list was not confirmed: treat it as failed, never as sent.
            const failedIds = new Set(failed.map((f) => f.Id));
            for (const e of pending) {
              if (!ok.has(e.id) && !failedIds.has(e.id)) {
                failed.push({ Id: e.id, Code: 'Unconfirmed', SenderFault: false });
              }
            }
          } catch (error) {
            const code = errorCode(error);
            failed = pending.map((e) => ({
              Id: e.id,
              Code: code,
              SenderFault: !isTransient(error),
            }));
          }
          const permanent = failed.filter((f) => f.SenderFault);
          if (permanent.length > 0 || attempt >= maxAttempts) {
            refused.push(...failed.map((f) => f.Code ?? 'UnknownError'));
            stop = true;
            return;
          }
          const retry = new Set(failed.map((f) => f.Id));
          pending = pending.filter((e) => retry.has(e.id));
        }
        if (pending.length > 0) refused.push(...pending.map(() => 'NotAttempted'));
      };

      let next = 0;
      const worker = async () => {
        while (!stop && next < batches.length) {
          const batch = batches[next++];
          if (batch) await sendBatch(batch);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));

      if (accepted < messages.length) {
        const rejected = messages.length - accepted;
        throw new CommentQueueError(accepted, rejected, [...new Set(refused)].sort());
      }
      return { accepted, requests, retriedEntries };
    },
  };
};

export type { SqsCommentQueueOptions };
export { CommentQueueError, createSqsCommentQueue };
