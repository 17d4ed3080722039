import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth, QueueDepths } from '../core/review/health';
import type { HealthProbe } from '../core/review/ports';

/**
 * Queue depths for the health page from SQS's approximate counters (GetQueueAttributes only: the
 * review API can see how many messages wait, never read one).
 */

interface QueueUrls {
  readonly url: string;
  readonly deadLetterUrl: string;
}

const ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

const createQueueHealthProbe = (
  sqs: SQSClient,
  queues: Readonly<Record<'comments' | 'actions', QueueUrls>>,
  actionsEnabled: boolean,
): HealthProbe => {
  const counts = async (url: string) => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...ATTRIBUTES] }),
    );
    const a = out.Attributes ?? {};
    return {
      visible: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  };
  const depth = async (q: QueueUrls): Promise<QueueDepth> => {
    const [main, dlq] = await Promise.all([counts(q.url), counts(q.deadLetterUrl)]);
    return { ...main, deadLetters: dlq.visible + dlq.inFlight + dlq.delayed };
  };
  return {
    actionsEnabled,
    async queueDepths(): Promise<QueueDepths> {
      const [comments, actions] = await Promise.all([
        depth(queues.comments),
        depth(queues.actions),
      ]);
      return { comments, actions };
    },
  };
};

export type { QueueUrls };
export { createQueueHealthProbe };
