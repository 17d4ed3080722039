/**
 * Unhide: staff approve a comment the stage hid (an off-hours interim hide, or a machine hide), and
 * the act stage restores it with exactly one `POST /{version}/{id}?hide=false`, under the same
 * claim, attempt, breaker and usage rules as hide. Part of it runs the real review flow (review
 * store, audit store and SQS sink of the review API) against the same embedded tables and queue.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { loadOfficeHours } from '../../lambdas/adapters/policy';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import { type ActionMessage, actionMessageSchema } from '../../lambdas/core/contracts/decision';
import { reviewEventId } from '../../lambdas/core/review/audit';
import type { ReviewRequest } from '../../lambdas/core/review/request';
import { type ReviewDeps, submitReview } from '../../lambdas/core/review/service';
import { createSqsReviewActions } from '../../lambdas/handlers/review-api';
import {
  graphError,
  isModerationRequest,
  MODERATION_SHAPES,
  VERSION,
} from '../support/fake-graph-api';
import { commentId, event, type Harness, message, record, START, startHarness } from './harness';

const DECIDED_AT = new Date(START).toISOString();
const REVIEWED_AT = new Date(START + 60 * 60_000).toISOString();
const FAR_FUTURE_SECONDS = Math.floor(Date.UTC(2030, 0, 1) / 1000);
const officeHours = loadOfficeHours('rumoi');

/** A `review` decision the classify stage hid for the time being (off hours), still pending. */
const interimHidden = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  field: 'comments',
  categories: [{ id: '4', score: 0.7, evidence: [{ rule: 'ad.url', start: 3, end: 20 }] }],
  redactedText: '詳しくは［URL］へ',
  inquiry: false,
  expiresAt: FAR_FUTURE_SECONDS,
  reviewState: 'pending',
  interimAction: 'hide',
  ...extra,
});

/**
 * The same item after the act stage hid it and staff approved it, attribute for attribute as
 * `planReview` + `ReviewStore.applyReview` leave it: `reviewVersion` 1, `reviewOutcome` asking for
 * `unhide`, `actionStatus` back to pending, `reviewState` removed.
 */
const approvedAfterInterimHide = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
  const { reviewState: _removed, ...item } = interimHidden();
  return {
    ...item,
    actionRequest: DECIDED_AT,
    actionAttempts: 1,
    actionUpdatedAt: DECIDED_AT,
    reviewVersion: 1,
    reviewOutcome: {
      decision: 'approve',
      finalAction: 'allow',
      categories: [],
      reviewer: 'cognito:alice-sub',
      reviewedAt: REVIEWED_AT,
      reason: '問題のない意見',
      fromVersion: 0,
      instagram: 'unhide',
      eventId: reviewEventId(1),
    },
    ...extra,
  };
};

const unhide = (id: string, extra: Partial<ActionMessage> = {}): ActionMessage =>
  message(id, 'unhide', { decidedAt: REVIEWED_AT, ...extra });

