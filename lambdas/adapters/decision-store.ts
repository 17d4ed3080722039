import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { epochSeconds } from '../core/classify-stage/plan';
import type { DecisionStore } from '../core/classify-stage/ports';
import type { DecisionRecord } from '../core/classify-stage/records';
import { getItem, putItem, updateItem } from './dynamo-items';

/** An item whose `expiresAt` has passed is absent, whether or not DynamoDB's TTL sweep removed it. */
const isLive = (item: { expiresAt?: unknown }, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt > epochSeconds(now);

// Absent, or expired but not yet swept: either way free to be written.
const FREE = 'attribute_not_exists(commentId) OR expiresAt <= :now';

/**
 * Decisions table (`TABLES.decisions`), one item per comment. Takes the plain client (see
 * `dynamo-items.ts`): every comment passes through here at least once.
 */
const createDecisionStore = (client: DynamoDBClient, tableName: string): DecisionStore => ({
  async get(commentId, now) {
    const item = (await getItem(client, tableName, { commentId })) as DecisionRecord | undefined;
    return item && isLive(item, now) ? item : undefined;
  },

  create: (decision, now) =>
    putItem(
      client,
      tableName,
      { ...decision },
      {
        condition: FREE,
        values: { ':now': epochSeconds(now) },
      },
    ),

  supersedePendingFetch: (decision, now) =>
    putItem(
      client,
      tableName,
      { ...decision },
      {
        condition: `pendingFetch = :pending OR ${FREE}`,
        values: { ':pending': true, ':now': epochSeconds(now) },
      },
    ),

  async claim(commentId, expected, next) {
    const held = expected.claimedBy !== undefined && expected.claimedAt !== undefined;
    const taken = await updateItem(client, tableName, {
      key: { commentId },
      update: 'SET claimedBy = :by, claimedAt = :at',
      condition: held
        ? '#stage = :decided AND claimedBy = :oldBy AND claimedAt = :oldAt'
        : '#stage = :decided AND attribute_not_exists(claimedBy)',
      names: { '#stage': 'stage' },
      values: {
        ':by': next.claimedBy,
        ':at': next.claimedAt,
        ':decided': 'decided',
        ...(held ? { ':oldBy': expected.claimedBy, ':oldAt': expected.claimedAt } : {}),
      },
    });
    return taken !== undefined;
  },

  async markComplete(commentId, actionEnqueued) {
    // A failed condition means already complete (a concurrent delivery finished first): the goal
    // state holds.
    await updateItem(client, tableName, {
      key: { commentId },
      update: actionEnqueued
        ? 'SET #stage = :complete, actionEnqueued = :enqueued REMOVE claimedBy, claimedAt'
        : 'SET #stage = :complete REMOVE claimedBy, claimedAt',
      condition: '#stage = :decided',
      names: { '#stage': 'stage' },
      values: {
        ':complete': 'complete',
        ':decided': 'decided',
        ...(actionEnqueued ? { ':enqueued': true } : {}),
      },
    });
  },
});

export { createDecisionStore, isLive };
