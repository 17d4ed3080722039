import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ActionQueue } from '../core/classify-stage/ports';
import { type ActionMessage, actionMessageSchema } from '../core/contracts/decision';

/**
 * The actions queue. The body is derived from the stored decision, so a re-enqueue after a crash is
 * the same bytes, and the act stage is idempotent on `commentId`. On a FIFO queue the comment id is
 * also the deduplication id, letting SQS drop the repeat within its five-minute window.
 *
 * The records of one classify batch run concurrently, and each enqueues its own action: the
 * messages that arrive in the same turn of the event loop go out in one SendMessageBatch (up to 10
 * entries; an action message is a few hundred bytes, far from the 256 KiB batch limit), instead of
 * one request each. Each `enqueue` still settles on its own entry: it resolves only once SQS
 * reports that entry successful, and rejects otherwise, so a record whose message was not accepted
 * fails and is retried like before.
 */

const MAX_BATCH_ENTRIES = 10;

/** SQS did not accept this message. Carries the SQS error code only. */
class ActionQueueError extends Error {
  override readonly name = 'ActionQueueError';
  constructor(readonly code: string) {
    super(`actions queue refused a message (${code})`);
  }
}

interface Waiting {
  readonly entry: Omit<SendMessageBatchRequestEntry, 'Id'>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface ActionQueueOptions {
  /** Schedules the flush of what was enqueued so far; the next event-loop turn by default. */
  readonly schedule?: (flush: () => void) => void;
}

const sendBatch = async (
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  batch: readonly Waiting[],
): Promise<void> => {
  try {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((w, i) => ({ Id: `a${i}`, ...w.entry })),
      }),
    );
    const ok = new Set((out.Successful ?? []).map((s) => s.Id));
    const codes = new Map((out.Failed ?? []).map((f) => [f.Id, f.Code ?? 'UnknownError']));
    batch.forEach((w, i) => {
      const id = `a${i}`;
      // An entry in neither list was not confirmed: it counts as refused, never as sent.
      if (ok.has(id)) w.resolve();
      else w.reject(new ActionQueueError(codes.get(id) ?? 'Unconfirmed'));
    });
  } catch (error) {
    for (const w of batch) w.reject(error);
  }
};

const createActionQueue = (
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  options: ActionQueueOptions = {},
): ActionQueue => {
  const fifo = queueUrl.endsWith('.fifo');
  const schedule = options.schedule ?? ((flush: () => void) => setImmediate(flush));
  let waiting: Waiting[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH_ENTRIES) {
      void sendBatch(sqs, queueUrl, all.slice(i, i + MAX_BATCH_ENTRIES));
    }
  };

  return {
    enqueue(message: ActionMessage) {
      return new Promise<void>((resolve, reject) => {
        // Inside the executor: an invalid message rejects like a refused one.
        const body = actionMessageSchema.parse(message);
        waiting.push({
          entry: {
            MessageBody: JSON.stringify(body),
            ...(fifo
              ? { MessageGroupId: body.commentId, MessageDeduplicationId: body.commentId }
              : {}),
          },
          resolve,
          reject,
        });
        if (waiting.length >= MAX_BATCH_ENTRIES) flush();
        else if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      });
    },
  };
};

export type { ActionQueueOptions };
export { ActionQueueError, createActionQueue };