describe('act stage: unhide', () => {
  let h: Harness;
  let reviewDeps: ReviewDeps;

  beforeAll(async () => {
    h = await startHarness();
    const { doc, sqs, tableNames, queues } = h.embedded;
    reviewDeps = {
      store: createReviewStore(doc, tableNames.decisions),
      audit: createAuditStore(doc, tableNames.audit),
      actions: createSqsReviewActions(sqs, queues.actions.url),
      calendar: createBusinessCalendar(officeHours),
      auditRetentionDays: officeHours.review.auditRetentionDays,
    };
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
    h.now = START + 2 * 60 * 60_000;
  });

  /** Submits a review through the real review service and returns the message it queued. */
  const review = async (id: string, request: ReviewRequest): Promise<ActionMessage> => {
    await submitReview(reviewDeps, {
      commentId: id,
      request,
      reviewer: 'cognito:alice-sub',
      now: new Date(REVIEWED_AT),
    });
    const { sqs, queues } = h.embedded;
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.actions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = received.Messages ?? [];
    expect(messages).toHaveLength(1);
    for (const m of messages) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queues.actions.url, ReceiptHandle: m.ReceiptHandle }),
      );
    }
    // What the review API sends is a valid action message as it stands, not just for this test.
    return actionMessageSchema.parse(JSON.parse(messages[0]?.Body ?? '{}'));
  };

  it('restores a hidden comment with exactly one POST ?hide=false: pending → done', async () => {
    const id = commentId();
    await h.seed(id, 'review', approvedAfterInterimHide());
    const response = await h.handler()(event(record(unhide(id))));
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/${VERSION}/${id}`,
        query: { hide: 'false' },
        body: '',
      }),
    ]);
    expect(await h.item(id)).toMatchObject({
      actionStatus: 'done',
      actionRequest: REVIEWED_AT,
      actionAttempts: 1,
    });
    expect((await h.item(id))?.actionLeaseUntil).toBeUndefined();
    expect(h.metrics.get('GraphCallSucceeded')).toBe(1);
  });

  it('a repeated unhide message (redelivery, duplicate, another function) calls once', async () => {
    const id = commentId();
    await h.seed(id, 'review', approvedAfterInterimHide());
    const m = unhide(id);
    const handler = h.handler();
    await handler(event(record(m)));
    await handler(event(record(m, 2), record(m, 2)));
    await h.handler()(event(record(m, 3)));
    await Promise.all([h.handler()(event(record(m, 4))), h.handler()(event(record(m, 4)))]);
    expect(h.graph.callsFor(id)).toBe(1);
    expect((await h.item(id))?.actionStatus).toBe('done');
  });

  it('concurrent deliveries of a fresh unhide: one call between them', async () => {
    const id = commentId();
    await h.seed(id, 'review', approvedAfterInterimHide());
    const m = unhide(id);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => h.handler()(event(record(m)))),
    );
    expect(h.graph.callsFor(id)).toBe(1);
    // Those that found the lease come back later and then find the comment settled.
    const retried = responses.flatMap((r) => r.batchItemFailures).length;
    h.now += 120_000;
    for (let i = 0; i < retried; i++) await h.handler()(event(record(m, 2)));
    expect(h.graph.callsFor(id)).toBe(1);
    expect((await h.item(id))?.actionStatus).toBe('done');
  });

  it('dry run records dry_run and sends nothing; live video is skipped_live', async () => {
    const dry = commentId();
    const live = commentId();
    await h.seed(dry, 'review', approvedAfterInterimHide());
    await h.seed(live, 'review', approvedAfterInterimHide({ field: 'live_comments' }));
    await h.handler({ actionsEnabled: false })(event(record(unhide(dry))));
    await h.handler()(event(record(unhide(live, { field: 'live_comments' }))));
    expect(h.graph.requests).toHaveLength(0);
    expect((await h.item(dry))?.actionStatus).toBe('dry_run');
    expect((await h.item(live))?.actionStatus).toBe('skipped_live');
    expect(h.metrics.get('ActionDryRun')).toBe(1);
    expect(h.metrics.get('ActionSkippedLive')).toBe(1);
  });

  it('"does not exist" on unhide is done: there is nothing left to restore', async () => {
    const id = commentId();
    await h.seed(id, 'review', approvedAfterInterimHide());
    h.graph.forget(id);
    const handler = h.handler();
    expect((await handler(event(record(unhide(id))))).batchItemFailures).toEqual([]);
    await handler(event(record(unhide(id), 2)));
    expect(h.graph.callsFor(id)).toBe(1);
    expect(await h.item(id)).toMatchObject({ actionStatus: 'done', actionOutcome: 'not_found' });
  });

  it.each([10, 100, 190, 200])(
    'code %i on unhide: one call, failed with the code, alarm metric',
    async (code) => {
      const id = commentId();
      await h.seed(id, 'review', approvedAfterInterimHide());
      h.graph.always(graphError(code));
      const handler = h.handler();
      expect((await handler(event(record(unhide(id))))).batchItemFailures).toEqual([]);
      await handler(event(record(unhide(id), 2)));
      expect(h.graph.callsFor(id)).toBe(1);
      expect(await h.item(id)).toMatchObject({ actionStatus: 'failed', actionError: String(code) });
      expect(h.metrics.get('GraphPermanentFailure')).toBe(1);
    },
  );

  it.each([1, 2])(
    'transient code %i on unhide: backoff, attempts counted, then exhausted',
    async (code) => {
      const id = commentId();
      await h.seed(id, 'review', approvedAfterInterimHide());
      h.graph.always(graphError(code));
      const maxAttempts = 3;
      const handler = h.handler(
        { maxAttempts, breaker: { failureThreshold: 1000, openMs: 1, probeLeaseMs: 1 } },
        { random: () => 0.5 },
      );
      for (let delivery = 1; delivery <= maxAttempts + 2; delivery++) {
        const response = await handler(event(record(unhide(id), delivery)));
        if (response.batchItemFailures.length === 0) break;
        expect((await h.item(id))?.actionStatus).toBe('pending');
        h.now += 600_000;
      }
      expect(h.graph.callsFor(id)).toBe(maxAttempts);
      expect(h.visibility.delays).toHaveLength(maxAttempts - 1);
      expect(await h.item(id)).toMatchObject({
        actionStatus: 'failed',
        actionError: String(code),
        actionAttempts: maxAttempts,
      });
      expect(h.metrics.get('GraphTransientFailure')).toBe(maxAttempts - 1);
      expect(h.metrics.get('GraphRetriesExhausted')).toBe(1);
    },
  );

  it.each([4, 17, 32, 613, 80002])(
    'throttled (%i) on unhide: waits for the window, then restores',
    async (code) => {
      const id = commentId();
      await h.seed(id, 'review', approvedAfterInterimHide());
      h.graph.script(id, graphError(code));
      const handler = h.handler({ deferJitterSeconds: 0 });
      expect((await handler(event(record(unhide(id))))).batchItemFailures).toHaveLength(1);
      expect(h.visibility.delays[0]?.seconds).toBe(60);
      expect(h.metrics.get('GraphThrottled')).toBe(1);
      // Inside the window nothing is sent, whoever asks.
      h.now += 30_000;
      await h.handler()(event(record(unhide(id), 2)));
      expect(h.graph.callsFor(id)).toBe(1);
      h.now += 31_000;
      expect((await h.handler()(event(record(unhide(id), 3)))).batchItemFailures).toEqual([]);
      expect(h.graph.callsFor(id)).toBe(2);
      expect((await h.item(id))?.actionStatus).toBe('done');
    },
  );

  it('an open breaker or high usage holds an unhide without a call', async () => {
    const id = commentId();
    await h.seed(id, 'review', approvedAfterInterimHide());
    const breaker = { failureThreshold: 1, openMs: 60_000, probeLeaseMs: 30_000 };
    const other = commentId();
    await h.seed(other, 'hide');
    h.graph.script(other, graphError(2));
    await h.handler({ breaker })(event(record(message(other, 'hide'))));
    expect(
      (await h.handler({ breaker })(event(record(unhide(id))))).batchItemFailures,
    ).toHaveLength(1);
    expect(h.graph.callsFor(id)).toBe(0);
    expect(h.metrics.get('GraphDeferred')).toBe(1);

    h.now += 60_000;
    h.graph.setUsage({ callCount: 95 });
    await h.handler({ breaker })(event(record(message(other, 'hide'), 2)));
    expect(
      (await h.handler({ breaker })(event(record(unhide(id), 2)))).batchItemFailures,
    ).toHaveLength(1);
    expect(h.graph.callsFor(id)).toBe(0);
  });

  it('review flow: interim hide, staff approve, the queued unhide restores the comment once', async () => {
    const id = commentId();
    await h.seed(id, 'review', interimHidden());
    const hide = message(id, 'hide', { decidedAt: DECIDED_AT });
    await h.handler()(event(record(hide)));
    expect(h.graph.hidden.has(id)).toBe(true);
    expect((await h.item(id))?.actionStatus).toBe('done');

    const queued = await review(id, { action: 'approve', version: 0, reason: '問題のない意見' });
    expect(queued).toEqual({
      commentId: id,
      accountId: '17841400000000000',
      field: 'comments',
      action: 'unhide',
      policyVersion: 'rumoi-1',
      decidedAt: REVIEWED_AT,
    });
    // The stored item is the one the direct tests above construct.
    const stored = await h.item(id);
    expect(stored).toMatchObject({
      ...approvedAfterInterimHide(),
      actionStatus: 'pending',
      actionUpdatedAt: expect.any(String),
    });
    expect(stored?.reviewState).toBeUndefined();

    const handler = h.handler();
    expect((await handler(event(record(queued)))).batchItemFailures).toEqual([]);
    // Redeliveries of both messages change nothing.
    await handler(event(record(queued, 2), record(hide, 2)));
    await h.handler()(event(record(hide, 3), record(queued, 3)));
    expect(h.graph.requests.map((r) => `${r.method} ${JSON.stringify(r.query)}`)).toEqual([
      'POST {"hide":"true"}',
      'POST {"hide":"false"}',
    ]);
    expect(h.graph.hidden.has(id)).toBe(false);
    expect(await h.item(id)).toMatchObject({ actionStatus: 'done', actionAttempts: 1 });
  });

  it('review flow: approved before the interim hide ran: the hide is stale, the unhide runs', async () => {
    const id = commentId();
    await h.seed(id, 'review', interimHidden());
    const hide = message(id, 'hide', { decidedAt: DECIDED_AT });
    const queued = await review(id, { action: 'approve', version: 0, reason: '問題のない意見' });
    expect(queued.action).toBe('unhide');
    // The hide arrives first (backlog), then the unhide; then the hide again.
    await h.handler()(event(record(hide)));
    expect(h.graph.requests).toHaveLength(0);
    await h.handler()(event(record(queued), record(hide, 2)));
    expect(h.graph.requests.map((r) => r.query)).toEqual([{ hide: 'false' }]);
    expect(h.graph.hidden.has(id)).toBe(false);
    expect((await h.item(id))?.actionStatus).toBe('done');
  });

  it('review flow: approved while the interim hide is in flight: unhide waits for it, then runs', async () => {
    const id = commentId();
    // The interim hide's call holds the lease (claimed, not yet finished).
    await h.seed(
      id,
      'review',
      interimHidden({
        actionRequest: DECIDED_AT,
        actionAttempts: 1,
        actionLeaseUntil: h.now + 30_000,
      }),
    );
    const queued = await review(id, { action: 'approve', version: 0, reason: '問題のない意見' });
    const first = await h.handler()(event(record(queued)));
    expect(first.batchItemFailures).toHaveLength(1);
    expect(h.graph.requests).toHaveLength(0);
    // Once the lease is over (the hide finished, or its function died) the unhide goes through.
    h.now += 31_000;
    expect((await h.handler()(event(record(queued, 2)))).batchItemFailures).toEqual([]);
    expect(h.graph.requests.map((r) => r.query)).toEqual([{ hide: 'false' }]);
    expect(await h.item(id)).toMatchObject({ actionStatus: 'done', actionRequest: REVIEWED_AT });
  });

  it('a stale unhide (the item no longer asks for it) is left alone', async () => {
    // A machine hide nobody reviewed.
    const machine = commentId();
    await h.seed(machine, 'hide');
    // Approved, then reclassified to delete before the unhide ran.
    const reclassified = commentId();
    await h.seed(reclassified, 'review', interimHidden());
    const hide = message(reclassified, 'hide', { decidedAt: DECIDED_AT });
    await h.handler()(event(record(hide)));
    const queued = await review(reclassified, {
      action: 'approve',
      version: 0,
      reason: '問題のない意見',
    });
    expect(queued.action).toBe('unhide');
    await submitReview(reviewDeps, {
      commentId: reclassified,
      request: {
        action: 'reclassify',
        version: 1,
        reason: '広告',
        categories: ['4'],
        outcome: 'delete',
      },
      reviewer: 'cognito:bob-sub',
      now: new Date(Date.parse(REVIEWED_AT) + 60_000),
    });
    const { sqs, queues } = h.embedded;
    const next = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.actions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const del = actionMessageSchema.parse(JSON.parse(next.Messages?.[0]?.Body ?? '{}'));
    expect(del.action).toBe('delete');
    for (const m of next.Messages ?? []) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queues.actions.url, ReceiptHandle: m.ReceiptHandle }),
      );
    }
    h.graph.reset();

    const handler = h.handler();
    const response = await handler(
      event(
        record(unhide(machine)),
        record(queued),
        record(unhide(reclassified, { decidedAt: del.decidedAt })),
      ),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(h.graph.requests).toHaveLength(0);
    expect(await h.item(machine)).toMatchObject({ actionStatus: 'pending', action: 'hide' });
    expect((await h.item(reclassified))?.actionStatus).toBe('pending');

    // What the items do ask for still goes through.
    await handler(event(record(del), record(message(machine, 'hide'))));
    expect(h.graph.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [`DELETE /${VERSION}/${reclassified}`, `POST /${VERSION}/${machine}`].sort(),
    );
    expect((await h.item(reclassified))?.actionStatus).toBe('done');
    expect((await h.item(machine))?.actionStatus).toBe('done');
  });

  it('no request of this file created content: only the three moderation calls', () => {
    const seen = h.graph.history;
    expect(seen.filter((r) => !isModerationRequest(r))).toEqual([]);
    const shapes = new Set(seen.map((r) => `${r.method} ${JSON.stringify(r.query)}`));
    expect([...shapes].sort()).toEqual([...MODERATION_SHAPES].sort());
  });
});
