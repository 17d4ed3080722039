import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BREAKER_ID, USAGE_ID } from '../../lambdas/adapters/circuit-breaker-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import type { DecisionRecord } from '../../lambdas/core/classify-stage/records';
import type { ClassifyHandler } from '../../lambdas/handlers/classify';
import { useStage } from '../classify-stage/support/harness';
import { drainQueue, receiveAll } from '../classify-stage/support/poller';
import {
  type FakeComment,
  type FakeGraphApi,
  graphError,
  startFakeGraphApi,
} from '../support/fake-graph-api';
import { deliveryBody, signedPost } from '../support/webhook-fixtures';
import {
  ACCOUNT,
  APP_SECRET,
  classifyWithCounts,
  fakeComment,
  nextId,
  sweepFor,
  TOKEN,
  webhookFor,
} from './support';

const TAGS = ['allow', 'review', 'hide', 'delete'] as const;
type Tag = (typeof TAGS)[number];

/**
 * The sweep against the embedded servers and the fake Graph API, with the webhook and classify
 * handlers as deployed: what the webhook never delivered is found and decided once, what it
 * delivered without text is completed, and whatever the order of webhook deliveries, sweeps and
 * classify batches, each comment is classified exactly once.
 */
describe('sweep: comments the webhook missed or delivered without text', () => {
  const stage = useStage('sweep');
  let graph: FakeGraphApi;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ token: TOKEN });
    graph.setAccount(ACCOUNT);
  });
  afterAll(async () => {
    await graph.stop();
  });
  beforeEach(async () => {
    graph.reset();
    // The breaker and the usage window are shared state: each test starts from a healthy Meta.
    for (const id of [BREAKER_ID, USAGE_ID]) {
      await stage.clients.doc.send(
        new DeleteCommand({ TableName: stage.embedded.tableNames.circuitBreaker, Key: { id } }),
      );
    }
  });

  const decisions = async (ids: readonly string[]): Promise<Map<string, DecisionRecord>> => {
    const store = createDecisionStore(stage.clients.dynamo, stage.embedded.tableNames.decisions);
    const found = new Map<string, DecisionRecord>();
    for (const id of ids) {
      const d = await store.get(id, new Date());
      if (d) found.set(id, d);
    }
    return found;
  };

  const drain = (counts: { handler: ClassifyHandler }) =>
    drainQueue({
      sqs: stage.clients.sqs,
      queueUrl: stage.embedded.queues.comments.url,
      queueArn: stage.embedded.queues.comments.arn,
      handler: counts.handler,
      concurrency: 2,
      failedVisibilitySeconds: 1,
      deadlineMs: 60_000,
    });

  /** Signed webhook deliveries of these comments; `withText: false` omits the text (some edits). */
  const deliver = async (
    comments: readonly FakeComment[],
    options: { withText: boolean } = { withText: true },
  ): Promise<void> => {
    if (comments.length === 0) return;
    const body = deliveryBody({
      entries: [
        {
          accountId: ACCOUNT,
          time: Math.floor(Date.now() / 1000),
          changes: comments.map((c) => ({
            field: 'comments' as const,
            commentId: c.id,
            mediaId: c.mediaId,
            ...(c.parentId ? { parentId: c.parentId } : {}),
            ...(options.withText ? { text: c.text } : {}),
            ...(c.from ? { from: c.from } : {}),
          })),
        },
      ],
    });
    const response = await webhookFor(stage.embedded)(signedPost(body, APP_SECRET));
    expect(response.statusCode).toBe(200);
  };

  const tagOf = (text: string): Tag => (/^\[(\w+)\]/.exec(text)?.[1] ?? 'allow') as Tag;

  type State = 'missing' | 'delivered' | 'pending' | 'young' | 'old';
  const AGE: Record<State, number> = {
    missing: 20,
    delivered: 30,
    pending: 40,
    young: 1,
    old: 5 * 24 * 60,
  };

  it('finds every comment never delivered, completes those delivered without text, and leaves the rest (fast-check)', async () => {
    const counts = classifyWithCounts(stage.embedded);
    const commentArb = fc.record({
      tag: fc.constantFrom(...TAGS),
      state: fc.constantFrom<State>('missing', 'delivered', 'pending', 'young', 'old'),
    });
    const worldArb = fc.array(
      fc.array(
        fc.record({
          top: commentArb,
          replies: fc.array(commentArb, { maxLength: 2 }),
        }),
        { maxLength: 5 },
      ),
      { minLength: 1, maxLength: 3 },
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        runs++;
        graph.reset();
        const states = new Map<string, State>();
        const all: FakeComment[] = [];
        for (const mediaSpecs of world) {
          const mediaId = nextId('180');
          graph.addMedia({
            id: mediaId,
            timestamp: new Date(Date.now() - 86_400_000).toISOString(),
            mediaProductType: 'FEED',
          });
          for (const spec of mediaSpecs) {
            const top = fakeComment(mediaId, AGE[spec.top.state], `[${spec.top.tag}] 留萌の話`);
            states.set(top.id, spec.top.state);
            all.push(top);
            for (const r of spec.replies) {
              const reply = fakeComment(mediaId, AGE[r.state], `[${r.tag}] 返信です`, {
                parentId: top.id,
              });
              states.set(reply.id, r.state);
              all.push(reply);
            }
          }
        }
        graph.addComments(...all);
        const inState = (s: State) => all.filter((c) => states.get(c.id) === s);
        await deliver(inState('delivered'));
        await deliver(inState('pending'), { withText: false });
        await drain(counts);

        // Small pages: the media, comments and replies all take several cursors.
        const sweep = sweepFor(stage.embedded, graph, { config: { pageLimit: 2 } });
        const report = await sweep.handler({});
        await drain(counts);

        expect(report.stoppedBy).toBeUndefined();
        expect(report.missing).toBe(inState('missing').length);
        expect(report.pendingCompleted).toBe(inState('pending').length);
        expect(report.young).toBe(inState('young').length);
        expect(sweep.metrics.values.get('SweepMissedComments')).toEqual([report.missing]);
        const found = await decisions(all.map((c) => c.id));
        for (const c of all) {
          const state = states.get(c.id);
          const decision = found.get(c.id);
          if (state === 'young' || state === 'old') {
            expect(decision, `${state} ${c.id}`).toBeUndefined();
            continue;
          }
          expect(decision, `${state} ${c.id}`).toMatchObject({
            action: tagOf(c.text),
            stage: 'complete',
          });
          expect(decision?.pendingFetch).toBeUndefined();
          expect(decision?.parentId).toBe(c.parentId);
          expect(counts.classified.get(c.id), c.id).toBe(1);
          expect(counts.writes.get(c.id), c.id).toBe(state === 'pending' ? 2 : 1);
        }
        // A second sweep finds nothing new: idempotent.
        const again = await sweepFor(stage.embedded, graph).handler({});
        expect(again.missing + again.pendingCompleted).toBe(0);
        expect(
          await receiveAll(stage.clients.sqs, stage.embedded.queues.comments.deadLetterUrl),
        ).toEqual([]);
      }),
      { numRuns: 8 },
    );
    expect(runs).toBe(8);
  });

  it('classifies each comment exactly once whatever the interleaving of webhook deliveries, sweeps and classify batches (fast-check)', async () => {
    const counts = classifyWithCounts(stage.embedded);
    const stepArb = fc.oneof(
      fc.record({
        kind: fc.constant('webhook' as const),
        pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        withText: fc.boolean(),
        delayMs: fc.integer({ min: 0, max: 30 }),
      }),
      fc.record({ kind: fc.constant('sweep' as const), delayMs: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('drain' as const), delayMs: fc.integer({ min: 0, max: 30 }) }),
    );
    const planArb = fc.record({
      tags: fc.array(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 5 }),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(planArb, async ({ tags, steps }) => {
        runs++;
        graph.reset();
        const mediaId = nextId('180');
        graph.addMedia({ id: mediaId, timestamp: new Date(Date.now() - 3600_000).toISOString() });
        const comments = tags.map((tag) => fakeComment(mediaId, 10, `[${tag}] 同時に届く`));
        graph.addComments(...comments);
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        // Every step starts after its own delay and runs concurrently with the others.
        await Promise.all(
          steps.map(async (step) => {
            await sleep(step.delayMs);
            if (step.kind === 'webhook') {
              const picked = [
                ...new Set(step.pick.map((i) => comments[i % comments.length] as FakeComment)),
              ];
              await deliver(picked, { withText: step.withText });
            } else if (step.kind === 'sweep') {
              await sweepFor(stage.embedded, graph).handler({});
            } else {
              await drain(counts);
            }
          }),
        );
        // Then the next scheduled sweep and the queue drained: the steady state.
        await sweepFor(stage.embedded, graph).handler({});
        await drain(counts);
        const found = await decisions(comments.map((c) => c.id));
        const actions = new Map<string, number>();
        for (const m of await receiveAll(stage.clients.sqs, stage.embedded.queues.actions.url)) {
          const id = String(JSON.parse(m.Body ?? '{}').commentId);
          actions.set(id, (actions.get(id) ?? 0) + 1);
        }
        for (const c of comments) {
          const tag = tagOf(c.text);
          expect(found.get(c.id), c.id).toMatchObject({ action: tag, stage: 'complete' });
          expect(found.get(c.id)?.pendingFetch).toBeUndefined();
          expect(counts.classified.get(c.id), c.id).toBe(1);
          expect(actions.get(c.id) ?? 0, c.id).toBe(tag === 'hide' || tag === 'delete' ? 1 : 0);
        }
        expect(
          await receiveAll(stage.clients.sqs, stage.embedded.queues.comments.deadLetterUrl),
        ).toEqual([]);
      }),
      { numRuns: 10 },
    );
    expect(runs).toBe(10);
  });

  it('pages through replies beyond the first page the listing expands', async () => {
    const counts = classifyWithCounts(stage.embedded);
    const mediaId = nextId('180');
    graph.addMedia({ id: mediaId, timestamp: new Date().toISOString() });
    const top = fakeComment(mediaId, 30, '[allow] 親コメント');
    // The listing expands the first 25 replies; the rest take the replies edge and its cursors.
    const replies = Array.from({ length: 31 }, (_, i) =>
      fakeComment(mediaId, 20, `[allow] 返信${i}`, { parentId: top.id }),
    );
    graph.addComments(top, ...replies);
    const report = await sweepFor(stage.embedded, graph).handler({});
    await drain(counts);
    expect(report.missing).toBe(32);
    expect(graph.requests.some((r) => r.path.endsWith(`/${top.id}/replies`))).toBe(true);
    expect((await decisions([top.id, ...replies.map((r) => r.id)])).size).toBe(32);
  });

  it('completes a mention delivered without text by reading mentioned_comment (Facebook Login)', async () => {
    const counts = classifyWithCounts(stage.embedded);
    const mention = fakeComment(nextId('180'), 30, '[hide] @rumoi_city_official 090-1234-5678');
    graph.addMentions(mention);
    const body = deliveryBody({
      entries: [
        {
          accountId: ACCOUNT,
          time: Math.floor(Date.now() / 1000),
          changes: [{ field: 'mentions', commentId: mention.id, mediaId: mention.mediaId }],
        },
      ],
    });
    expect((await webhookFor(stage.embedded)(signedPost(body, APP_SECRET))).statusCode).toBe(200);
    await drain(counts);
    expect((await decisions([mention.id])).get(mention.id)).toMatchObject({
      pendingFetch: true,
      action: 'allow',
    });

    const sweep = sweepFor(stage.embedded, graph, {
      accountId: ACCOUNT,
      config: { loginType: 'facebook' },
    });
    const report = await sweep.handler({});
    await drain(counts);
    expect(report.pendingCompleted).toBe(1);
    expect(
      graph.requests.some((r) => /^mentioned_comment\.comment_id\(/.test(r.query.fields ?? '')),
    ).toBe(true);
    const completed = (await decisions([mention.id])).get(mention.id);
    expect(completed).toMatchObject({ action: 'hide', field: 'mentions', stage: 'complete' });
    expect(completed?.pendingFetch).toBeUndefined();
    // Stored redacted, never raw: the phone number is not in the decision.
    expect(JSON.stringify(completed)).not.toContain('090-1234-5678');
  });

  it('completes a pending fetch on media older than the listing window by reading the comment', async () => {
    const counts = classifyWithCounts(stage.embedded);
    const mediaId = nextId('180');
    graph.addMedia({
      id: mediaId,
      timestamp: new Date(Date.now() - 60 * 86_400_000).toISOString(),
    });
    const late = fakeComment(mediaId, 45, '[delete] 古い投稿への書き込み');
    const gone = fakeComment(mediaId, 45, '[delete] 作者が消した');
    graph.addComments(late, gone);
    await deliver([late, gone], { withText: false });
    await drain(counts);
    graph.removeComments(gone.id);
    const report = await sweepFor(stage.embedded, graph).handler({});
    await drain(counts);
    expect(report).toMatchObject({ mediaScanned: 0, pendingCompleted: 1, pendingGone: 1 });
    const found = await decisions([late.id, gone.id]);
    expect(found.get(late.id)).toMatchObject({ action: 'delete', actionStatus: 'pending' });
    // The deleted one stays as it was: nothing to classify, nothing to act on.
    expect(found.get(gone.id)).toMatchObject({ action: 'allow', pendingFetch: true });
  });

  describe('rate limits, the breaker and the token', () => {
    const world = () => {
      const mediaId = nextId('180');
      graph.addMedia({ id: mediaId, timestamp: new Date().toISOString() });
      graph.addComments(
        ...Array.from({ length: 6 }, (_, i) => fakeComment(mediaId, 30, `[allow] ${i}`)),
      );
    };

    it('stops before the budget runs out: reads end at 75% of it, whatever is left', async () => {
      world();
      graph.setCallBudget(4);
      const sweep = sweepFor(stage.embedded, graph, { config: { pageLimit: 1 } });
      const report = await sweep.handler({});
      // 25%, 50%, 75%: the fourth read would spend what the act stage needs.
      expect(report).toMatchObject({ stoppedBy: 'usage_high', calls: 3 });
      expect(graph.requests.some((r) => r.query.fields === undefined)).toBe(false);
      expect(sweep.metrics.values.get('SweepIncomplete')).toEqual([1]);
    });

    it('stops at Meta’s throttle (80002) and shares the window with the act stage', async () => {
      world();
      graph.setUsage({ callCount: 100, regainMinutes: 30 });
      graph.enqueue(graphError(80002));
      const sweep = sweepFor(stage.embedded, graph, { accountId: ACCOUNT });
      const report = await sweep.handler({});
      expect(report).toMatchObject({ stoppedBy: 'throttled', stopCode: '80002', calls: 1 });
      const usage = await sweep.shared.read(Date.now());
      expect(usage.regainAt).toBeGreaterThan(Date.now() + 25 * 60_000);
      // Nothing more is sent until the window reopens.
      const before = graph.requests.length;
      expect((await sweep.handler({})).stoppedBy).toBe('usage_high');
      expect(graph.requests.length).toBe(before);
    });

    it('stops reading at 75% usage, leaving the rest to moderation calls', async () => {
      world();
      graph.setUsage({ callCount: 80 });
      const report = await sweepFor(stage.embedded, graph, { config: { pageLimit: 1 } }).handler(
        {},
      );
      expect(report).toMatchObject({ stoppedBy: 'usage_high', calls: 1 });
    });

    it('makes no call while the shared breaker is open', async () => {
      world();
      const sweep = sweepFor(stage.embedded, graph);
      for (let i = 0; i < 5; i++) await sweep.shared.recordFailure(Date.now());
      const report = await sweep.handler({});
      expect(report).toMatchObject({ stoppedBy: 'breaker_open', calls: 0 });
      expect(graph.requests).toHaveLength(0);
    });

    it('counts transient failures toward the breaker and goes on with the next media', async () => {
      world();
      world();
      graph.scriptPath(/\/comments$/, graphError(2));
      const report = await sweepFor(stage.embedded, graph).handler({});
      expect(report.stoppedBy).toBeUndefined();
      expect(report).toMatchObject({ errors: 1, mediaScanned: 2, missing: 6 });
    });

    it('stops on a token error (190) and on the call budget', async () => {
      world();
      const refused = await sweepFor(stage.embedded, graph, { token: 'expired' }).handler({});
      expect(refused).toMatchObject({ stoppedBy: 'token', stopCode: '190/463', calls: 1 });
      const withAccount = await sweepFor(stage.embedded, graph, {
        token: 'expired',
        accountId: ACCOUNT,
      }).handler({});
      expect(withAccount).toMatchObject({ stoppedBy: 'token', stopCode: '190/463' });
      const budget = await sweepFor(stage.embedded, graph, {
        config: { maxCalls: 2, pageLimit: 1 },
      }).handler({});
      expect(budget).toMatchObject({ stoppedBy: 'budget', calls: 2 });
    });
  });

  it('refuses an on-demand payload out of bounds, naming the field only', async () => {
    const sweep = sweepFor(stage.embedded, graph);
    await expect(sweep.handler({ commentWindowHours: 100_000 })).rejects.toMatchObject({
      name: 'InvalidSweepRequestError',
      message: expect.stringMatching(/^commentWindowHours: too_big$/),
    });
    // A scheduled event's own fields are not options.
    await expect(
      sweep.handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
    ).resolves.toMatchObject({ calls: expect.any(Number) });
  });
});
