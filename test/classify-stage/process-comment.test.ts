import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActionQueue } from '../../lambdas/adapters/action-queue';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import { createPiiLedger, type PiiLedgerStore } from '../../lambdas/adapters/pii-ledger';
import type { ClassifyPorts, DecisionStore } from '../../lambdas/core/classify-stage/ports';
import { processComment } from '../../lambdas/core/classify-stage/process-comment';
import type { OffHoursPolicy, StagePolicy } from '../../lambdas/core/classify-stage/records';
import { OFF_HOURS_RULE_ID } from '../../lambdas/core/review/off-hours';
import type { AuditStore } from '../../lambdas/core/review/ports';
import { type Embedded, startEmbedded } from '../../local/embedded';
import {
  commentMessage,
  fakeAnalyze,
  INSTANTS,
  RUMOI_OFF_HOURS,
  TEST_KEY,
} from './support/fixtures';
import { type ReliableClients, reliableClients } from './support/harness';
import { receiveAll } from './support/poller';

const policy: StagePolicy = { version: 'test-1', retentionDays: 90 };
const T0 = new Date('2026-11-26T01:00:05.000Z');
const TEXT = '[hide] 090-1234-5678 と 080-1111-2222';

class Crash extends Error {
  override readonly name = 'Crash';
}

type Step = 'create' | 'putAll' | 'append' | 'enqueue' | 'markComplete';

