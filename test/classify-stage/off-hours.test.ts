import { describe, expect, it } from 'vitest';
import { ActionStatusStore } from '../../lambdas/adapters/action-status-store';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import { planDecision } from '../../lambdas/core/classify-stage/plan';
import type { OffHoursPolicy, StagePolicy } from '../../lambdas/core/classify-stage/records';
import { actionMessageSchema } from '../../lambdas/core/contracts/decision';
import { auditEventSchema } from '../../lambdas/core/review/audit';
import { OFF_HOURS_RULE_ID } from '../../lambdas/core/review/off-hours';
import { queueOf, reviewItemSchema, visibilityOf } from '../../lambdas/core/review/record';
import { reviewRequestSchema } from '../../lambdas/core/review/request';
import { planReview } from '../../lambdas/core/review/transitions';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import {
  commentMessage,
  fakeAnalyze,
  INSTANTS,
  RUMOI_OFF_HOURS,
  TEST_KEY,
  VISIBLE_OFF_HOURS,
} from './support/fixtures';
import { buildHandler, deliverComments, observe, useStage } from './support/harness';

// Long retention: decisions made at the fixed instants below stay live for the wall-clock reads.
const policy: StagePolicy = { version: 'test-1', retentionDays: 3650 };
const analyze = fakeAnalyze(policy.version);

const plan = (text: string, now: Date, offHours: OffHoursPolicy = RUMOI_OFF_HOURS) => {
  const message = commentMessage({ text });
  return planDecision({
    message,
    analysis: analyze(text),
    now,
    policy,
    pseudonymKey: TEST_KEY,
    offHours,
  });
};

const CLOSED = [
  ['on a Saturday', INSTANTS.saturday],
  ['at 18:00 JST on a Thursday', INSTANTS.thursdayEvening],
  ['on 2026-12-30 (year-end break)', INSTANTS.yearEnd],
] as const;

describe('off-hours rule in the plan', () => {
  for (const [when, at] of CLOSED) {
    it(`hides a review decision made ${when} until a person looks`, () => {
      const { decision, action, audit } = plan('[review] どうでしょう', at);
      expect(decision).toMatchObject({
        action: 'review',
        reviewState: 'pending',
        interimAction: 'hide',
        actionStatus: 'pending',
        stage: 'decided',
        decidedAt: at.toISOString(),
      });
      expect(actionMessageSchema.parse(action)).toEqual({
        commentId: decision.commentId,
        accountId: decision.accountId,
        field: 'comments',
        action: 'hide',
        policyVersion: policy.version,
        decidedAt: at.toISOString(),
      });
      expect(auditEventSchema.parse(audit)).toMatchObject({
        commentId: decision.commentId,
        eventId: `system#interim_hide#${at.toISOString()}`,
        type: 'system.interim_hide',
        actor: { kind: 'system', id: 'classify' },
        at: at.toISOString(),
        why: RUMOI_OFF_HOURS.rule.why,
        policyVersion: policy.version,
        what: { rule: OFF_HOURS_RULE_ID },
      });
    });
  }

  it('leaves a review decision visible during office hours (Tuesday 10:00 JST)', () => {
    const { decision, action, audit } = plan('[review] どうでしょう', INSTANTS.tuesdayMorning);
    expect(decision).toMatchObject({
      action: 'review',
      reviewState: 'pending',
      actionStatus: 'none',
      stage: 'complete',
    });
    expect(decision).not.toHaveProperty('interimAction');
    expect(action).toBeUndefined();
    expect(audit).toBeUndefined();
  });

  it('leaves a review decision visible off hours when the rule says `review`', () => {
    const { decision, action, audit } = plan(
      '[review] どうでしょう',
      INSTANTS.saturday,
      VISIBLE_OFF_HOURS,
    );
    expect(decision).not.toHaveProperty('interimAction');
    expect(decision.actionStatus).toBe('none');
    expect(action).toBeUndefined();
    expect(audit).toBeUndefined();
  });

  it('leaves a review the learned model alone asked for visible off hours', () => {
    const message = commentMessage({ text: '[review] どうでしょう' });
    const base = analyze('[review] どうでしょう');
    const modelOnly = {
      ...base,
      categories: [
        {
          id: '11' as const,
          score: 0.8,
          evidence: [{ rule: 'model.alone', start: 0, end: 12, model: 'm@1', score: 0.8 }],
        },
      ],
      secondOpinion: { model: 'm@1', score: 0.8, alone: true },
    };
    for (const [, at] of CLOSED) {
      const { decision, action, audit } = planDecision({
        message,
        analysis: modelOnly,
        now: at,
        policy,
        pseudonymKey: TEST_KEY,
        offHours: RUMOI_OFF_HOURS,
      });
      expect(decision).toMatchObject({ action: 'review', reviewState: 'pending' });
      expect(decision).not.toHaveProperty('interimAction');
      expect(decision.categories[0]?.evidence[0]).toEqual({
        rule: 'model.alone',
        start: 0,
        end: 12,
        model: 'm@1',
        score: 0.8,
      });
      expect(action).toBeUndefined();
      expect(audit).toBeUndefined();
      // A rule that agrees makes it an ordinary review again: hidden until a person looks.
      const ruled = planDecision({
        message,
        analysis: { ...modelOnly, secondOpinion: { ...modelOnly.secondOpinion, alone: false } },
        now: at,
        policy,
        pseudonymKey: TEST_KEY,
        offHours: RUMOI_OFF_HOURS,
      });
      expect(ruled.decision.interimAction).toBe('hide');
    }
  });

  it('never changes the machine’s own allow, hide or delete with the clock', () => {
    for (const verb of ['allow', 'hide', 'delete'] as const) {
      const open = plan(`[${verb}] x`, INSTANTS.tuesdayMorning);
      const closed = plan(`[${verb}] x`, INSTANTS.saturday);
      expect(closed.decision).not.toHaveProperty('interimAction');
      expect(closed.audit).toBeUndefined();
      expect(closed.action?.action).toBe(open.action?.action);
      expect(closed.decision.actionStatus).toBe(open.decision.actionStatus);
    }
  });

  it('gives the review flow an item it can approve (unhide) or confirm (stays hidden)', () => {
    const { decision } = plan('[review] どうでしょう', INSTANTS.saturday);
    const item = reviewItemSchema.parse(decision);
    expect(queueOf(item)).toBe('pending');
    expect(visibilityOf(item)).toBe('hidden');
    const ctx = {
      reviewer: 'cognito:alice',
      now: INSTANTS.tuesdayMorning,
      auditRetentionDays: 400,
    };
    const approve = planReview(
      item,
      reviewRequestSchema.parse({ action: 'approve', version: 0, reason: '問題なし' }),
      ctx,
    );
    expect(approve.update.outcome).toMatchObject({ finalAction: 'allow', instagram: 'unhide' });
    expect(approve.request?.action).toBe('unhide');
    const confirm = planReview(
      item,
      reviewRequestSchema.parse({ action: 'confirm', version: 0, reason: '不適切' }),
      ctx,
    );
    expect(confirm.update.outcome).toMatchObject({ finalAction: 'hide', instagram: 'none' });
    expect(confirm.request).toBeUndefined();
  });
});

