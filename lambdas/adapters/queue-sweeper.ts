import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueSweeper, SweepResult } from '../core/data-request/ports';

/**
 * Removes a data subject's messages from the work queues and their DLQs. SQS has no way to look
 * at a message without receiving it, and receiving changes it, so each queue is swept like this:
 *
 * - Every message seen is received with a visibility timeout (`holdSeconds`) longer than the
 *   sweep may run, so no message comes back mid-sweep and each is looked at once. Matching
 *   messages are deleted; every other one is made visible again (visibility 0) as soon as the
 *   queue's sweep ends, so a consumer waits seconds for it, not the queue's visibility timeout.
 *   Should the sweep die, the held messages reappear by themselves after `holdSeconds`.
 * - A receive counts towards the redrive policy's `maxReceiveCount`. On a work queue (it has a
 *   consumer), a message that this receive brought to the limit would go to the DLQ on the
 *   consumer's next receive without being processed: it is sent again as a fresh copy (the stages
 *   are idempotent on the comment id) and the original deleted, so a sweep never costs a comment
 *   its last attempt. DLQs have no redrive policy, so nothing else changes for them.
 * - What a sweep cannot see is out of its reach: messages in flight (a consumer is processing
 *   them; the erasure's second pass over the tables catches what they produce), delayed messages
 *   (deferred actions, which carry no personal data), and messages in a running DLQ redrive.
 * - Each queue is read until a receive comes back empty (long polling, which asks every SQS
 *   server) or the time budget runs out; then the sweep reports itself incomplete.
 */

interface SweptQueue {
  readonly url: string;
  /** Work queues only: the redrive policy's `maxReceiveCount` (DLQs leave it unset). */
  readonly maxReceiveCount?: number;
}

interface QueueSweeperOptions {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly queues: readonly SweptQueue[];
  /** How long a received message stays hidden: longer than the sweep may run. Default 60 s. */
  readonly holdSeconds?: number;
  /** Long-poll wait per receive. Default 1 s (every SQS server is asked); 0 for fauxqs. */
  readonly waitSeconds?: number;
  /** How long one queue may be read (ms). Default a third of the hold. */
  readonly budgetMs?: number;
}

const BATCH = 10;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
};

/** Received message attributes in the shape SendMessage takes. */
const sendable = (
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, MessageAttributeValue> | undefined => {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = {
      DataType: a.DataType,
      ...(a.StringValue !== undefined ? { StringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { BinaryValue: a.BinaryValue } : {}),
    };
  }
  return out;
};

const createQueueSweeper = (options: QueueSweeperOptions): QueueSweeper => {
  const { sqs } = options;
  const holdSeconds = options.holdSeconds ?? 60;
  const waitSeconds = options.waitSeconds ?? 1;
  const budgetMs = options.budgetMs ?? (holdSeconds * 1000) / 3;

  /** Deletes by receipt handle; returns the ids SQS confirmed. */
  const deleteAll = async (url: string, messages: readonly Message[]): Promise<Set<string>> => {
    const done = new Set<string>();
    for (const batch of chunks(messages)) {
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      for (const ok of out.Successful ?? []) {
        const message = batch[Number(ok.Id)];
        if (message?.MessageId) done.add(message.MessageId);
      }
    }
    return done;
  };

  const showAgain = async (url: string, messages: readonly Message[]): Promise<void> => {
    for (const batch of chunks(messages)) {
      // An entry that fails (its handle expired) reappears by itself when the hold ends.
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  };

  /** Gives the kept messages back; those the sweep brought to the receive limit as fresh copies. */
  const giveBack = async (queue: SweptQueue, kept: readonly Message[]): Promise<void> => {
    const limit = queue.maxReceiveCount;
    const atLimit = (m: Message) =>
      limit !== undefined && Number(m.Attributes?.ApproximateReceiveCount ?? '0') >= limit;
    const copied: Message[] = [];
    for (const m of kept.filter(atLimit)) {
      try {
        const attributes = sendable(m.MessageAttributes);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: m.Body ?? '',
            ...(attributes ? { MessageAttributes: attributes } : {}),
          }),
        );
        copied.push(m);
      } catch {
        // Not copied: given back as it is, which is what an ordinary failed receive would do.
      }
    }
    const removed = await deleteAll(queue.url, copied);
    await showAgain(
      queue.url,
      kept.filter((m) => !removed.has(m.MessageId ?? '')),
    );
  };

  const sweepQueue = async (
    queue: SweptQueue,
    matches: (body: string) => Promise<boolean>,
  ): Promise<SweepResult> => {
    const kept: Message[] = [];
    let removed = 0;
    const deadline = Date.now() + budgetMs;
    try {
      for (;;) {
        if (Date.now() > deadline) return { removed, complete: false };
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: BATCH,
            VisibilityTimeout: holdSeconds,
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) return { removed, complete: true };
        const doomed: Message[] = [];
        for (const m of messages) {
          if (await matches(m.Body ?? '')) doomed.push(m);
          else kept.push(m);
        }
        const deleted = await deleteAll(queue.url, doomed);
        removed += deleted.size;
        // A match SQS did not delete comes back when the hold ends, and a repeated erasure finds it.
      }
    } finally {
      await giveBack(queue, kept);
    }
  };

  return {
    async sweep(matches) {
      const results = await Promise.all(options.queues.map((q) => sweepQueue(q, matches)));
      return {
        removed: results.reduce((sum, r) => sum + r.removed, 0),
        complete: results.every((r) => r.complete),
      };
    },
  };
};

export type { QueueSweeperOptions, SweptQueue };
export { createQueueSweeper };
