import { Logger } from '@aws-lambda-powertools/logger';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingOpsMetrics } from '../../lambdas/adapters/ops-metrics';
import { createRequeueStore } from '../../lambdas/adapters/requeue-store';
import { planRequeue, type RequeueCandidate } from '../../lambdas/core/ops/requeue';
import { createRequeueHandler, sqsActionSender } from '../../lambdas/handlers/requeue';
import {
  commentId,
  event,
  type Harness,
  message,
  record,
  START,
  startHarness,
  TOKEN,
} from '../act/harness';
import { isModerationRequest } from '../support/fake-graph-api';

const SILENT = new Logger({ logLevel: 'SILENT' });
const HOUR = 3600_000;
type State = 'failed' | 'stuck' | 'recent' | 'leased' | 'done' | 'dry_run';

/**
 * Requeue against the embedded servers and the fake Graph API, with the act stage as deployed:
 * actions that failed for a token error, and actions whose message was lost, are sent again after
 * the fix, and every one of them reaches Meta exactly once, however many requeues run at once.
 */
describe('requeue: failed and stuck actions are replayed exactly once', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
    await drainActions(false);
  });

  const requeue = () => {
    const metrics = recordingOpsMetrics();
    const handler = createRequeueHandler({
      ports: {
        store: createRequeueStore(h.embedded.dynamo, h.embedded.tableNames.decisions),
        send: sqsActionSender(h.embedded.sqs, h.embedded.queues.actions.url),
        now: () => new Date(h.now),
      },
      metrics,
      logger: SILENT,
    });
    return { handler, metrics };
  };

  const receive = async (): Promise<Message[]> => {
    const out = await h.embedded.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: h.embedded.queues.actions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    return out.Messages ?? [];
  };

  /** The act stage on every message on the actions queue, until it is empty. */
  async function drainActions(process = true): Promise<number> {
    let processed = 0;
    for (;;) {
      const messages = await receive();
      if (messages.length === 0) return processed;
      if (process) {
        // One record per invocation: a duplicate then meets the settled status, never a lease.
        for (const m of messages) {
          const single = { ...record(m.Body ?? ''), messageId: m.MessageId ?? '' };
          const response = await h.handler()(event(single));
          expect(response.batchItemFailures).toEqual([]);
          processed += 1;
        }
      }
      await h.embedded.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: h.embedded.queues.actions.url,
          Entries: messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  }

  /** A decision in the given state, as the pipeline would have left it. */
  const seedState = async (state: State, action: 'hide' | 'delete'): Promise<string> => {
    const id = commentId();
    const base = {
      field: 'comments',
      expiresAt: Math.floor(START / 1000) + 90 * 86_400,
    };
    if (state === 'failed') {
      // Decided an hour ago, then refused by Meta: the token had been revoked (190).
      await h.seed(id, action, { ...base, decidedAt: new Date(START - HOUR).toISOString() });
      h.graph.setToken('rotated-elsewhere');
      const response = await h.handler()(
        event(record(message(id, action, { decidedAt: new Date(START - HOUR).toISOString() }))),
      );
      expect(response.batchItemFailures).toEqual([]);
      h.graph.setToken(TOKEN);
      expect((await h.item(id))?.actionStatus).toBe('failed');
      return id;
    }
    const decidedAt = new Date(START - (state === 'recent' ? 60_000 : 3 * HOUR)).toISOString();
    const status = state === 'done' || state === 'dry_run' ? state : 'pending';
    await h.seed(id, action, {
      ...base,
      decidedAt,
      actionStatus: status,
      ...(state === 'leased' ? { actionLeaseUntil: START + 30_000 } : {}),
    });
    return id;
  };

  it('re-sends each failed or stuck action once; Meta sees exactly one call each (fast-check)', async () => {
    const specArb = fc.record({
      state: fc.constantFrom<State>('failed', 'stuck', 'recent', 'leased', 'done', 'dry_run'),
      action: fc.constantFrom<'hide' | 'delete'>('hide', 'delete'),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(specArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (specs, concurrentRuns) => {
          runs++;
          await h.reset();
          const seeded = [];
          for (const spec of specs)
            seeded.push({ ...spec, id: await seedState(spec.state, spec.action) });
          const before = h.graph.requests.length;

          const reports = await Promise.all(
            Array.from({ length: concurrentRuns }, () => requeue().handler({})),
          );
          // The lost messages turn up after all: stale copies of every original request.
          const sender = sqsActionSender(h.embedded.sqs, h.embedded.queues.actions.url);
          for (const s of seeded.filter((x) => x.state === 'stuck' || x.state === 'failed')) {
            const decidedAt = String((await h.item(s.id))?.decidedAt);
            await sender(message(s.id, s.action, { decidedAt }));
          }
          await drainActions();

          const replayable = seeded.filter((s) => s.state === 'failed' || s.state === 'stuck');
          const sent = reports.flatMap((r) => r.requeued.map((q) => q.commentId)).sort();
          expect(sent).toEqual(replayable.map((s) => s.id).sort());
          const calls = h.graph.requests.slice(before).filter(isModerationRequest);
          for (const s of seeded) {
            const mine = calls.filter((r) => r.path.endsWith(`/${s.id}`));
            const item = await h.item(s.id);
            if (s.state === 'failed' || s.state === 'stuck') {
              expect(mine, `${s.state} ${s.id}`).toHaveLength(1);
              expect(mine[0]?.method).toBe(s.action === 'delete' ? 'DELETE' : 'POST');
              expect(item?.actionStatus).toBe('done');
              expect(item?.actionRequeues).toBe(1);
            } else {
              expect(mine, `${s.state} ${s.id}`).toHaveLength(0);
              expect(item?.actionRequeues).toBeUndefined();
            }
          }
          // And a second requeue has nothing left to do.
          expect((await requeue().handler({})).requeued).toEqual([]);
        },
      ),
      { numRuns: 8 },
    );
    expect(runs).toBe(8);
  });

  it('lists without changing anything in a dry run, and targets single comments', async () => {
    const failed = await seedState('failed', 'hide');
    const stuck = await seedState('stuck', 'delete');
    const dry = await requeue().handler({ dryRun: true });
    expect(dry.requeued.map((r) => r.commentId).sort()).toEqual([failed, stuck].sort());
    expect((await h.item(failed))?.actionStatus).toBe('failed');
    expect(await receive()).toEqual([]);

    const { handler, metrics } = requeue();
    const targeted = await handler({ commentIds: [stuck, '1790000000'], status: 'pending' });
    expect(targeted.requeued).toEqual([{ commentId: stuck, action: 'delete', from: 'pending' }]);
    expect(targeted.skipped).toEqual({ missing: 1 });
    expect(metrics.values.get('ActionsRequeued')).toEqual([1]);
  });

  it('keeps the attempt count of a stuck action and starts a fresh one for a failed action', () => {
    const now = START;
    const candidate: RequeueCandidate = {
      commentId: '1790001',
      accountId: '17841400000000000',
      field: 'comments',
      action: 'review',
      interimAction: 'hide',
      policyVersion: 'rumoi-1',
      decidedAt: new Date(now - 5 * HOUR).toISOString(),
      actionStatus: 'pending',
      actionRequest: new Date(now - 4 * HOUR).toISOString(),
      actionUpdatedAt: new Date(now - 2 * HOUR).toISOString(),
    };
    const options = { statuses: ['failed', 'pending'] as const, stuckAfterMs: HOUR };
    expect(planRequeue(candidate, now, options)).toMatchObject({
      kind: 'requeue',
      message: { action: 'hide', decidedAt: candidate.actionRequest },
    });
    expect(planRequeue({ ...candidate, actionStatus: 'failed' }, now, options)).toMatchObject({
      message: { decidedAt: candidate.decidedAt },
    });
    // A staff review's request wins over the classifier's; "none" asks nothing of Instagram.
    const reviewed = {
      ...candidate,
      review: { instagram: 'unhide', reviewedAt: candidate.decidedAt },
    };
    expect(planRequeue(reviewed, now, options)).toMatchObject({ message: { action: 'unhide' } });
    expect(
      planRequeue(
        { ...candidate, review: { instagram: 'none', reviewedAt: candidate.decidedAt } },
        now,
        options,
      ),
    ).toEqual({ kind: 'skip', reason: 'no_action' });
    expect(
      planRequeue(
        { ...candidate, actionUpdatedAt: new Date(now - 60_000).toISOString() },
        now,
        options,
      ),
    ).toEqual({
      kind: 'skip',
      reason: 'recent',
    });
  });

  it('refuses a request that is not one, naming the fields only', async () => {
    await expect(requeue().handler({ status: 'everything', extra: 1 })).rejects.toMatchObject({
      name: 'InvalidRequeueRequestError',
      message: expect.stringMatching(/status: invalid_value.*: unrecognized_keys/),
    });
    await expect(requeue().handler({ commentIds: ['../x'] })).rejects.toMatchObject({
      message: 'commentIds.0: invalid_format',
    });
  });
});
