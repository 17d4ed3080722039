import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionStatusStore } from '../../lambdas/adapters/action-status-store';
import { type Embedded, startEmbedded } from '../../local/embedded';

/**
 * TTL holds on every read: a decision past its `expiresAt` is absent for the act stage too, even
 * while DynamoDB's TTL sweep (up to days late; never, on dynalite) has not removed it yet.
 */

const NOW = Date.parse('2026-11-26T09:00:00.000Z');
const NOW_S = Math.floor(NOW / 1000);

describe('act stage and expired decisions (embedded DynamoDB)', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: `expired${process.pid}` });
  });
  afterAll(async () => {
    await embedded.stop();
  });

  const seed = (commentId: string, expiresAt: number) =>
    embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { commentId, action: 'hide', actionStatus: 'pending', expiresAt },
      }),
    );
  const claim = (commentId: string, now = NOW) =>
    new ActionStatusStore(embedded.dynamo, embedded.tableNames.decisions).claim({
      commentId,
      action: 'hide',
      now,
      leaseMs: 60_000,
      maxAttempts: 5,
      requestId: new Date(NOW).toISOString(),
    });

  it('claims a live decision', async () => {
    await seed('801', NOW_S + 60);
    expect(await claim('801')).toEqual({ kind: 'claimed', attempt: 1 });
  });

  it('finds an expired decision missing, and writes no lease on it', async () => {
    await seed('802', NOW_S);
    expect(await claim('802')).toEqual({ kind: 'missing' });
    const item = await embedded.doc.send(
      new GetCommand({ TableName: embedded.tableNames.decisions, Key: { commentId: '802' } }),
    );
    expect(item.Item).toEqual({
      commentId: '802',
      action: 'hide',
      actionStatus: 'pending',
      expiresAt: NOW_S,
    });
  });

  it('expires on the second: live at its last second, missing one second later', async () => {
    await seed('803', NOW_S + 1);
    expect(await claim('803', NOW + 1000)).toEqual({ kind: 'missing' });
    expect((await claim('803', NOW)).kind).toBe('claimed');
  });
});
