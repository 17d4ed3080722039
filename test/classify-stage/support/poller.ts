import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { ClassifyHandler } from '../../../lambdas/handlers/classify';
import { REGION } from '../../../local/embedded';

/**
 * Test-only stand-in for Lambda's SQS event source mapping: receive a batch, invoke the handler
 * with the event Lambda would build, delete the records it did not report as failed, and leave the
 * failed ones to reappear after the visibility timeout (and, after maxReceiveCount receives, to be
 * moved to the DLQ by the queue's redrive policy). An invocation that throws fails the whole batch.
 */

interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: ClassifyHandler;
  readonly batchSize?: number;
  /** Concurrent pollers, like several Lambda instances on one queue. */
  readonly concurrency?: number;
  /** Gives up (throws) after this long: a stuck drain is a failed test, not a hang. */
  readonly deadlineMs?: number;
  /**
   * Seconds until a failed record is visible again. Lambda leaves it for the queue's whole
   * visibility timeout; tests keep that long (so a batch slowed by a loaded machine is never
   * redelivered while still running, which cannot happen in AWS where the timeout is six times
   * the function's) and shorten only the wait of the failed records, to stay fast. Omitted: the
   * queue's own timeout applies, exactly as in Lambda.
   */
  readonly failedVisibilitySeconds?: number;
}

interface DrainStats {
  invocations: number;
  received: number;
  deleted: number;
  failed: number;
  /** Receives per message id (every delivery the handler saw). */
  readonly receives: Map<string, number>;
  /** Message ids of each invocation's batch. */
  readonly batches: string[][];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The record Lambda builds from a received message (absent attributes as on a first receive). */
const toRecord = (m: Message, queueArn: string): SQSRecord => ({
  messageId: m.MessageId ?? '',
  receiptHandle: m.ReceiptHandle ?? '',
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
    SenderId: m.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: REGION,
});

const queueIsEmpty = async (sqs: SQSClient, queueUrl: string): Promise<boolean> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = out.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
      Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(a.ApproximateNumberOfMessagesDelayed ?? 0) ===
    0
  );
};

const pollOnce = async (options: PollerOptions, stats: DrainStats): Promise<boolean> => {
  const { sqs, queueUrl } = options;
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.batchSize ?? 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = out.Messages ?? [];
  if (messages.length === 0) return false;
  stats.invocations += 1;
  stats.received += messages.length;
  stats.batches.push(messages.map((m) => m.MessageId ?? ''));
  for (const m of messages) {
    const id = m.MessageId ?? '';
    stats.receives.set(id, (stats.receives.get(id) ?? 0) + 1);
  }
  const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
  let failedIds: Set<string>;
  try {
    const response = await options.handler(event);
    failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  } catch {
    failedIds = new Set(messages.map((m) => m.MessageId ?? ''));
  }
  const succeeded = messages.filter((m) => !failedIds.has(m.MessageId ?? ''));
  const failed = messages.filter((m) => failedIds.has(m.MessageId ?? ''));
  stats.failed += failed.length;
  if (failed.length > 0 && options.failedVisibilitySeconds !== undefined) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: failed.map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: options.failedVisibilitySeconds,
        })),
      }),
    );
  }
  if (succeeded.length > 0) {
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: succeeded.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
    stats.deleted += out.Successful?.length ?? 0;
  }
  return true;
};

/** Polls until the queue holds nothing visible, in flight or delayed. */
const drainQueue = async (options: PollerOptions): Promise<DrainStats> => {
  const stats: DrainStats = {
    invocations: 0,
    received: 0,
    deleted: 0,
    failed: 0,
    receives: new Map(),
    batches: [],
  };
  const deadline = Date.now() + (options.deadlineMs ?? 50_000);
  const worker = async () => {
    while (Date.now() < deadline) {
      const got = await pollOnce(options, stats);
      if (got) continue;
      if (await queueIsEmpty(options.sqs, options.queueUrl)) return;
      // Failed messages are invisible until their visibility timeout passes.
      await sleep(50);
    }
    throw new Error('queue did not drain before the deadline');
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
  return stats;
};

/** Every message on a queue (e.g. a DLQ), removed as read. */
const receiveAll = async (sqs: SQSClient, queueUrl: string): Promise<Message[]> => {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        VisibilityTimeout: 30,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return all;
    all.push(...messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
};

export type { DrainStats, PollerOptions };
export { drainQueue, receiveAll, toRecord };
