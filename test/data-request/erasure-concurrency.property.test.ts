import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionQueue } from '../../lambdas/adapters/action-queue';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import { createPiiLedger } from '../../lambdas/adapters/pii-ledger';
import { authorRefFor } from '../../lambdas/core/classify-stage/plan';
import type { CommentMessage } from '../../lambdas/core/contracts/comment-message';
import { usernameRefFor } from '../../lambdas/core/username';
import { type ClassifyHandler, createClassifyHandler } from '../../lambdas/handlers/classify';
import { clientConfig } from '../../local/embedded';
import { TEST_KEY, VISIBLE_OFF_HOURS } from '../classify-stage/support/fixtures';
import { commentsQueue } from '../classify-stage/support/harness';
import { drainQueue } from '../classify-stage/support/poller';
import {
  callApi,
  type DataRequestStage,
  type Item,
  resetStage,
  type Snapshot,
  snapshot,
  startDataRequestStage,
} from './support';

/**
 * An erasure racing the classification of a new comment by the same person. Whatever the
 * interleaving (analysis and ledger rows are delayed to widen the windows: message in flight,
 * decision written but unfinished): the erasure answers 200, 404 (nothing held yet) or, when the
 * comment stayed in the middle of classification throughout, 409; it never leaves half a comment (ledger rows or audit events
 * without their decision, or a decision without its rows); it never touches another person's
 * items; and once the classification is over, one more erasure leaves nothing about the person in
 * any table or queue.
 */

const TEXTS = [
  'いつも素敵な写真をありがとう',
  '連絡先は090-1212-3434です',
  '死ね',
  'メールはme.too@example.jpへどうぞ',
];