describe('processComment against DynamoDB and SQS (embedded)', () => {
  let embedded: Embedded;
  let clients: ReliableClients;
  let decisions: DecisionStore;
  let ledger: PiiLedgerStore;
  let audit: AuditStore;

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'process' });
    clients = reliableClients(embedded);
    decisions = createDecisionStore(clients.dynamo, embedded.tableNames.decisions);
    ledger = createPiiLedger(clients.dynamo, embedded.tableNames.piiLedger);
    audit = createAuditStore(clients.doc, embedded.tableNames.audit);
  });
  afterAll(async () => {
    await embedded?.stop();
  });
  beforeEach(async () => {
    await receiveAll(clients.sqs, embedded.queues.actions.url);
  });

  /** Ports whose `step` fails once, before the call or after it took effect. */
  const ports = (
    options: {
      crash?: { step: Step; after: boolean };
      now?: Date;
      claimTtlMs?: number;
      offHours?: OffHoursPolicy;
    } = {},
  ): ClassifyPorts => {
    let crashed = false;
    const maybe = async <T>(step: Step, call: () => Promise<T>): Promise<T> => {
      const hit = options.crash?.step === step && !crashed;
      if (hit && !options.crash?.after) {
        crashed = true;
        throw new Crash(step);
      }
      const result = await call();
      if (hit) {
        crashed = true;
        throw new Crash(step);
      }
      return result;
    };
    const actions = createActionQueue(clients.sqs, embedded.queues.actions.url);
    return {
      decisions: {
        get: (id, now) => decisions.get(id, now),
        create: (d, now) => maybe('create', () => decisions.create(d, now)),
        supersedePendingFetch: (d, now) => decisions.supersedePendingFetch(d, now),
        claim: (id, e, n) => decisions.claim(id, e, n),
        markComplete: (id, e) => maybe('markComplete', () => decisions.markComplete(id, e)),
      },
      ledger: { putAll: (rows, now) => maybe('putAll', () => ledger.putAll(rows, now)) },
      actions: { enqueue: (m) => maybe('enqueue', () => actions.enqueue(m)) },
      audit: { append: (event) => maybe('append', () => audit.append(event)) },
      analyze: fakeAnalyze(policy.version),
      policy,
      offHours: options.offHours ?? RUMOI_OFF_HOURS,
      pseudonymKey: TEST_KEY,
      now: () => options.now ?? T0,
      ...(options.claimTtlMs !== undefined ? { claimTtlMs: options.claimTtlMs } : {}),
    };
  };

  const actionCount = async (commentId: string): Promise<number> => {
    const all = await receiveAll(clients.sqs, embedded.queues.actions.url);
    return all.filter((m) => JSON.parse(m.Body ?? '{}').commentId === commentId).length;
  };

  const crashes: { step: Step; after: boolean; actions: number; retry: string }[] = [
    { step: 'create', after: false, actions: 1, retry: 'decided' },
    { step: 'create', after: true, actions: 1, retry: 'resumed' },
    { step: 'putAll', after: false, actions: 1, retry: 'resumed' },
    { step: 'putAll', after: true, actions: 1, retry: 'resumed' },
    { step: 'enqueue', after: false, actions: 1, retry: 'resumed' },
    // The message went out but the mark did not: the retry sends it again (act stage dedups).
    { step: 'enqueue', after: true, actions: 2, retry: 'resumed' },
    { step: 'markComplete', after: false, actions: 2, retry: 'resumed' },
    { step: 'markComplete', after: true, actions: 1, retry: 'duplicate' },
  ];

  for (const crash of crashes) {
    it(`repairs a crash ${crash.after ? 'after' : 'before'} ${crash.step} on the retry`, async () => {
      const message = commentMessage({ text: TEXT });
      const delivery = { deliveryId: 'msg-a' };
      await expect(processComment(message, ports({ crash }), delivery)).rejects.toThrow(Crash);
      const retry = await processComment(message, ports(), delivery);
      expect(retry.outcome).toBe(crash.retry);
      const again = await processComment(message, ports(), { deliveryId: 'msg-b' });
      expect(again.outcome).toBe('duplicate');

      const stored = await decisions.get(message.commentId, T0);
      expect(stored).toMatchObject({ stage: 'complete', actionEnqueued: true, action: 'hide' });
      expect(stored).not.toHaveProperty('claimedBy');
      const rows = await ledger.list(message.commentId, T0);
      expect(rows.map((r) => [r.index, r.start, r.end])).toEqual([
        [0, 7, 20],
        [1, 23, 36],
      ]);
      expect(await actionCount(message.commentId)).toBe(crash.actions);
    });
  }

  it('lets concurrent duplicates produce one decision, one set of rows and one action', async () => {
    const message = commentMessage({ text: TEXT });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        processComment(message, ports(), { deliveryId: `d${i}` }),
      ),
    );
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'decided')).toHaveLength(1);
    expect(outcomes.every((o) => ['decided', 'in_progress', 'duplicate'].includes(o))).toBe(true);
    expect((await ledger.list(message.commentId, T0)).length).toBe(2);
    expect(await actionCount(message.commentId)).toBe(1);
  });

  it('leaves a fresh claim to its holder and takes over a stale one', async () => {
    const message = commentMessage({ text: TEXT });
    const crash = { step: 'putAll' as const, after: false };
    await expect(processComment(message, ports({ crash }), { deliveryId: 'a' })).rejects.toThrow(
      Crash,
    );
    const soon = await processComment(message, ports({ claimTtlMs: 60_000 }), { deliveryId: 'b' });
    expect(soon.outcome).toBe('in_progress');
    expect(await actionCount(message.commentId)).toBe(0);

    const later = new Date(T0.getTime() + 31_000);
    const takeover = await processComment(message, ports({ now: later }), { deliveryId: 'b' });
    expect(takeover.outcome).toBe('resumed');
    expect((await decisions.get(message.commentId, later))?.stage).toBe('complete');
    expect(await actionCount(message.commentId)).toBe(1);
  });

  it('lets duplicates that race for a stale claim end quietly: one finishes, the other defers to it', async () => {
    // Prepare: a decision left unfinished by a delivery that died holding its claim.
    const message = commentMessage({ text: '[hide] 090-1234-5678' });
    await expect(
      processComment(message, ports({ crash: { step: 'putAll', after: false } }), {
        deliveryId: 'dead',
      }),
    ).rejects.toThrow(Crash);
    const later = new Date(T0.getTime() + 60_000);
    // Act: two redriven copies, both seeing the stale claim, claim at the same moment.
    const results = await Promise.all(
      ['a', 'b'].map((deliveryId) =>
        processComment(message, ports({ now: later }), { deliveryId }),
      ),
    );
    // Assess: no error for either (an error would send a healthy copy toward the DLQ).
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'resumed')).toHaveLength(1);
    expect(outcomes.every((o) => ['resumed', 'in_progress', 'duplicate'].includes(o))).toBe(true);
    expect(await ledger.list(message.commentId, later)).toHaveLength(1);
    expect(await actionCount(message.commentId)).toBe(1);
  });

  it('writes nothing more for a delivery of an already complete comment', async () => {
    const message = commentMessage({ text: '[review] どうでしょう?' });
    const first = await processComment(message, ports(), { deliveryId: 'x' });
    expect(first.outcome).toBe('decided');
    expect(first.decision).toMatchObject({ stage: 'complete', reviewState: 'pending' });
    const before = await decisions.get(message.commentId, T0);
    const later = new Date(T0.getTime() + 60_000);
    // The duplicate's conditional create loses; it must neither overwrite nor finish anything.
    const second = await processComment(
      message,
      ports({ now: later, crash: { step: 'markComplete', after: false } }),
    );
    expect(second.outcome).toBe('duplicate');
    expect(await decisions.get(message.commentId, later)).toEqual(before);
  });

  it('treats an expired decision and expired ledger rows as absent and decides afresh', async () => {
    const message = commentMessage({ text: '[hide] 090-1234-5678' });
    const past = new Date(T0.getTime() - 100 * 86_400_000);
    await processComment(message, ports({ now: past }), { deliveryId: 'old' });
    expect(await decisions.get(message.commentId, past)).toBeDefined();
    expect(await decisions.get(message.commentId, T0)).toBeUndefined();
    expect(await ledger.list(message.commentId, T0)).toEqual([]);

    const fresh = await processComment(message, ports(), { deliveryId: 'new' });
    expect(fresh.outcome).toBe('decided');
    expect((await decisions.get(message.commentId, T0))?.decidedAt).toBe(T0.toISOString());
    expect(await ledger.list(message.commentId, T0)).toHaveLength(1);
    expect(await actionCount(message.commentId)).toBe(2);
  });

  it('records a comment without text as pending a fetch, and classifies it once text arrives', async () => {
    const mention = commentMessage({ field: 'mentions', text: undefined });
    const pending = await processComment(mention, ports(), { deliveryId: 'm1' });
    expect(pending.decision).toMatchObject({
      pendingFetch: true,
      action: 'allow',
      stage: 'complete',
    });
    expect((await processComment(mention, ports(), { deliveryId: 'm2' })).outcome).toBe(
      'duplicate',
    );

    const fetched = { ...mention, text: '[delete] 070-2222-3333' };
    const classified = await processComment(fetched, ports(), { deliveryId: 'f1' });
    expect(classified.outcome).toBe('superseded');
    const stored = await decisions.get(mention.commentId, T0);
    expect(stored).toMatchObject({ action: 'delete', actionStatus: 'pending', stage: 'complete' });
    expect(stored).not.toHaveProperty('pendingFetch');
    expect(await ledger.list(mention.commentId, T0)).toHaveLength(1);
    expect(await actionCount(mention.commentId)).toBe(1);
  });

  it('leaves alone a decision written without the stage marker', async () => {
    const message = commentMessage({ text: TEXT });
    await clients.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: {
          commentId: message.commentId,
          action: 'hide',
          actionStatus: 'pending',
          piiSpans: [{ type: 'phone', start: 7, end: 20 }],
          expiresAt: Math.floor(T0.getTime() / 1000) + 3600,
        },
      }),
    );
    const result = await processComment(message, ports(), { deliveryId: 'z' });
    expect(result.outcome).toBe('duplicate');
    expect(await ledger.list(message.commentId, T0)).toEqual([]);
    expect(await actionCount(message.commentId)).toBe(0);
  });

  it('never overwrites a decision the act stage has moved on', async () => {
    const message = commentMessage({ text: '[hide] x' });
    await processComment(message, ports(), { deliveryId: 'h1' });
    await clients.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { ...(await decisions.get(message.commentId, T0)), actionStatus: 'done' },
      }),
    );
    await processComment(message, ports(), { deliveryId: 'h2' });
    expect((await decisions.get(message.commentId, T0))?.actionStatus).toBe('done');
    expect(await actionCount(message.commentId)).toBe(1);
  });
  describe('off-hours interim hide', () => {
    const REVIEW_TEXT = '[review] 090-1234-5678 どうでしょう';
    const AT = INSTANTS.saturday;

    const interimCrashes: { step: Step; after: boolean; actions: number; retry: string }[] = [
      { step: 'create', after: false, actions: 1, retry: 'decided' },
      { step: 'create', after: true, actions: 1, retry: 'resumed' },
      { step: 'putAll', after: true, actions: 1, retry: 'resumed' },
      { step: 'append', after: false, actions: 1, retry: 'resumed' },
      { step: 'append', after: true, actions: 1, retry: 'resumed' },
      { step: 'enqueue', after: false, actions: 1, retry: 'resumed' },
      { step: 'enqueue', after: true, actions: 2, retry: 'resumed' },
      { step: 'markComplete', after: true, actions: 1, retry: 'duplicate' },
    ];

    for (const crash of interimCrashes) {
      it(`repairs a crash ${crash.after ? 'after' : 'before'} ${crash.step}: one audit event, the hide queued`, async () => {
        const message = commentMessage({ text: REVIEW_TEXT });
        await expect(
          processComment(message, ports({ crash, now: AT }), { deliveryId: 'i-a' }),
        ).rejects.toThrow(Crash);
        // Once a decision is stored, its retry may come on Monday morning with the office open:
        // the decision made on Saturday stands. With nothing stored, the retry decides, still on
        // Saturday.
        const decisionStored = crash.step !== 'create' || crash.after;
        const monday = decisionStored ? new Date(AT.getTime() + 2 * 86_400_000) : AT;
        const retry = await processComment(message, ports({ now: monday }), { deliveryId: 'i-a' });
        expect(retry.outcome).toBe(crash.retry);
        const again = await processComment(message, ports({ now: monday }), { deliveryId: 'i-b' });
        expect(again.outcome).toBe('duplicate');

        const stored = await decisions.get(message.commentId, monday);
        expect(stored).toMatchObject({
          action: 'review',
          reviewState: 'pending',
          interimAction: 'hide',
          actionStatus: 'pending',
          decidedAt: AT.toISOString(),
          stage: 'complete',
          actionEnqueued: true,
        });
        const events = await audit.list(message.commentId, monday);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          type: 'system.interim_hide',
          at: AT.toISOString(),
          what: { rule: OFF_HOURS_RULE_ID },
        });
        expect(await ledger.list(message.commentId, monday)).toHaveLength(1);
        expect(await actionCount(message.commentId)).toBe(crash.actions);
      });
    }

    it('lets concurrent duplicates produce one audit event and one hide message', async () => {
      const message = commentMessage({ text: REVIEW_TEXT });
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          processComment(message, ports({ now: AT }), { deliveryId: `c${i}` }),
        ),
      );
      expect(await audit.list(message.commentId, AT)).toHaveLength(1);
      expect(await actionCount(message.commentId)).toBe(1);
      expect((await decisions.get(message.commentId, AT))?.stage).toBe('complete');
    });

    it('keeps a review decision made during office hours visible, with no audit event', async () => {
      const message = commentMessage({ text: REVIEW_TEXT });
      const at = INSTANTS.tuesdayMorning;
      const result = await processComment(message, ports({ now: at }), { deliveryId: 'o1' });
      expect(result.actionEnqueued).toBe(false);
      const stored = await decisions.get(message.commentId, at);
      expect(stored).toMatchObject({ action: 'review', actionStatus: 'none', stage: 'complete' });
      expect(stored).not.toHaveProperty('interimAction');
      expect(await audit.list(message.commentId, at)).toEqual([]);
      expect(await actionCount(message.commentId)).toBe(0);
    });
  });
});
