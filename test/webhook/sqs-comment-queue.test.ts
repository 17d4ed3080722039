import {
  type SendMessageBatchCommandInput,
  type SendMessageBatchCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommentQueueError, createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import type { CommentMessage } from '../../lambdas/core/contracts/comment-message';
import { parseDelivery } from '../../lambdas/core/webhook/payload';
import { clientConfig, type Embedded, startEmbedded } from '../../local/embedded';
import { commentBatch, commentChange, deliveryObject } from '../support/webhook-fixtures';
import { canonical, drain, freshQueue, queueDepth } from './helpers';

const receivedAt = new Date('2026-11-26T00:00:00.000Z');
const messages = (n: number, text?: string): CommentMessage[] =>
  parseDelivery(
    deliveryObject({
      entries: [
        {
          accountId: '17841400000000001',
          time: 1_764_150_000,
          changes: Array.from({ length: n }, () =>
            commentChange(text === undefined ? {} : { text }),
          ),
        },
      ],
    }),
    { receivedAt },
  ).messages;

/**
 * A real SQS client whose SendMessageBatch, for entries chosen by `refuse`, withholds them from the
 * request and reports them failed the way SQS does for an internal error (SenderFault false). The
 * queue then really lacks them until a retry sends them.
 */
const flakyClient = (endpoint: string, refuse: (id: string, call: number) => boolean) => {
  const client = new SQSClient(clientConfig(endpoint));
  let calls = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as SendMessageBatchCommandInput;
      if (!input.Entries) return next(args);
      const call = ++calls;
      const withheld = input.Entries.filter((e) => refuse(e.Id ?? '', call));
      const kept = input.Entries.filter((e) => !withheld.includes(e));
      if (kept.length === 0) {
        return {
          output: {
            $metadata: {},
            Successful: [],
            Failed: withheld.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })),
          } as SendMessageBatchCommandOutput,
          response: {},
        };
      }
      const result = await next({ ...args, input: { ...input, Entries: kept } });
      const output = result.output as SendMessageBatchCommandOutput;
      output.Failed = [
        ...(output.Failed ?? []),
        ...withheld.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })),
      ];
      return result;
    },
    { step: 'initialize', name: 'injectEntryFailures' },
  );
  return { client, calls: () => calls };
};

describe('SQS comment queue adapter', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded.stop();
  });

  const noWait = { sleep: async () => undefined };

  it('sends in batches of at most 10 and reports the request count', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const sent = messages(25);
    const report = await createSqsCommentQueue({ client: embedded.sqs, queueUrl }).enqueue(sent);
    expect(report).toEqual({ accepted: 25, requests: 3, retriedEntries: 0 });
    expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(canonical(sent));
  });

  it('an empty list sends nothing', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const report = await createSqsCommentQueue({ client: embedded.sqs, queueUrl }).enqueue([]);
    expect(report).toEqual({ accepted: 0, requests: 0, retriedEntries: 0 });
  });

  it('splits a batch by size as well: ten large messages never exceed 256 KiB per request', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    // About 60 KB each once escaped: four fit in one request, not ten.
    const sent = messages(10, '海'.repeat(10_000));
    const report = await createSqsCommentQueue({ client: embedded.sqs, queueUrl }).enqueue(sent);
    expect(report.requests).toBeGreaterThanOrEqual(3);
    expect(await drain(embedded.sqs, queueUrl)).toHaveLength(10);
  });

  it('retries entries SQS failed transiently, and every message lands exactly once', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    // Entries m3 and m17 fail on their first two sends.
    const seen = new Map<string, number>();
    const flaky = flakyClient(embedded.sqsEndpoint, (id) => {
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      return (id === 'm3' || id === 'm17') && n <= 2;
    });
    const delays: number[] = [];
    const queue = createSqsCommentQueue({
      client: flaky.client,
      queueUrl,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 1,
    });
    const sent = messages(30);
    const report = await queue.enqueue(sent);
    expect(report).toEqual({ accepted: 30, requests: 7, retriedEntries: 4 });
    expect(delays.sort((a, b) => a - b)).toEqual([50, 50, 100, 100]);
    expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(canonical(sent));
    flaky.client.destroy();
  });

  it('gives up after the bounded attempts with a typed error carrying counts only', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const flaky = flakyClient(embedded.sqsEndpoint, (id) => id === 'm4');
    const queue = createSqsCommentQueue({
      client: flaky.client,
      queueUrl,
      maxAttempts: 3,
      ...noWait,
    });
    const error = await queue.enqueue(messages(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentQueueError);
    expect(error).toMatchObject({
      name: 'CommentQueueError',
      accepted: 9,
      rejected: 1,
      codes: ['InternalError'],
    });
    expect(flaky.calls()).toBe(3);
    expect((error as Error).message).not.toMatch(/留萌|rumoi_taro/);
    flaky.client.destroy();
  });

  it('does not retry what SQS refuses as the sender’s fault', async () => {
    const queueUrl = await freshQueue(embedded.sqs, { MaximumMessageSize: '1024' });
    const sent = [...messages(3), ...messages(1, 'あ'.repeat(600))];
    const queue = createSqsCommentQueue({ client: embedded.sqs, queueUrl, ...noWait });
    const error = await queue.enqueue(sent).catch((e: unknown) => e);
    expect(error).toMatchObject({ accepted: 3, rejected: 1, codes: ['InvalidParameterValue'] });
    expect(await queueDepth(embedded.sqs, queueUrl)).toBe(3);
  });

  it('a missing queue is a typed error, not retried', async () => {
    const queue = createSqsCommentQueue({
      client: embedded.sqs,
      queueUrl: `${embedded.queues.comments.url}-gone`,
      ...noWait,
    });
    const error = await queue.enqueue(messages(12)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentQueueError);
    expect((error as CommentQueueError).accepted).toBe(0);
    expect((error as CommentQueueError).codes).toEqual(['QueueDoesNotExist']);
  });

  it('network failure (SQS unreachable) is retried, then a typed error', async () => {
    // A loopback port with nothing listening.
    const client = new SQSClient(clientConfig('http://127.0.0.1:9'));
    const queue = createSqsCommentQueue({
      client,
      queueUrl: 'http://127.0.0.1:9/000000000000/nowhere',
      maxAttempts: 2,
      ...noWait,
    });
    const error = await queue.enqueue(messages(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentQueueError);
    client.destroy();
  });

  it('keeps a full batch of 1000 whole under concurrency', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const sent = parseDelivery(deliveryObject(commentBatch(1000)), { receivedAt }).messages;
    const report = await createSqsCommentQueue({ client: embedded.sqs, queueUrl }).enqueue(sent);
    expect(report.accepted).toBe(1000);
    expect(report.requests).toBe(100);
    expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(canonical(sent));
  });
});
