/**
 * Waiting without sleeping: a message that must be retried later is made invisible for the delay,
 * then reported as a failed batch item, so SQS redelivers it when the delay is over.
 */
import {
  ChangeMessageVisibilityCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

interface VisibilityTarget {
  readonly receiptHandle: string;
  readonly eventSourceARN: string;
}

interface MessageVisibility {
  delay(record: VisibilityTarget, seconds: number): Promise<void>;
}

/** SQS caps visibility at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** `arn:aws:sqs:<region>:<account>:<name>` */
const parseQueueArn = (arn: string): { account: string; name: string } | undefined => {
  const parts = arn.split(':');
  const account = parts[4];
  const name = parts[5];
  return parts.length === 6 && parts[2] === 'sqs' && account && name
    ? { account, name }
    : undefined;
};

class SqsMessageVisibility implements MessageVisibility {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string | undefined;
  readonly #urls = new Map<string, Promise<string>>();

  /** Without `queueUrl`, the URL is looked up once from the record's queue ARN. */
  constructor(sqs: SQSClient, queueUrl?: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async delay(record: VisibilityTarget, seconds: number): Promise<void> {
    const timeout = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.floor(seconds)));
    await this.#sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await this.#urlFor(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: timeout,
      }),
    );
  }

  #urlFor(arn: string): Promise<string> {
    if (this.#queueUrl) return Promise.resolve(this.#queueUrl);
    let url = this.#urls.get(arn);
    if (!url) {
      const parsed = parseQueueArn(arn);
      if (!parsed) return Promise.reject(new Error('event source is not an SQS queue ARN'));
      url = this.#sqs
        .send(
          new GetQueueUrlCommand({
            QueueName: parsed.name,
            QueueOwnerAWSAccountId: parsed.account,
          }),
        )
        .then((r) => {
          if (!r.QueueUrl) throw new Error('queue URL not found');
          return r.QueueUrl;
        });
      url.catch(() => this.#urls.delete(arn));
      this.#urls.set(arn, url);
    }
    return url;
  }
}

export type { MessageVisibility, Requeue, VisibilityTarget };
export {
  DEFERRED_SINCE_ATTRIBUTE,
  MAX_VISIBILITY_SECONDS,
  parseQueueArn,
  SqsMessageVisibility,
  SqsRequeue,
};

/**
 * Deferral without spending the message's receive count. Waiting for a rate-limit window or a
 * closed breaker is not a failure of the message: failing it would move it toward the DLQ after
 * `maxReceiveCount` deferrals. Instead a copy goes back on the queue with a delay and the original
 * is acknowledged. SQS caps the delay at 15 minutes; a longer wait simply defers again.
 */
interface Requeue {
  /**
   * `deferredSince` (epoch ms) is the first deferral of this action: it travels with every copy as
   * the `DeferredSince` message attribute, so the act stage can report how long it has waited.
   */
  later(body: string, seconds: number, deferredSince?: number): Promise<void>;
}

const MAX_DELAY_SECONDS = 900;

/** Message attribute of a deferred copy: the ISO instant of the action's first deferral. */
const DEFERRED_SINCE_ATTRIBUTE = 'DeferredSince';

class SqsRequeue implements Requeue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async later(body: string, seconds: number, deferredSince?: number): Promise<void> {
    await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: body,
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.floor(seconds))),
        ...(deferredSince !== undefined && Number.isFinite(deferredSince)
          ? {
              MessageAttributes: {
                [DEFERRED_SINCE_ATTRIBUTE]: {
                  DataType: 'String',
                  StringValue: new Date(deferredSince).toISOString(),
                },
              },
            }
          : {}),
      }),
    );
  }
}
