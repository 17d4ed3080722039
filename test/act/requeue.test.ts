import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Requeue, SqsRequeue } from '../../lambdas/adapters/message-visibility';
import { graphError } from '../support/fake-graph-api';
import { commentId, event, type Harness, message, record, startHarness } from './harness';

/** Drains what is visible now; delayed copies are not. */
const receiveAll = async (sqs: SQSClient, queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    if (!Messages || Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
};

describe('Act stage: deferrals go back on the queue instead of toward the DLQ', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
    await receiveAll(h.embedded.sqs, h.embedded.queues.actions.url);
  });

  it('acknowledges a message held by high usage and re-sends it with a delay, whatever its receive count', async () => {
    // Prepare: usage learnt at 95% from one call.
    const seen = commentId();
    await h.seed(seen, 'hide');
    h.graph.setUsage({ callCount: 95 });
    await h.handler()(event(record(message(seen, 'hide'))));
    const sent: Array<{ body: string; seconds: number }> = [];
    const recording: Requeue = {
      async later(body, seconds) {
        sent.push({ body, seconds });
      },
    };
    const held = commentId();
    await h.seed(held, 'delete');
    // Act: a message already received four times (one short of maxReceiveCount).
    const body = message(held, 'delete');
    const response = await h.handler({}, { requeue: recording })(event(record(body, 4)));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.body ?? '{}')).toEqual(body);
    expect(sent[0]?.seconds).toBeGreaterThan(0);
    expect(h.visibility.delays).toHaveLength(0);
    expect(h.graph.requests).toHaveLength(1);
  });

  it('puts the delayed copy on the real queue (fauxqs), invisible until the delay is over', async () => {
    const seen = commentId();
    await h.seed(seen, 'hide');
    h.graph.setUsage({ callCount: 99 });
    await h.handler()(event(record(message(seen, 'hide'))));
    const held = commentId();
    await h.seed(held, 'hide');
    const requeue = new SqsRequeue(h.embedded.sqs, h.embedded.queues.actions.url);
    const response = await h.handler({}, { requeue })(event(record(message(held, 'hide'))));
    expect(response.batchItemFailures).toEqual([]);
    // Delayed: nothing is visible yet, but the queue holds it.
    expect(await receiveAll(h.embedded.sqs, h.embedded.queues.actions.url)).toEqual([]);
    const attributes = await h.embedded.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: h.embedded.queues.actions.url,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(attributes.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
  });

  it('keeps transient failures on the visibility path, where attempts are counted', async () => {
    const id = commentId();
    await h.seed(id, 'hide');
    h.graph.enqueue(graphError(2));
    const sent: string[] = [];
    const recording: Requeue = {
      async later(body) {
        sent.push(body);
      },
    };
    const response = await h.handler(
      {},
      { requeue: recording },
    )(event(record(message(id, 'hide'))));
    const failed = response.batchItemFailures.length;
    expect(failed).toBe(1);
    expect(sent).toHaveLength(0);
    expect(h.visibility.delays).toHaveLength(1);
  });

  it('falls back to failing the item when the re-send itself fails, so nothing is lost', async () => {
    const seen = commentId();
    await h.seed(seen, 'hide');
    h.graph.setUsage({ callCount: 92 });
    await h.handler()(event(record(message(seen, 'hide'))));
    const held = commentId();
    await h.seed(held, 'hide');
    const broken: Requeue = {
      async later() {
        throw new Error('queue unavailable');
      },
    };
    const records: SQSRecord[] = [record(message(held, 'hide'))];
    const response = await h.handler({}, { requeue: broken })(event(...records));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[0]?.messageId,
    ]);
    expect(h.visibility.delays).toHaveLength(1);
  });
});
