import { describe, expect, it } from 'vitest';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import { QUEUES } from '../../lib/resources';
import { commentMessage, fakeAnalyze } from './support/fixtures';
import { buildHandler, deliverComments, observe, useStage } from './support/harness';
import { receiveAll } from './support/poller';

const policy = { version: 'test-1', retentionDays: 90 };

describe('classify handler: poison messages', () => {
  const stage = useStage('poison');

  it('moves an invalid record to the DLQ after exactly maxReceiveCount receives; its batch-mates are decided once', async () => {
    const { embedded, clients } = stage;
    const handler = buildHandler(embedded, { analyze: fakeAnalyze(policy.version), policy });
    const good = Array.from({ length: 7 }, (_, i) =>
      commentMessage({ text: i % 2 === 0 ? '[hide] 090-1111-2222' : 'ふつうのコメント' }),
    );
    const poison = [
      '{ not json',
      JSON.stringify({ ...commentMessage(), commentId: 'not-a-graph-id' }),
      JSON.stringify({ ...commentMessage(), field: 'feed' }),
    ];
    const bodies = [
      good[0],
      poison[0],
      good[1],
      good[2],
      poison[1],
      good[3],
      good[4],
      poison[2],
      good[5],
      good[6],
    ].map((b) => (typeof b === 'string' || b === undefined ? (b ?? '') : encodeCommentMessage(b)));
    const { sent: ids, stats } = await deliverComments(embedded, clients, bodies, {
      failedVisibilitySeconds: 1,
      handler,
    });
    const poisonIds = new Set([ids[1], ids[4], ids[7]]);

    const max = QUEUES.comments.maxReceiveCount;
    for (const id of ids) {
      expect(stats.receives.get(id ?? '')).toBe(poisonIds.has(id) ? max : 1);
    }
    // The poison shared its first batch with valid comments, and they were not failed with it.
    const first = stats.batches[0] ?? [];
    expect(first.filter((id) => poisonIds.has(id)).length).toBeGreaterThan(0);
    expect(first.filter((id) => !poisonIds.has(id)).length).toBeGreaterThan(0);

    const dead = await receiveAll(clients.sqs, embedded.queues.comments.deadLetterUrl);
    expect(new Set(dead.map((m) => m.MessageId))).toEqual(poisonIds);
    expect(stats.deleted + dead.length).toBe(bodies.length);

    const seen = await observe(
      embedded,
      good.map((m) => m.commentId),
      clients,
    );
    expect(seen.decisions.size).toBe(good.length);
    expect(seen.actionMessages).toBe(4);
  });
});
