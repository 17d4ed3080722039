import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';

/**
 * Lambda's SQS event source mapping, on one machine. Each poller long-polls the queue for up to
 * `batchSize` messages, invokes the handler with the SQS event Lambda would build, then:
 * - handler resolved with `batchItemFailures` (ReportBatchItemFailures on): every other record is
 *   deleted; the failed ones stay and come back after the visibility timeout;
 * - handler threw, or answered an item identifier that is not in the batch: nothing is deleted, the
 *   whole batch comes back (Lambda treats a malformed response as a failed batch).
 * Redrive to the DLQ is left to the queue itself (its RedrivePolicy and maxReceiveCount), as in AWS.
 */

type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  readonly batchSize?: number;
  /** Concurrent pollers, like the mapping's concurrent invocations. */
  readonly concurrency?: number;
  /** Long-poll wait per receive; short so that stopping is prompt. */
  readonly waitTimeSeconds?: number;
  readonly region?: string;
  /** Called with an error name only (never a message: it may echo a body). */
  readonly onError?: (stage: 'receive' | 'invoke' | 'delete', errorName: string) => void;
}

interface PollerStats {
  readonly batches: number;
  readonly received: number;
  readonly deleted: number;
  readonly failedItems: number;
  readonly failedBatches: number;
  readonly inFlight: number;
}

const EMPTY_STATS: PollerStats = {
  batches: 0,
  received: 0,
  deleted: 0,
  failedItems: 0,
  failedBatches: 0,
  inFlight: 0,
};

interface Poller {
  start(): void;
  /** Stops receiving; resolves once every batch in flight is settled (handled and deleted). */
  stop(): Promise<void>;
  stats(): PollerStats;
}

const lambdaAttributes = (message: Message): SQSRecordAttributes => {
  const a = message.Attributes ?? {};
  return {
    ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
    SentTimestamp: a.SentTimestamp ?? String(Date.now()),
    SenderId: a.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(a.AWSTraceHeader ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
    ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
    ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
    ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
  };
};

/** SQS `MessageAttributes` → the camel-cased shape Lambda puts in a record. */
const lambdaMessageAttributes = (
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes => {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) =>
        Buffer.from(b).toString('base64'),
      ),
    };
  }
  return out;
};

const toRecord = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: lambdaAttributes(message),
  messageAttributes: lambdaMessageAttributes(message.MessageAttributes),
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : 'UnknownError';

/** The records the mapping deletes after the handler answered, or `undefined` for none. */
const succeededRecords = (
  records: readonly SQSRecord[],
  response: SQSBatchResponse | undefined,
): SQSRecord[] | undefined => {
  const failures = response?.batchItemFailures ?? [];
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    // Lambda fails the whole batch on an empty, null or unknown identifier.
    if (typeof id !== 'string' || !ids.has(id)) return undefined;
    failed.add(id);
  }
  return records.filter((r) => !failed.has(r.messageId));
};

const createSqsPoller = (options: PollerOptions): Poller => {
  const batchSize = Math.min(10, Math.max(1, options.batchSize ?? 10));
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const region = options.region ?? 'us-east-1';
  const report = options.onError ?? (() => undefined);
  let running = false;
  let loops: Promise<void>[] = [];
  const stats = { ...EMPTY_STATS };

  const remove = async (records: readonly SQSRecord[]): Promise<void> => {
    if (records.length === 0) return;
    try {
      const out = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: records.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      stats.deleted += out.Successful?.length ?? 0;
      // A failed delete (receipt expired) only means the message is handled again: idempotent.
      if ((out.Failed?.length ?? 0) > 0) report('delete', 'DeleteMessageBatchPartialFailure');
    } catch (error) {
      report('delete', errorName(error));
    }
  };

  const handleBatch = async (messages: readonly Message[]): Promise<void> => {
    const records = messages.map((m) => toRecord(m, options.queueArn, region));
    stats.batches++;
    stats.received += records.length;
    let response: SQSBatchResponse | undefined;
    try {
      response = await options.handler({ Records: records });
    } catch (error) {
      stats.failedBatches++;
      report('invoke', errorName(error));
      return;
    }
    const succeeded = succeededRecords(records, response);
    if (succeeded === undefined) {
      stats.failedBatches++;
      report('invoke', 'InvalidBatchItemFailures');
      return;
    }
    stats.failedItems += records.length - succeeded.length;
    await remove(succeeded);
  };

  const loop = async (): Promise<void> => {
    while (running) {
      let messages: Message[];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (!running) return;
        report('receive', errorName(error));
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (messages.length === 0) continue;
      stats.inFlight += messages.length;
      try {
        await handleBatch(messages);
      } finally {
        stats.inFlight -= messages.length;
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loops = Array.from({ length: concurrency }, () => loop());
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      loops = [];
    },
    stats: () => ({ ...stats }),
  };
};

export type { Poller, PollerOptions, PollerStats, SqsHandler };
export { createSqsPoller, EMPTY_STATS, succeededRecords, toRecord };
