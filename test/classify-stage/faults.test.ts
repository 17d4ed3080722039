import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import { createFaultLog, type FaultPlan, seededRandom } from './support/faults';
import { commentMessage, fakeAnalyze } from './support/fixtures';
import {
  buildHandler,
  commentsQueue,
  deliverComments,
  observe,
  sendBodies,
  shuffle,
  useStage,
} from './support/harness';
import { drainQueue, receiveAll } from './support/poller';

const policy = { version: 'test-1', retentionDays: 90 };
const VERBS = ['allow', 'review', 'hide', 'delete'] as const;
const COMMENTS = 16;

interface RunFigures {
  rate: number;
  deliveries: number;
  faults: number;
  deleted: number;
  dead: number;
  complete: number;
  duplicateActions: number;
}

describe('classify handler under injected DynamoDB and SQS faults', () => {
  const stage = useStage('faults');
  const figures: RunFigures[] = [];
  afterAll(() => {
    // Figures for the report: what the faults cost, not pass/fail criteria.
    console.info(JSON.stringify({ faultRuns: figures }));
  });

  /** Sends bodies back to the comments queue and drains it with a fault-free handler. */
  const redrive = async (bodies: readonly string[]) => {
    const { embedded, clients } = stage;
    if (bodies.length > 0) {
      await sendBodies(clients.sqs, embedded.queues.comments.url, bodies);
      // Claims outlive a dead claimant by at most the claim TTL.
      await new Promise((r) => setTimeout(r, 1_100));
    }
    const healthy = buildHandler(embedded, {
      analyze: fakeAnalyze(policy.version),
      policy,
      claimTtlMs: 1_000,
    });
    const stats = await drainQueue({
      ...commentsQueue(embedded, clients),
      // Failed records come straight back: the retry delay plays no part in these properties.
      failedVisibilitySeconds: 0,
      handler: healthy,
    });
    expect(stats.failed).toBe(0);
  };

  // The ends and the middle of the 10–30 % range every time; where the faults fall is random.
  for (const rate of [0.1, 0.2, 0.3]) {
    it(`at ${rate * 100} % failed calls: after draining, every delivery is handled or dead-lettered; nothing lost, nothing doubled`, async () => {
      const { embedded, clients } = stage;
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (seed) => {
          const random = seededRandom(seed);
          const log = createFaultLog();
          const plan: FaultPlan = { rate, random, log };
          const handler = buildHandler(embedded, {
            analyze: fakeAnalyze(policy.version),
            policy,
            faults: plan,
          });
          const comments = Array.from({ length: COMMENTS }, (_, i) => {
            const verb = VERBS[i % VERBS.length] ?? 'allow';
            const phones = Array.from({ length: i % 3 }, (_, k) => `090-${1000 + i}-${2000 + k}`);
            return {
              verb,
              phones,
              copies: 1 + (i % 3),
              message: commentMessage({ text: `[${verb}] ${phones.join(' ')}` }),
            };
          });
          const bodies = shuffle(
            comments.flatMap((c) => Array(c.copies).fill(encodeCommentMessage(c.message))),
            random,
          );
          const { sent, stats } = await deliverComments(embedded, clients, bodies, {
            failedVisibilitySeconds: 0,
            handler,
            concurrency: 2,
          });
          plan.rate = 0;

          const dead = await receiveAll(clients.sqs, embedded.queues.comments.deadLetterUrl);
          const deadIds = new Set(dead.map((m) => m.MessageId));
          // Message level: decided (deleted after success) + DLQ = enqueued, with no overlap.
          expect(stats.deleted + dead.length).toBe(sent.length);
          expect(sent.every((id) => deadIds.has(id) || stats.receives.has(id))).toBe(true);
          const deadComments = new Set(
            dead.map((m) => String(JSON.parse(m.Body ?? '{}').commentId)),
          );

          const seen = await observe(
            embedded,
            comments.map((c) => c.message.commentId),
            clients,
          );
          let complete = 0;
          let duplicateActions = 0;
          for (const c of comments) {
            const id = c.message.commentId;
            const decision = seen.decisions.get(id);
            const rows = seen.ledgerRows.get(id) ?? [];
            const actions = seen.actions.get(id) ?? 0;
            const enforcing = c.verb === 'hide' || c.verb === 'delete';
            // Nothing lost: complete, or at least one copy waits in the DLQ for a redrive.
            if (decision?.stage !== 'complete') {
              expect(deadComments.has(id)).toBe(true);
            } else {
              complete += 1;
              expect(decision.action).toBe(c.verb);
              expect(rows.map((r) => r.index)).toEqual([...c.phones.keys()]);
              expect(decision.actionEnqueued === true).toBe(enforcing);
              if (enforcing) expect(actions).toBeGreaterThanOrEqual(1);
            }
            // Nothing doubled: rows never exceed the spans, actions only for hide/delete.
            expect(rows.length).toBeLessThanOrEqual(c.phones.length);
            if (!enforcing) expect(actions).toBe(0);
            duplicateActions += Math.max(0, actions - 1);
          }
          // A repeated action message needs a lost answer: the send succeeded unseen (one lost
          // batch answer repeats up to its 10 entries), or the `complete` mark (an UpdateItem) did
          // not land. The act stage dedups those on commentId.
          const bound =
            10 * log.of('SendMessageBatchCommand', 'after') + log.of('UpdateItemCommand');
          expect(duplicateActions).toBeLessThanOrEqual(bound);
          expect(log.total()).toBeGreaterThan(0);

          // The operator's redrive: DLQ messages go back to the source queue and, with the faults
          // gone, every comment they carry is finished without doubling anything already done.
          await redrive(dead.map((m) => m.Body ?? ''));
          const after = await observe(
            embedded,
            comments.map((c) => c.message.commentId),
            clients,
          );
          for (const c of comments) {
            const id = c.message.commentId;
            const enforcing = c.verb === 'hide' || c.verb === 'delete';
            expect(after.decisions.get(id)).toMatchObject({ stage: 'complete', action: c.verb });
            expect(after.ledgerRows.get(id)?.map((r) => r.index)).toEqual([...c.phones.keys()]);
            const actions = (seen.actions.get(id) ?? 0) + (after.actions.get(id) ?? 0);
            if (enforcing) expect(actions).toBeGreaterThanOrEqual(1);
            else expect(actions).toBe(0);
          }
          figures.push({
            rate: Number(rate.toFixed(3)),
            deliveries: sent.length,
            faults: log.total(),
            deleted: stats.deleted,
            dead: dead.length,
            complete,
            duplicateActions,
          });
        }),
        // Shrinking would replay whole drains: report the failing seed instead.
        { numRuns: 1, endOnFailure: true },
      );
    });
  }
});
