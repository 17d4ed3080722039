import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFERRED_SINCE_ATTRIBUTE,
  type Requeue,
  SqsRequeue,
} from '../../lambdas/adapters/message-visibility';
import { deferredSinceOf } from '../../lambdas/handlers/act';
import { commentId, event, type Harness, message, record, startHarness } from './harness';

/**
 * A deferred action goes back on the queue as a new message, which resets the queue's
 * oldest-message age: without more, a Graph outage that defers every action looks like a healthy
 * queue. Each copy carries the first deferral's instant, and the act stage reports the wait.
 */
describe('Act stage: the age of a deferred action survives its re-sends', () => {
  let h: Harness;
  const sent: { body: string; seconds: number; since: number | undefined }[] = [];
  const recording: Requeue = {
    async later(body, seconds, since) {
      sent.push({ body, seconds, since });
    },
  };
  const withSince = (r: SQSRecord, value: string): SQSRecord => ({
    ...r,
    messageAttributes: {
      [DEFERRED_SINCE_ATTRIBUTE]: { stringValue: value, dataType: 'String' } as never,
    },
  });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
    sent.length = 0;
    // Usage at 95%: every action is held back for the window.
    const probe = commentId();
    await h.seed(probe, 'hide');
    h.graph.setUsage({ callCount: 95 });
    await h.handler()(event(record(message(probe, 'hide'))));
  });

  it('stamps the first deferral with now and reports no age for a first delivery', async () => {
    const id = commentId();
    await h.seed(id, 'hide');
    await h.handler({}, { requeue: recording })(event(record(message(id, 'hide'))));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.since).toBe(h.now);
    expect(h.metrics.deferredAges).toEqual([]);
  });

  it('keeps the first instant on every later copy and reports how long the action has waited', async () => {
    const id = commentId();
    await h.seed(id, 'delete');
    // The first deferral happened two hours ago; usage is still high now (held for 5 minutes).
    const firstDeferral = h.now - 2 * 3600_000;
    h.now += 60_000;
    const copy = withSince(record(message(id, 'delete')), new Date(firstDeferral).toISOString());
    await h.handler({}, { requeue: recording })(event(copy));
    expect(sent.map((s) => s.since)).toEqual([firstDeferral]);
    expect(h.metrics.deferredAges).toEqual([7260]);
    expect(h.graph.callsFor(id)).toBe(0);
  });

  it('still reports the wait when the deferred action finally goes through', async () => {
    const id = commentId();
    await h.seed(id, 'hide');
    h.now += 3600_000 * 24; // the usage hold is long over
    h.graph.setUsage(undefined);
    const copy = withSince(record(message(id, 'hide')), new Date(h.now - 90_000).toISOString());
    const response = await h.handler({}, { requeue: recording })(event(copy));
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.callsFor(id)).toBe(1);
    expect(h.metrics.deferredAges).toEqual([90]);
    expect(sent).toHaveLength(0);
  });

  it('ignores an unreadable attribute: the copy counts as a first deferral', () => {
    expect(deferredSinceOf(withSince(record('{}'), 'not a date'))).toBeUndefined();
    expect(deferredSinceOf(record('{}'))).toBeUndefined();
    expect(deferredSinceOf(withSince(record('{}'), '2026-11-26T09:00:00.000Z'))).toBe(
      Date.parse('2026-11-26T09:00:00.000Z'),
    );
  });

  it('puts the attribute on the real queue (fauxqs) with the copy', async () => {
    const queueUrl = h.embedded.queues.actions.url;
    const since = Date.parse('2026-11-26T08:00:00.000Z');
    await new SqsRequeue(h.embedded.sqs, queueUrl).later('{"x":1}', 0, since);
    const { Messages } = await h.embedded.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    const copy = Messages?.find((m) => m.Body === '{"x":1}');
    expect(copy?.MessageAttributes?.[DEFERRED_SINCE_ATTRIBUTE]?.StringValue).toBe(
      new Date(since).toISOString(),
    );
  });
});
