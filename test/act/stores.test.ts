import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionStatusStore } from '../../lambdas/adapters/action-status-store';
import { CircuitBreakerStore } from '../../lambdas/adapters/circuit-breaker-store';
import { DEFAULT_ACT_CONFIG } from '../../lambdas/core/act/config';
import { type Embedded, startEmbedded } from '../../local/embedded';

const NOW = Date.parse('2026-11-26T09:00:00.000Z');
const REQUEST = new Date(NOW).toISOString();

const req = (
  commentId: string,
  action: 'hide' | 'delete',
  now: number,
  leaseMs: number,
  maxAttempts: number,
  requestId = REQUEST,
) => ({ commentId, action, now, leaseMs, maxAttempts, requestId });

describe('act stage stores on embedded DynamoDB', () => {
  let embedded: Embedded;
  let n = 0;
  const freshId = () => `7${String(n++).padStart(8, '0')}`;
  const statuses = () => new ActionStatusStore(embedded.dynamo, embedded.tableNames.decisions);
  const seed = (commentId: string, action: 'hide' | 'delete', status = 'pending') =>
    embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { commentId, action, actionStatus: status, decidedAt: new Date(NOW).toISOString() },
      }),
    );

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: `stores${process.pid}` });
  });
  afterAll(async () => {
    await embedded.stop();
  });

  it('twenty concurrent claims on one comment: exactly one wins', async () => {
    const id = freshId();
    await seed(id, 'delete');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => statuses().claim(req(id, 'delete', NOW, 60_000, 5))),
    );
    expect(results.filter((r) => r.kind === 'claimed')).toEqual([{ kind: 'claimed', attempt: 1 }]);
    expect(results.filter((r) => r.kind === 'leased')).toHaveLength(19);
  });

  it('a released lease can be claimed again, up to the attempt limit', async () => {
    const id = freshId();
    await seed(id, 'hide');
    const store = statuses();
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await store.claim(req(id, 'hide', NOW + attempt, 60_000, 3))).toEqual({
        kind: 'claimed',
        attempt,
      });
      await store.release(id, '2', NOW + attempt);
    }
    expect(await store.claim(req(id, 'hide', NOW + 10, 60_000, 3))).toEqual({
      kind: 'exhausted',
      attempts: 3,
    });
  });

  it('an expired lease (crashed function) is taken over', async () => {
    const id = freshId();
    await seed(id, 'hide');
    const store = statuses();
    expect((await store.claim(req(id, 'hide', NOW, 1000, 5))).kind).toBe('claimed');
    expect(await store.claim(req(id, 'hide', NOW + 999, 1000, 5))).toEqual({
      kind: 'leased',
      until: NOW + 1000,
    });
    expect(await store.claim(req(id, 'hide', NOW + 1000, 1000, 5))).toEqual({
      kind: 'claimed',
      attempt: 2,
    });
  });

  it('finish moves only from pending, and only for the action in the message', async () => {
    const id = freshId();
    await seed(id, 'hide');
    const store = statuses();
    expect(await store.finish(id, 'delete', { status: 'done', now: NOW })).toBe(false);
    expect(await store.finish(id, 'hide', { status: 'done', now: NOW })).toBe(true);
    expect(await store.finish(id, 'hide', { status: 'failed', error: '2', now: NOW })).toBe(false);
    expect(await store.claim(req(id, 'hide', NOW, 1000, 5))).toEqual({
      kind: 'settled',
      status: 'done',
    });
    expect(await store.claim(req(freshId(), 'hide', NOW, 1000, 5))).toEqual({ kind: 'missing' });
    expect(await store.finish(freshId(), 'hide', { status: 'done', now: NOW })).toBe(false);
  });

  it('accepts the action a staff review asked for, and a fresh attempt budget for it', async () => {
    const id = freshId();
    // The classifier said `review`; a person confirmed a delete after three failed machine calls.
    const reviewedAt = new Date(NOW + 3_600_000).toISOString();
    await embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: {
          commentId: id,
          action: 'review',
          actionStatus: 'pending',
          actionRequest: REQUEST,
          actionAttempts: 3,
          reviewOutcome: { instagram: 'delete', finalAction: 'delete', reviewedAt },
        },
      }),
    );
    const store = statuses();
    // A stale message for something else, or for an older request, changes nothing.
    expect(await store.claim(req(id, 'hide', NOW, 1000, 3, reviewedAt))).toEqual({
      kind: 'settled',
      status: 'pending',
    });
    expect(await store.claim(req(id, 'delete', NOW, 1000, 3, '2026-01-01T00:00:00.000Z'))).toEqual({
      kind: 'settled',
      status: 'superseded',
    });
    expect(await store.claim(req(id, 'delete', NOW, 1000, 3, reviewedAt))).toEqual({
      kind: 'claimed',
      attempt: 1,
    });
    expect(await store.finish(id, 'hide', { status: 'done', now: NOW })).toBe(false);
    expect(await store.finish(id, 'delete', { status: 'done', now: NOW })).toBe(true);
  });

  it('accepts an interim off-hours hide on a `review` decision', async () => {
    const id = freshId();
    await embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { commentId: id, action: 'review', interimAction: 'hide', actionStatus: 'pending' },
      }),
    );
    const store = statuses();
    expect((await store.claim(req(id, 'delete', NOW, 1000, 5))).kind).toBe('settled');
    expect(await store.claim(req(id, 'hide', NOW, 1000, 5))).toEqual({
      kind: 'claimed',
      attempt: 1,
    });
  });

  it('the breaker is shared: opened by one function, seen by another, one probe among many', async () => {
    const table = embedded.tableNames.circuitBreaker;
    const breaker = { failureThreshold: 5, openMs: 60_000, probeLeaseMs: 30_000 };
    const make = () =>
      new CircuitBreakerStore(embedded.doc, table, { breaker, usage: DEFAULT_ACT_CONFIG.usage });
    const a = make();
    // Failures reported by five functions at once all count: optimistic writes retry.
    await Promise.all(Array.from({ length: 5 }, () => make().recordFailure(NOW)));
    expect(await a.breakerState()).toEqual({ state: 'OPEN', openedAt: NOW });
    expect((await make().admit(NOW + 59_999)).decision).toBe('reject');
    const admissions = await Promise.all(
      Array.from({ length: 10 }, () => make().admit(NOW + 60_000)),
    );
    expect(admissions.filter((x) => x.decision === 'probe')).toHaveLength(1);
    expect(admissions.filter((x) => x.decision === 'reject')).toHaveLength(9);
    await make().recordSuccess();
    expect(await a.breakerState()).toEqual({ state: 'CLOSED', failures: 0 });
  });

  it('usage is shared: what one function observes, another reads', async () => {
    const config = { breaker: DEFAULT_ACT_CONFIG.breaker, usage: DEFAULT_ACT_CONFIG.usage };
    const table = embedded.tableNames.circuitBreaker;
    const a = new CircuitBreakerStore(embedded.doc, table, config);
    const b = new CircuitBreakerStore(embedded.doc, table, { ...config, usageCacheMs: 0 });
    await a.observe({ usagePercent: 95, regainAccessMinutes: 0 }, NOW);
    expect(await b.read(NOW)).toEqual({ usagePercent: 95, observedAt: NOW, regainAt: 0 });
    await a.throttle({ usagePercent: 100, regainAccessMinutes: 3 }, NOW + 1);
    expect((await b.read(NOW + 2)).regainAt).toBe(NOW + 1 + 3 * 60_000);
    // A late, older reading does not overwrite a newer one.
    await b.observe({ usagePercent: 10, regainAccessMinutes: 0 }, NOW - 5);
    expect((await b.read(NOW + 3)).usagePercent).toBe(100);
  });
});
