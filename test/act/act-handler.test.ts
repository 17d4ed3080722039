import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsMessageVisibility } from '../../lambdas/adapters/message-visibility';
import { backoffBound } from '../../lambdas/core/act/backoff';
import {
  graphError,
  isModerationRequest,
  MODERATION_SHAPES,
  SUCCESS,
  VERSION,
} from '../support/fake-graph-api';
import { commentId, event, type Harness, message, record, startHarness } from './harness';

describe('act handler against the Graph API fake and embedded DynamoDB/SQS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
  });

  it('dry run (the default) records what it would do and sends nothing', async () => {
    const hide = commentId();
    const del = commentId();
    await h.seed(hide, 'hide');
    await h.seed(del, 'delete');
    const handler = h.handler({ actionsEnabled: false });
    const response = await handler(
      event(record(message(hide, 'hide')), record(message(del, 'delete'))),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.requests).toHaveLength(0);
    expect(await h.item(hide)).toMatchObject({ actionStatus: 'dry_run', action: 'hide' });
    expect(await h.item(del)).toMatchObject({ actionStatus: 'dry_run', action: 'delete' });
    expect(h.metrics.get('ActionDryRun')).toBe(2);
  });

  it('live-video comments are recorded as skipped_live and never sent', async () => {
    const live = commentId();
    const liveMedia = commentId();
    await h.seed(live, 'hide');
    await h.seed(liveMedia, 'delete');
    const response = await h.handler()(
      event(
        record(message(live, 'hide', { field: 'live_comments' })),
        record(message(liveMedia, 'delete', { mediaProductType: 'LIVE' })),
      ),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.requests).toHaveLength(0);
    expect((await h.item(live))?.actionStatus).toBe('skipped_live');
    expect((await h.item(liveMedia))?.actionStatus).toBe('skipped_live');
  });

  it('hides once: pending → done, and a repeated message does not call again', async () => {
    const id = commentId();
    await h.seed(id, 'hide');
    const handler = h.handler();
    const m = message(id, 'hide');
    expect((await handler(event(record(m)))).batchItemFailures).toEqual([]);
    // Redelivery, a duplicate in the same batch, and a second function instance.
    await handler(event(record(m, 2), record(m, 2)));
    await h.handler()(event(record(m, 3)));
    expect(h.graph.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/${VERSION}/${id}`,
        query: { hide: 'true' },
      }),
    ]);
    expect(await h.item(id)).toMatchObject({
      actionStatus: 'done',
      actionAttempts: 1,
      actionUpdatedAt: new Date(h.now).toISOString(),
    });
    expect((await h.item(id))?.actionLeaseUntil).toBeUndefined();
  });

  it('delete answered "does not exist" counts as done', async () => {
    const gone = commentId();
    await h.seed(gone, 'delete');
    h.graph.forget(gone);
    const response = await h.handler()(event(record(message(gone, 'delete'))));
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.callsFor(gone)).toBe(1);
    expect(await h.item(gone)).toMatchObject({ actionStatus: 'done', actionOutcome: 'not_found' });
  });

  it.each([10, 100, 190, 200])(
    'code %i: exactly one call, failed with the code, alarm metric',
    async (code) => {
      const id = commentId();
      await h.seed(id, 'hide');
      h.graph.always(graphError(code));
      const handler = h.handler();
      const response = await handler(event(record(message(id, 'hide'))));
      expect(response.batchItemFailures).toEqual([]);
      // Redelivery of the same message must not try again.
      await handler(event(record(message(id, 'hide'), 2)));
      expect(h.graph.callsFor(id)).toBe(1);
      expect(await h.item(id)).toMatchObject({ actionStatus: 'failed', actionError: String(code) });
      expect(h.metrics.get('GraphPermanentFailure')).toBe(1);
      expect(h.visibility.delays).toHaveLength(0);
    },
  );

  it('transient errors: backoff within [0, min(cap, base·2ⁿ)], at most the configured attempts', async () => {
    const backoff = { baseSeconds: 2, capSeconds: 20 };
    const maxAttempts = 5;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 8,
          maxLength: 8,
        }),
        fc.constantFrom(1, 2),
        async (randoms, code) => {
          await h.reset();
          const id = commentId();
          await h.seed(id, 'delete');
          h.graph.always(graphError(code));
          let i = 0;
          const handler = h.handler(
            {
              backoff,
              maxAttempts,
              breaker: { failureThreshold: 1000, openMs: 1, probeLeaseMs: 1 },
            },
            { random: () => randoms[i++ % randoms.length] ?? 0 },
          );
          const m = message(id, 'delete');
          for (let delivery = 1; delivery <= maxAttempts + 3; delivery++) {
            const before = h.visibility.delays.length;
            const response = await handler(event(record(m, delivery)));
            if (response.batchItemFailures.length === 0) break;
            const delay = h.visibility.delays[before]?.seconds ?? -1;
            const n = delivery - 1;
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(
              Math.min(backoff.capSeconds, backoff.baseSeconds * 2 ** n),
            );
            expect(delay).toBeLessThanOrEqual(backoffBound(backoff, n));
            h.now += delay * 1000;
          }
          expect(h.graph.callsFor(id)).toBe(maxAttempts);
          expect(h.visibility.delays).toHaveLength(maxAttempts - 1);
          expect(await h.item(id)).toMatchObject({
            actionStatus: 'failed',
            actionError: String(code),
          });
          expect(h.metrics.get('GraphRetriesExhausted')).toBe(1);
        },
      ),
      { numRuns: 12 },
    );
  });

  it.each([4, 17, 32, 613, 80002])(
    'throttled (%i): waits estimated_time_to_regain_access, sends nothing until then',
    async (code) => {
      const first = commentId();
      const second = commentId();
      await h.seed(first, 'hide');
      await h.seed(second, 'hide');
      h.graph.script(first, {
        ...graphError(code),
        headers: {
          'x-business-use-case-usage': JSON.stringify({
            '1': [
              {
                type: 'instagram',
                call_count: 100,
                total_time: 30,
                total_cputime: 20,
                estimated_time_to_regain_access: 7,
              },
            ],
          }),
        },
      });
      const jitter = 30;
      const handler = h.handler({ deferJitterSeconds: jitter });
      const response = await handler(event(record(message(first, 'hide'))));
      expect(response.batchItemFailures).toHaveLength(1);
      const wait = h.visibility.delays[0]?.seconds ?? 0;
      expect(wait).toBeGreaterThanOrEqual(7 * 60);
      expect(wait).toBeLessThanOrEqual(7 * 60 + jitter);
      expect(h.metrics.get('GraphThrottled')).toBe(1);
      expect((await h.item(first))?.actionStatus).toBe('pending');

      // Another function, inside the window: nothing is sent.
      h.now += 6 * 60_000;
      const other = h.handler({ deferJitterSeconds: jitter });
      expect((await other(event(record(message(second, 'hide'))))).batchItemFailures).toHaveLength(
        1,
      );
      expect(h.graph.requests).toHaveLength(1);

      // After the window both go through.
      h.now += 2 * 60_000;
      await other(event(record(message(first, 'hide'), 2), record(message(second, 'hide'), 2)));
      expect(h.graph.callsFor(first)).toBe(2);
      expect(h.graph.callsFor(second)).toBe(1);
      expect((await h.item(first))?.actionStatus).toBe('done');
      expect((await h.item(second))?.actionStatus).toBe('done');
    },
  );

  it('a 10,000-action burst sends 0 requests while reported usage is at or above 90%', async () => {
    // Function A makes one call and learns that usage is at 93%.
    const seen = commentId();
    await h.seed(seen, 'hide');
    h.graph.setUsage({ callCount: 93, totalTime: 10, totalCputime: 5 });
    await h.handler()(event(record(message(seen, 'hide'))));
    expect(h.graph.requests).toHaveLength(1);
    expect((await h.item(seen))?.actionStatus).toBe('done');

    // Function B, a separate instance with its own cache, gets the burst.
    const burst = 10_000;
    const b = h.handler();
    const failures: string[] = [];
    for (let start = 0; start < burst; start += 100) {
      const records: SQSRecord[] = [];
      for (let i = start; i < start + 100; i++) {
        records.push(record(message(String(8_000_000_000 + i), i % 2 ? 'hide' : 'delete')));
      }
      h.now += 10; // the burst spans ~1 s of fake time, well inside the hold
      const response = await b(event(...records));
      failures.push(...response.batchItemFailures.map((f) => f.itemIdentifier));
    }
    expect(h.graph.requests).toHaveLength(1);
    expect(failures).toHaveLength(burst);
    expect(h.visibility.delays).toHaveLength(burst);
    for (const { seconds } of h.visibility.delays) expect(seconds).toBeGreaterThan(0);
    expect(h.metrics.get('GraphDeferred')).toBe(burst);
  });

  it('usage at or above 90% holds calls, and they resume once the hold is over', async () => {
    const a = commentId();
    const b = commentId();
    await h.seed(a, 'hide');
    await h.seed(b, 'hide');
    h.graph.setUsage({ callCount: 90 });
    const handler = h.handler({
      usage: { stopAtPercent: 90, highUsageHoldMs: 60_000, defaultThrottleWaitMs: 60_000 },
    });
    await handler(event(record(message(a, 'hide'))));
    expect((await handler(event(record(message(b, 'hide'))))).batchItemFailures).toHaveLength(1);
    expect(h.graph.callsFor(b)).toBe(0);
    h.now += 60_000;
    h.graph.setUsage({ callCount: 40 });
    expect((await handler(event(record(message(b, 'hide'), 2)))).batchItemFailures).toEqual([]);
    expect(h.graph.callsFor(b)).toBe(1);
  });

  it('breaker: opens after the configured failures, no calls while open, one probe when half-open', async () => {
    const breaker = { failureThreshold: 3, openMs: 60_000, probeLeaseMs: 30_000 };
    const config = { breaker };
    h.graph.always(graphError(1));
    const first = h.handler(config);
    for (let i = 0; i < breaker.failureThreshold; i++) {
      const id = commentId();
      await h.seed(id, 'hide');
      await first(event(record(message(id, 'hide'))));
    }
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold);

    // Open: other functions send nothing.
    const waiting: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = commentId();
      waiting.push(id);
      await h.seed(id, 'hide');
    }
    h.now += 59_000;
    await h.handler(config)(event(...waiting.map((id) => record(message(id, 'hide')))));
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold);

    // Half-open: ten functions at once, one probe among them. It fails: open again.
    h.now += 1_000;
    const concurrent = await Promise.all(
      waiting.slice(0, 10).map((id) => h.handler(config)(event(record(message(id, 'hide'), 2)))),
    );
    expect(concurrent.flatMap((r) => r.batchItemFailures)).toHaveLength(10);
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold + 1);
    await h.handler(config)(
      event(...waiting.slice(10).map((id) => record(message(id, 'hide'), 2))),
    );
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold + 1);

    // Next period: the probe succeeds, the breaker closes, the rest go through.
    h.now += 60_000;
    h.graph.always(undefined);
    const probe = waiting[0] ?? '';
    await h.handler(config)(event(record(message(probe, 'hide'), 3)));
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold + 2);
    expect((await h.item(probe))?.actionStatus).toBe('done');
    await h.handler(config)(event(...waiting.map((id) => record(message(id, 'hide'), 4))));
    for (const id of waiting) expect((await h.item(id))?.actionStatus).toBe('done');
    expect(h.graph.requests).toHaveLength(breaker.failureThreshold + 1 + waiting.length);
  });

  it('duplicated, shuffled, concurrent deliveries: at most one call per comment, all done', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom<'hide' | 'delete'>('hide', 'delete'),
            fc.integer({ min: 1, max: 4 }),
          ),
          {
            minLength: 1,
            maxLength: 15,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.nat()),
        async (spec, functions, order) => {
          await h.reset();
          const messages = [];
          for (const [action, copies] of spec) {
            const id = commentId();
            await h.seed(id, action);
            for (let c = 0; c < copies; c++) messages.push(message(id, action));
          }
          const it = order[Symbol.iterator]();
          const shuffled = messages
            .map((m) => ({ m, k: it.next().value as number }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.m);
          const handlers = Array.from({ length: functions }, () => h.handler());
          // Deliver until the queue would be empty: a record reported failed comes back.
          let queue = shuffled.map((m) => ({ m, n: 1 }));
          for (let round = 0; queue.length > 0 && round < 10; round++) {
            h.now += 120_000; // past any lease
            const batches = handlers.map((fn, f) => ({
              fn,
              recs: queue.filter((_, i) => i % functions === f),
            }));
            const next: typeof queue = [];
            await Promise.all(
              batches.map(async ({ fn, recs }) => {
                if (recs.length === 0) return;
                const records = recs.map(({ m, n }) => record(m, n));
                const response = await fn(event(...records));
                const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
                records.forEach((r, i) => {
                  const entry = recs[i];
                  if (entry && failed.has(r.messageId)) next.push({ m: entry.m, n: entry.n + 1 });
                });
              }),
            );
            queue = next;
          }
          expect(queue).toEqual([]);
          const unique = new Set(messages.map((m) => m.commentId));
          for (const id of unique) {
            expect(h.graph.callsFor(id)).toBe(1);
            expect((await h.item(id))?.actionStatus).toBe('done');
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a failure in the shared bookkeeping after a call does not lead to a second call', async () => {
    const id = commentId();
    await h.seed(id, 'delete');
    h.graph.setUsage({ callCount: 12 });
    let failures = 1;
    const handler = h.handler(
      {},
      {
        wrapShared: (store) => ({
          admit: (now) => store.admit(now),
          recordSuccess: () => store.recordSuccess(),
          recordFailure: (now) => store.recordFailure(now),
          read: (now) => store.read(now),
          throttle: (reading, now) => store.throttle(reading, now),
          observe: async (reading, now) => {
            if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException');
            await store.observe(reading, now);
          },
        }),
      },
    );
    const m = message(id, 'delete');
    expect((await handler(event(record(m)))).batchItemFailures).toHaveLength(1);
    expect((await h.item(id))?.actionStatus).toBe('done');
    expect((await handler(event(record(m, 2)))).batchItemFailures).toEqual([]);
    expect(h.graph.callsFor(id)).toBe(1);
  });

  it('a message without a decision is counted and dropped; a malformed one fails', async () => {
    const missing = commentId();
    const response = await h.handler()(
      event(record(message(missing, 'hide')), record('{"not":"an action"}'), record('not json')),
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: expect.any(String) },
      { itemIdentifier: expect.any(String) },
    ]);
    expect(h.metrics.get('ActionWithoutDecision')).toBe(1);
    expect(h.graph.requests).toHaveLength(0);
  });

  it('a decision overridden by staff (no longer pending) is left alone', async () => {
    const id = commentId();
    await h.seed(id, 'hide', { actionStatus: 'none' });
    expect((await h.handler()(event(record(message(id, 'hide'))))).batchItemFailures).toEqual([]);
    expect(h.graph.requests).toHaveLength(0);
    expect((await h.item(id))?.actionStatus).toBe('none');
  });

  it('retries through real SQS visibility: a 0 s backoff makes the message visible again at once', async () => {
    const { sqs, queues } = h.embedded;
    const id = commentId();
    await h.seed(id, 'hide');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.actions.url,
        MessageBody: JSON.stringify(message(id, 'hide')),
      }),
    );
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.actions.url,
          MaxNumberOfMessages: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
    const received = (await receive()).Messages?.[0];
    expect(received).toBeDefined();
    const sqsRecord: SQSRecord = {
      ...record(received?.Body ?? ''),
      messageId: received?.MessageId ?? '',
      receiptHandle: received?.ReceiptHandle ?? '',
      eventSourceARN: queues.actions.arn,
    };
    h.graph.enqueue(graphError(2));
    // No queue URL given: the adapter resolves it from the record's queue ARN.
    const handler = h.handler({}, { random: () => 0, visibility: new SqsMessageVisibility(sqs) });
    const response = await handler(event(sqsRecord));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sqsRecord.messageId }]);
    // The queue's own visibility timeout is 180 s: only the change makes it receivable now.
    const again = (await receive()).Messages?.[0];
    expect(again?.MessageId).toBe(received?.MessageId);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
    const retried = await handler(
      event({ ...sqsRecord, receiptHandle: again?.ReceiptHandle ?? '' }),
    );
    expect(retried.batchItemFailures).toEqual([]);
    expect((await h.item(id))?.actionStatus).toBe('done');
  });

  it('no request of the stage ever creates content', () => {
    // Runs last in this file: everything the fake saw across all the tests above.
    const seen = h.graph.history;
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((r) => !isModerationRequest(r))).toEqual([]);
    const shapes = new Set(seen.map((r) => `${r.method} ${JSON.stringify(r.query)}`));
    // This file exercises hide and delete; unhide has its own file. Nothing outside the three.
    expect([...shapes].sort()).toEqual(['DELETE {}', 'POST {"hide":"true"}']);
    for (const shape of shapes) expect(MODERATION_SHAPES).toContain(shape);
  });
});

describe('the fake itself refuses anything but hide, unhide and delete', () => {
  it('records and rejects a reply attempt', async () => {
    const { startFakeGraphApi } = await import('../support/fake-graph-api');
    const graph = await startFakeGraphApi({ token: 't' });
    try {
      const res = await fetch(`${graph.url}/${VERSION}/123/replies`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'x' }),
      });
      expect(res.status).toBe(400);
      expect(graph.requests).toHaveLength(1);
      expect(graph.requests.every(isModerationRequest)).toBe(false);
      const ok = await fetch(`${graph.url}/${VERSION}/123?hide=true`, {
        method: 'POST',
        headers: { authorization: 'Bearer t' },
      });
      expect(await ok.json()).toEqual(SUCCESS.body);
      const unhide = await fetch(`${graph.url}/${VERSION}/123?hide=false`, {
        method: 'POST',
        headers: { authorization: 'Bearer t' },
      });
      expect(await unhide.json()).toEqual(SUCCESS.body);
      expect(graph.hidden.has('123')).toBe(false);
      // Unhide with content attached, or any other value, is not a moderation call.
      for (const query of ['hide=false&message=x', 'hide=no', 'hide=FALSE']) {
        const refused = await fetch(`${graph.url}/${VERSION}/124?${query}`, {
          method: 'POST',
          headers: { authorization: 'Bearer t' },
        });
        expect(refused.status).toBe(400);
      }
      expect(graph.hidden.has('124')).toBe(false);
    } finally {
      await graph.stop();
    }
  });
});
