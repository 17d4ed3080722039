import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type CommentMessage,
  commentMessageSchema,
} from '../../lambdas/core/contracts/comment-message';
import type { CommentQueue } from '../../lambdas/core/webhook/ports';
import type { WebhookLogger } from '../../lambdas/handlers/webhook';

/** A queue that records what it is given, for the fast (non-SQS) runs of a property. */
interface RecordingQueue extends CommentQueue {
  readonly sent: CommentMessage[];
  calls: number;
}

const recordingQueue = (): RecordingQueue => {
  const queue: RecordingQueue = {
    sent: [],
    calls: 0,
    async enqueue(messages) {
      queue.calls++;
      queue.sent.push(...messages);
      return { accepted: messages.length, requests: 0, retriedEntries: 0 };
    },
  };
  return queue;
};

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

const recordingLogger = (): WebhookLogger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) => (message: string, attributes: Record<string, unknown>) => {
      lines.push({ level, message, attributes });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
};

let queueSeq = 0;

/** A fresh queue on the embedded SQS so runs of a property never see each other's messages. */
const freshQueue = async (
  sqs: SQSClient,
  attributes: Record<string, string> = {},
): Promise<string> => {
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: `webhook-test-${process.pid}-${++queueSeq}`,
      Attributes: attributes,
    }),
  );
  if (!created.QueueUrl) throw new Error('no queue url');
  return created.QueueUrl;
};

/** Every message on the queue, parsed with the consumer's schema, and deleted. */
const drain = async (sqs: SQSClient, queueUrl: string): Promise<CommentMessage[]> => {
  const out: CommentMessage[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) out.push(commentMessageSchema.parse(JSON.parse(m.Body ?? '')));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return out;
};

/** Visible plus in-flight messages: anything that was ever accepted and not deleted. */
const queueDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

/** Order-insensitive comparison key for a list of messages (duplicates kept). */
const canonical = (messages: readonly CommentMessage[]): string[] =>
  messages.map((m) => JSON.stringify(sortKeys(m))).sort();

const sortKeys = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      )
    : value;

export type { LogLine, RecordingQueue };
export { canonical, drain, freshQueue, queueDepth, recordingLogger, recordingQueue };
