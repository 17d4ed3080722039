import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import type { AuditEvent } from '../../lambdas/core/review/audit';
import type { ReviewActionSink } from '../../lambdas/core/review/ports';
import { reviewRequestSchema } from '../../lambdas/core/review/request';
import { listReviewQueue, type ReviewDeps, submitReview } from '../../lambdas/core/review/service';
import type { ReviewActionRequest } from '../../lambdas/core/review/transitions';
import { planReview } from '../../lambdas/core/review/transitions';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { asItem, calendar, OPEN_NOW, seed, storedDecision } from './support';

const recordingSink = () => {
  const sent: ReviewActionRequest[] = [];
  const sink: ReviewActionSink = {
    async request(request) {
      sent.push(request);
    },
  };
  return { sent, sink };
};

describe('review store, audit trail and review service on DynamoDB (dynalite)', () => {
  let embedded: Embedded;
  let deps: ReviewDeps;
  let sent: ReviewActionRequest[];

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'review' });
    const recorder = recordingSink();
    sent = recorder.sent;
    deps = {
      store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
      audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
      actions: recorder.sink,
      calendar,
      auditRetentionDays: 400,
    };
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  const review = (commentId: string, body: Record<string, unknown>, reviewer = 'cognito:alice') =>
    submitReview(deps, {
      commentId,
      request: reviewRequestSchema.parse({ reason: '確認', version: 0, ...body }),
      reviewer,
      now: OPEN_NOW,
    });

  const rawDecision = async (commentId: string) =>
    (
      await embedded.doc.send(
        new GetCommand({ TableName: embedded.tableNames.decisions, Key: { commentId } }),
      )
    ).Item;

  it('lists pending and machine-hidden decisions oldest first, without expired or reviewed ones', async () => {
    // A separate media/time window keeps this listing independent of the other tests' items.
    const base = Date.parse('2020-01-06T00:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const items = [
      storedDecision({ decidedAt: at(3) }),
      storedDecision({
        decidedAt: at(1),
        action: 'hide',
        actionStatus: 'done',
        reviewState: undefined,
      }),
      storedDecision({ decidedAt: at(2), expiresAt: Math.floor(OPEN_NOW.getTime() / 1000) - 1 }),
      storedDecision({ decidedAt: at(0), action: 'allow', reviewState: undefined }),
      storedDecision({
        decidedAt: at(0),
        action: 'hide',
        reviewState: undefined,
        reviewVersion: 1,
        reviewOutcome: {
          decision: 'confirm',
          finalAction: 'hide',
          categories: ['4'],
          reviewer: 'cognito:x',
          reviewedAt: at(5),
          reason: 'r',
          fromVersion: 0,
          instagram: 'none',
          eventId: 'review#000001',
        },
      }),
    ];
    await seed(embedded, items);
    const page = await listReviewQueue(deps, { now: OPEN_NOW, limit: 100 });
    const mine = page.items.filter((i) => i.decidedAt < at(10));
    expect(mine.map((i) => i.commentId)).toEqual([items[1]?.commentId, items[0]?.commentId]);
    expect(mine.map((i) => i.queue)).toEqual(['hidden', 'pending']);
    // The whitelist: nothing about the author or the personal-data positions reaches staff; the
    // types of personal data found do, as counts.
    const body = JSON.stringify(page);
    expect(body).not.toContain('authorRef');
    expect(body).not.toContain('a'.repeat(64));
    expect(body).not.toContain('piiSpans');
    expect(mine[0]?.piiTypes).toEqual({ phone: 1 });
    expect(mine[0]).toMatchObject({ version: 0, visibility: 'hidden', action: 'hide' });
  });

  it('pages through the queue with a cursor: every item exactly once, in order, ties included', async () => {
    const decidedAt = '2019-03-04T05:06:07.000Z';
    const tied = Array.from({ length: 7 }, () => storedDecision({ decidedAt }));
    await seed(embedded, tied);
    const seen: string[] = [];
    let after: { decidedAt: string; commentId: string } | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await listReviewQueue(deps, {
        now: OPEN_NOW,
        limit: 3,
        ...(after ? { after } : {}),
      });
      seen.push(...page.items.filter((x) => x.decidedAt === decidedAt).map((x) => x.commentId));
      if (!page.next || page.items.every((x) => x.decidedAt > decidedAt)) break;
      after = page.next;
    }
    expect(seen).toEqual(tied.map((t) => String(t.commentId)).sort());
  });

  it('approve of an off-hours hide: outcome recorded, queue left, unhide requested, one audit event', async () => {
    const item = storedDecision({ interimAction: 'hide', actionStatus: 'done' });
    const commentId = String(item.commentId);
    await seed(embedded, [item]);
    const result = await review(commentId, { action: 'approve' });
    expect(result).toMatchObject({ version: 1, eventId: 'review#000001' });
    const stored = await rawDecision(commentId);
    expect(stored?.reviewState).toBeUndefined();
    expect(stored).toMatchObject({ reviewVersion: 1, actionStatus: 'pending', action: 'review' });
    expect(stored?.reviewOutcome).toMatchObject({ finalAction: 'allow', instagram: 'unhide' });
    expect(sent.filter((s) => s.commentId === commentId).map((s) => s.action)).toEqual(['unhide']);
    const trail = await deps.audit.list(commentId, OPEN_NOW);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      type: 'review.approve',
      actor: { kind: 'staff', id: 'cognito:alice' },
      why: '確認',
      policyVersion: '2025-08-20.0',
    });
    const queue = await listReviewQueue(deps, { now: OPEN_NOW, limit: 200 });
    expect(queue.items.map((i) => i.commentId)).not.toContain(commentId);
  });

  it('a double submission records one review, one audit event and one Instagram request', async () => {
    const item = storedDecision({ interimAction: 'hide', actionStatus: 'done' });
    const commentId = String(item.commentId);
    await seed(embedded, [item]);
    const results = await Promise.allSettled([
      review(commentId, { action: 'approve' }),
      review(commentId, { action: 'approve' }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected.map((r) => (r as PromiseRejectedResult).reason.name)).toEqual([
      'DuplicateReviewError',
    ]);
    expect(sent.filter((s) => s.commentId === commentId)).toHaveLength(1);
    expect(await deps.audit.list(commentId, OPEN_NOW)).toHaveLength(1);
  });

  it('two reviewers racing on one version: one wins, the other is told its version is stale', async () => {
    const item = storedDecision();
    const commentId = String(item.commentId);
    await seed(embedded, [item]);
    const results = await Promise.allSettled([
      review(commentId, { action: 'approve' }, 'cognito:alice'),
      review(commentId, { action: 'confirm' }, 'cognito:bob'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const error = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    expect(error).toMatchObject({ name: 'StaleVersionError', expected: 0, current: 1 });
    const trail = await deps.audit.list(commentId, OPEN_NOW);
    expect(trail).toHaveLength(1);
    expect((await rawDecision(commentId))?.reviewOutcome).toEqual(trail[0]?.what.review);
  });

  it('an event appended before a crash is rolled forward by the next submission', async () => {
    const stored = storedDecision({ action: 'hide', actionStatus: 'done', reviewState: undefined });
    const commentId = String(stored.commentId);
    await seed(embedded, [stored]);
    // The first reviewer's function died right after appending its audit event.
    const plan = planReview(
      asItem(stored),
      reviewRequestSchema.parse({ action: 'approve', version: 0, reason: '問題なし' }),
      { reviewer: 'cognito:carol', now: OPEN_NOW, auditRetentionDays: 400 },
    );
    expect(await deps.audit.append(plan.event)).toBe('appended');
    expect((await rawDecision(commentId))?.reviewVersion).toBeUndefined();

    await expect(review(commentId, { action: 'confirm' }, 'cognito:dave')).rejects.toMatchObject({
      name: 'StaleVersionError',
    });
    const rolled = await rawDecision(commentId);
    expect(rolled).toMatchObject({ reviewVersion: 1, reviewOutcome: plan.update.outcome });
    expect(sent.filter((s) => s.commentId === commentId).map((s) => s.action)).toEqual(['unhide']);
  });

  it('the audit table is append-only: an existing event is never overwritten', async () => {
    const event: AuditEvent = {
      commentId: '17000000000000009',
      eventId: 'review#000001',
      type: 'review.approve',
      actor: { kind: 'staff', id: 'cognito:alice' },
      at: OPEN_NOW.toISOString(),
      why: 'first',
      policyVersion: 'v1',
      what: {},
      expiresAt: Math.floor(OPEN_NOW.getTime() / 1000) + 86_400,
    };
    expect(await deps.audit.append(event)).toBe('appended');
    expect(await deps.audit.append({ ...event, why: 'rewritten' })).toBe('exists');
    expect((await deps.audit.get(event.commentId, event.eventId, OPEN_NOW))?.why).toBe('first');
    // Expired events are absent on read, whatever the TTL sweep did.
    const later = new Date(OPEN_NOW.getTime() + 2 * 86_400_000);
    expect(await deps.audit.get(event.commentId, event.eventId, later)).toBeUndefined();
  });

  it('expired decisions are absent: not found for review', async () => {
    const item = storedDecision({ expiresAt: Math.floor(OPEN_NOW.getTime() / 1000) });
    await seed(embedded, [item]);
    await expect(review(String(item.commentId), { action: 'approve' })).rejects.toMatchObject({
      name: 'ReviewNotFoundError',
    });
  });

  it('property: whatever reviewers submit, the trail is complete and matches the decision', async () => {
    const submission = fc.record({
      reviewer: fc.constantFrom('cognito:a', 'cognito:b'),
      action: fc.constantFrom('approve', 'confirm', 'reclassify'),
      version: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('review', 'hide'),
        fc.array(fc.array(submission, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (action, rounds) => {
          const item = storedDecision(
            action === 'hide'
              ? { action, actionStatus: 'done', reviewState: undefined }
              : { interimAction: 'hide', actionStatus: 'done' },
          );
          const commentId = String(item.commentId);
          await seed(embedded, [item]);
          let successes = 0;
          for (const round of rounds) {
            // Each round's submissions race each other.
            const results = await Promise.allSettled(
              round.map((s) =>
                review(
                  commentId,
                  {
                    action: s.action,
                    version: s.version,
                    ...(s.action === 'reclassify' ? { categories: ['6'], outcome: 'hide' } : {}),
                  },
                  s.reviewer,
                ),
              ),
            );
            for (const r of results) {
              if (r.status === 'fulfilled') successes++;
              else
                expect([
                  'StaleVersionError',
                  'DuplicateReviewError',
                  'NotReviewableError',
                ]).toContain(r.reason.name);
            }
          }
          const trail = await deps.audit.list(commentId, OPEN_NOW);
          const decision = await rawDecision(commentId);
          expect(trail).toHaveLength(successes);
          expect(trail.map((e) => e.eventId)).toEqual(
            trail.map((_, i) => `review#${String(i + 1).padStart(6, '0')}`),
          );
          expect(decision?.reviewVersion ?? 0).toBe(successes);
          if (successes > 0) expect(decision?.reviewOutcome).toEqual(trail.at(-1)?.what.review);
          expect(decision?.reviewState).toBe(successes > 0 ? undefined : item.reviewState);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reads refuse items that break the contract instead of passing them to staff', async () => {
    const commentId = '17000000000000777';
    await embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { commentId, expiresAt: 4_000_000_000, action: 'weird' },
      }),
    );
    await expect(deps.store.get(commentId, OPEN_NOW)).rejects.toMatchObject({
      name: 'StoredDecisionInvalidError',
    });
  });
});