const scenarioArb = fc.record({
  priorA: fc.array(fc.nat({ max: TEXTS.length - 1 }), { minLength: 0, maxLength: 3 }),
  priorB: fc.array(fc.nat({ max: TEXTS.length - 1 }), { minLength: 1, maxLength: 2 }),
  newText: fc.integer({ min: 1, max: TEXTS.length - 1 }),
  analyzeDelayMs: fc.integer({ min: 0, max: 300 }),
  ledgerDelayMs: fc.integer({ min: 0, max: 400 }),
  eraseDelayMs: fc.integer({ min: 0, max: 150 }),
  pollerDelayMs: fc.integer({ min: 0, max: 150 }),
  byUsername: fc.boolean(),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let run = 0;

const figures = {
  runs: 0,
  firstErase: {} as Record<string, number>,
  secondErase: {} as Record<string, number>,
  /** The first erasure found the new comment decided (it raced the classification). */
  newCommentErasedFirstTime: 0,
  /** The first erasure found the new comment mid-classification and waited for it. */
  busyWaits: 0,
  /** The first erasure removed the new comment's message before anyone classified it. */
  newMessageErasedFromQueue: 0,
  /** The new comment was decided after the first erasure was over; the second one erased it. */
  newCommentAfterFirstErasure: 0,
};

describe('data-subject erasure racing classification (property)', () => {
  let stage: DataRequestStage;
  let plain: ClassifyHandler;
  let slow: ClassifyHandler;
  let analyzeDelayMs = 0;
  let ledgerDelayMs = 0;

  beforeAll(async () => {
    stage = await startDataRequestStage('dsrc', {
      wait: async (ms) => {
        figures.busyWaits += 1;
        await sleep(ms);
      },
    });
    const { embedded } = stage;
    const build = (delayed: boolean): ClassifyHandler => {
      const dynamo = new DynamoDBClient(clientConfig(embedded.dynamoEndpoint));
      const sqs = new SQSClient(clientConfig(embedded.sqsEndpoint));
      const doc = DynamoDBDocumentClient.from(dynamo, {
        marshallOptions: { removeUndefinedValues: true },
      });
      const ledger = createPiiLedger(dynamo, embedded.tableNames.piiLedger);
      return createClassifyHandler({
        decisions: createDecisionStore(dynamo, embedded.tableNames.decisions),
        ledger: delayed
          ? {
              async putAll(rows, now) {
                await sleep(ledgerDelayMs);
                await ledger.putAll(rows, now);
              },
            }
          : ledger,
        actions: createActionQueue(sqs, embedded.queues.actions.url),
        audit: createAuditStore(doc, embedded.tableNames.audit),
        analyze: delayed
          ? async (text) => {
              await sleep(analyzeDelayMs);
              return stage.analyze(text);
            }
          : stage.analyze,
        policy: stage.policy,
        offHours: VISIBLE_OFF_HOURS,
        pseudonymKey: TEST_KEY,
      });
    };
    plain = build(false);
    slow = build(true);
  });

  afterAll(async () => {
    await stage?.stop();
    process.stdout.write(`data-request concurrency figures: ${JSON.stringify(figures)}\n`);
  });

  const send = async (messages: readonly CommentMessage[]) => {
    if (messages.length === 0) return;
    await stage.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stage.embedded.queues.comments.url,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })),
      }),
    );
  };

  const drain = (handler: ClassifyHandler) =>
    drainQueue({
      ...commentsQueue(stage.embedded, stage.clients),
      handler,
      failedVisibilitySeconds: 0,
    });

  const itemsOf = (snap: Snapshot, keep: (item: Item) => boolean) =>
    Object.entries(snap.tables)
      .flatMap(([table, items]) => items.filter(keep).map((i) => `${table} ${JSON.stringify(i)}`))
      .sort();
  const messagesOf = (snap: Snapshot, ids: ReadonlySet<string>) =>
    snap.queues
      .filter((m) => ids.has(String((JSON.parse(m.body) as Item).commentId)))
      .map((m) => m.body)
      .sort();

  it('leaves no half-erased comment, never touches others, and a repeat finishes the job', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await resetStage(stage);
        run += 1;
        figures.runs += 1;
        const tag = `${String(process.pid % 1000).padStart(3, '0')}${String(run).padStart(4, '0')}`;
        const a = { id: `1784141${tag}1`, username: `person.a${tag}` };
        const b = { id: `1784141${tag}2`, username: `person.b${tag}` };
        let n = 0;
        const comment = (who: typeof a, text: number): CommentMessage => {
          n += 1;
          return {
            accountId: '17841400000000001',
            field: 'comments',
            commentId: `1791${tag}${String(n).padStart(3, '0')}`,
            mediaId: '17950000000000001',
            text: TEXTS[text] as string,
            from: { id: who.id, username: who.username },
            receivedAt: '2026-11-26T01:00:00.000Z',
            deliveryTime: '2026-11-26T00:59:59.000Z',
          };
        };
        const priorA = scenario.priorA.map((t) => comment(a, t));
        const priorB = scenario.priorB.map((t) => comment(b, t));
        const fresh = comment(a, scenario.newText);
        await send([...priorA, ...priorB]);
        await drain(plain);

        const idsA = new Set([...priorA, fresh].map((m) => m.commentId));
        const idsB = new Set(priorB.map((m) => m.commentId));
        const refsA = new Set([
          authorRefFor(TEST_KEY, a.id),
          usernameRefFor(TEST_KEY, a.username) ?? '',
        ]);
        const aboutA = (i: Item) =>
          idsA.has(String(i.commentId)) ||
          refsA.has(String(i.authorRef)) ||
          refsA.has(String(i.usernameRef));
        const aboutB = (i: Item) => idsB.has(String(i.commentId));
        const before = await snapshot(stage);
        const subject: Record<string, string> = scenario.byUsername
          ? { username: a.username }
          : { authorId: a.id };

        // The race: the new comment is classified (its ledger rows late) while the erasure runs.
        analyzeDelayMs = scenario.analyzeDelayMs;
        ledgerDelayMs = scenario.ledgerDelayMs;
        await send([fresh]);
        const [first] = await Promise.all([
          sleep(scenario.eraseDelayMs).then(() => callApi(stage.api, 'erase', subject)),
          sleep(scenario.pollerDelayMs).then(() => drain(slow)),
        ]);
        figures.firstErase[first.status] = (figures.firstErase[first.status] ?? 0) + 1;
        // 404: nothing held yet (no earlier comment, the new one in flight at a consumer).
        expect([200, 404, 409]).toContain(first.status);

        // Never half a comment: a decision with all its rows, or nothing of that comment at all.
        const middle = await snapshot(stage);
        for (const id of idsA) {
          const decision = middle.tables.decisions.find((d) => d.commentId === id);
          const rows = middle.tables.piiLedger.filter((r) => r.commentId === id);
          const events = middle.tables.audit.filter((e) => e.commentId === id);
          if (decision) {
            expect(decision.stage).toBe('complete');
            expect(rows.length).toBe((decision.piiSpans as unknown[]).length);
          } else {
            expect(rows).toEqual([]);
            expect(events).toEqual([]);
          }
        }
        const erased = (first.body.erased ?? {}) as Record<string, number>;
        if (erased.decisions === priorA.length + 1) figures.newCommentErasedFirstTime += 1;
        if (
          erased.decisions === priorA.length &&
          !middle.tables.decisions.some((d) => d.commentId === fresh.commentId)
        ) {
          figures.newMessageErasedFromQueue += 1;
        }
        expect(itemsOf(middle, aboutB)).toEqual(itemsOf(before, aboutB));

        const second = await callApi(stage.api, 'erase', subject);
        figures.secondErase[second.status] = (figures.secondErase[second.status] ?? 0) + 1;
        expect([200, 404]).toContain(second.status);
        if (middle.tables.decisions.some((d) => d.commentId === fresh.commentId)) {
          figures.newCommentAfterFirstErasure += 1;
        }
        const after = await snapshot(stage);
        expect(itemsOf(after, aboutA)).toEqual([]);
        expect(messagesOf(after, idsA)).toEqual([]);
        expect(itemsOf(after, aboutB)).toEqual(itemsOf(before, aboutB));
        expect(messagesOf(after, idsB)).toEqual(messagesOf(before, idsB));
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });
});