describe('off-hours rule through the classify handler (embedded DynamoDB and SQS)', () => {
  const stage = useStage('offhours');

  const run = async (at: Date, copies: readonly number[]) => {
    const { embedded, clients } = stage;
    const handler = buildHandler(embedded, {
      analyze,
      policy,
      offHours: RUMOI_OFF_HOURS,
      now: () => at,
    });
    const messages = copies.map(() => commentMessage({ text: '[review] 070-1111-2222 どうかな' }));
    const bodies = messages.flatMap((m, i) =>
      Array<string>(copies[i] ?? 1).fill(encodeCommentMessage(m)),
    );
    const { stats } = await deliverComments(embedded, clients, bodies, {
      handler,
      concurrency: 2,
    });
    expect(stats.failed).toBe(0);
    const ids = messages.map((m) => m.commentId);
    const seen = await observe(embedded, ids, clients);
    const audit = createAuditStore(clients.doc, embedded.tableNames.audit);
    const events = new Map<string, number>();
    for (const id of ids) events.set(id, (await audit.list(id, at)).length);
    return { ids, seen, events };
  };

  it('on a Saturday: each review comment, delivered 1–3 times, is hidden once and audited once', async () => {
    const { embedded, clients } = stage;
    const at = INSTANTS.saturday;
    const { ids, seen, events } = await run(at, [1, 2, 3, 3, 1, 2]);
    const store = createDecisionStore(clients.dynamo, embedded.tableNames.decisions);
    for (const id of ids) {
      expect(await store.get(id, at)).toMatchObject({
        action: 'review',
        reviewState: 'pending',
        interimAction: 'hide',
        actionStatus: 'pending',
        stage: 'complete',
        actionEnqueued: true,
      });
      expect(seen.actions.get(id)).toBe(1);
      expect(events.get(id)).toBe(1);
    }
    expect(seen.actionMessages).toBe(ids.length);
  });

  it('leaves an item the act stage accepts the hide message for (claim, then done)', async () => {
    const { embedded, clients } = stage;
    const at = INSTANTS.thursdayEvening;
    const { ids, seen } = await run(at, [1]);
    const id = ids[0] as string;
    expect(seen.actions.get(id)).toBe(1);
    const statuses = new ActionStatusStore(clients.dynamo, embedded.tableNames.decisions);
    const now = at.getTime() + 1000;
    const request = { commentId: id, requestId: at.toISOString(), now, leaseMs: 30_000 };
    // A message for another action is stale for this item.
    await expect(
      statuses.claim({ ...request, action: 'delete', maxAttempts: 3 }),
    ).resolves.toMatchObject({ kind: 'settled' });
    await expect(statuses.claim({ ...request, action: 'hide', maxAttempts: 3 })).resolves.toEqual({
      kind: 'claimed',
      attempt: 1,
    });
    await expect(statuses.finish(id, 'hide', { status: 'done', now })).resolves.toBe(true);
    const store = createDecisionStore(clients.dynamo, embedded.tableNames.decisions);
    const item = reviewItemSchema.parse(await store.get(id, at));
    expect(item).toMatchObject({ actionStatus: 'done', interimAction: 'hide' });
    expect(visibilityOf(item)).toBe('hidden');
    expect(queueOf(item)).toBe('pending');
  });

  it('on a Tuesday at 10:00 JST: review comments stay visible, no action, no audit event', async () => {
    const { ids, seen, events } = await run(INSTANTS.tuesdayMorning, [1, 2, 3]);
    for (const id of ids) {
      expect(seen.decisions.get(id)).toMatchObject({ action: 'review', actionStatus: 'none' });
      expect(seen.decisions.get(id)).not.toHaveProperty('interimAction');
      expect(events.get(id)).toBe(0);
    }
    expect(seen.actionMessages).toBe(0);
  });
});
