import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommentMessage } from '../../lambdas/core/contracts/comment-message';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import { seededRandom } from './support/faults';
import { commentMessage, fakeAnalyze } from './support/fixtures';
import { buildHandler, deliverComments, observe, shuffle, useStage } from './support/harness';
import { receiveAll } from './support/poller';

const policy = { version: 'test-1', retentionDays: 90 };
const ACTIONS = ['allow', 'review', 'hide', 'delete'] as const;

const phone = fc
  .tuple(fc.constantFrom('090', '080', '070'), fc.integer({ min: 0, max: 9999 }))
  .map(([a, b]) => `${a}-${String(b).padStart(4, '0')}-5678`);

const commentSpec = fc.record({
  verb: fc.constantFrom(...ACTIONS),
  phones: fc.array(phone, { maxLength: 3 }),
  // Mentions carry no text: they are recorded as pending a fetch.
  mention: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  copies: fc.integer({ min: 1, max: 5 }),
});

describe('classify handler: duplicate, shuffled deliveries (dynalite + fauxqs, real SDK)', () => {
  const stage = useStage('delivery');

  it('N comments delivered 1–5 times each → N decisions, one row per span, actions for hide/delete only', async () => {
    const { embedded, clients } = stage;
    const analyze = fakeAnalyze(policy.version);
    const handler = buildHandler(embedded, { analyze, policy });
    let runs = 0;
    let deliveries = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(commentSpec, { minLength: 1, maxLength: 12 }),
        fc.integer(),
        async (specs, seed) => {
          runs += 1;
          const comments = specs.map((s) => ({
            spec: s,
            message: commentMessage(
              s.mention
                ? { field: 'mentions', text: undefined }
                : { text: `[${s.verb}] ${s.phones.join(' / ')} 連絡ください` },
            ),
          }));
          const bodies = shuffle(
            comments.flatMap((c) => Array(c.spec.copies).fill(encodeCommentMessage(c.message))),
            seededRandom(seed),
          );
          deliveries += bodies.length;
          const { stats } = await deliverComments(embedded, clients, bodies, {
            handler,
            concurrency: 2,
          });
          expect(stats.failed).toBe(0);
          expect(stats.deleted).toBe(bodies.length);

          const ids = comments.map((c) => c.message.commentId);
          const seen = await observe(embedded, ids, clients);
          expect(seen.decisions.size).toBe(comments.length);
          for (const { spec, message } of comments) {
            const decision = seen.decisions.get(message.commentId);
            const expectedAction = spec.mention ? 'allow' : spec.verb;
            expect(decision).toMatchObject({ action: expectedAction, stage: 'complete' });
            expect(decision?.pendingFetch === true).toBe(spec.mention);
            const rows = seen.ledgerRows.get(message.commentId) ?? [];
            const expectedRows = spec.mention ? 0 : spec.phones.length;
            expect(rows.map((r) => r.index)).toEqual([...Array(expectedRows).keys()]);
            const enforcing = !spec.mention && (spec.verb === 'hide' || spec.verb === 'delete');
            expect(seen.actions.get(message.commentId) ?? 0).toBe(enforcing ? 1 : 0);
          }
          expect(await receiveAll(clients.sqs, embedded.queues.comments.deadLetterUrl)).toEqual([]);
        },
      ),
      { numRuns: 10 },
    );
    expect(runs).toBe(10);
    expect(deliveries).toBeGreaterThan(10);
  });

  it('classifies with the real analyze() and stores what it returns', async () => {
    const { embedded, clients } = stage;
    const { analyze } = await import('../../lambdas/core/analyze');
    const { loadTokenizer } = await import('../../lambdas/adapters/kuromoji-tokenizer');
    const { loadPolicy } = await import('../../lambdas/adapters/policy');
    const fullPolicy = loadPolicy('rumoi');
    const tokenizer = await loadTokenizer();
    const real = (text: string) => analyze(text, { policy: fullPolicy, tokenizer });
    const handler = buildHandler(embedded, { analyze: real, policy: fullPolicy });
    const texts = [
      '留萌の夕日きれいですね',
      '市長の判断は最悪だ。説明責任を果たせ',
      '図書館の開館時間を教えてください',
      '090-1234-5678に電話しろ、こいつの番号だ',
    ];
    const messages: CommentMessage[] = texts.map((text) => commentMessage({ text }));
    const { stats } = await deliverComments(
      embedded,
      clients,
      [...messages, ...messages].map((m) => encodeCommentMessage(m)),
      { handler },
    );
    expect(stats.failed).toBe(0);
    const seen = await observe(
      embedded,
      messages.map((m) => m.commentId),
      clients,
    );
    for (const m of messages) {
      const expected = real(m.text ?? '');
      const decision = seen.decisions.get(m.commentId);
      expect(decision).toMatchObject({
        action: expected.action,
        classifierVersion: expected.classifierVersion,
        policyVersion: fullPolicy.version,
        inquiry: expected.inquiry,
        stage: 'complete',
      });
      expect(decision?.categories.map((c) => c.id)).toEqual(expected.categories.map((c) => c.id));
      expect(seen.ledgerRows.get(m.commentId)?.length).toBe(decision?.piiSpans.length);
      const enforcing = expected.action === 'hide' || expected.action === 'delete';
      expect(seen.actions.get(m.commentId) ?? 0).toBe(enforcing ? 1 : 0);
    }
  });
});
