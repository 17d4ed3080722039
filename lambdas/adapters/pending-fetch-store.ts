import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES } from '../../lib/resources';
import { epochSeconds } from '../core/classify-stage/plan';
import { COMMENT_FIELDS, type CommentField } from '../core/contracts/comment-message';
import type { PendingFetch, PendingFetchSource } from '../core/ops/sweep';
import { queryAll, toAttributes } from './dynamo-items';

/**
 * Decisions recorded without text (`pendingFetch`), for the sweep to complete. Such a decision is
 * always `allow` (nothing was classified), so the `byAction` index bounded by `decidedAt` finds them
 * without a new index; expired items are dropped whatever the TTL sweep did.
 */

const BY_ACTION = TABLES.decisions.indexes.find((i) => i.indexName === 'byAction')?.indexName;

const isField = (value: unknown): value is CommentField =>
  typeof value === 'string' && (COMMENT_FIELDS as readonly string[]).includes(value);

const toPending = (item: Record<string, unknown>): PendingFetch | undefined => {
  const { commentId, accountId, field, mediaId, mediaProductType, parentId } = item;
  if (typeof commentId !== 'string' || typeof accountId !== 'string' || !isField(field)) {
    return undefined;
  }
  return {
    commentId,
    accountId,
    field,
    ...(typeof mediaId === 'string' ? { mediaId } : {}),
    ...(typeof mediaProductType === 'string' ? { mediaProductType } : {}),
    ...(typeof parentId === 'string' ? { parentId } : {}),
  };
};

const createPendingFetchStore = (
  client: DynamoDBClient,
  tableName: string,
): PendingFetchSource => ({
  async list(since, now) {
    if (!BY_ACTION) throw new Error('index byAction missing from lib/resources.ts');
    const items = await queryAll(client, {
      TableName: tableName,
      IndexName: BY_ACTION,
      KeyConditionExpression: '#action = :allow AND decidedAt >= :since',
      FilterExpression: 'pendingFetch = :true AND expiresAt > :now',
      ExpressionAttributeNames: { '#action': 'action' },
      ExpressionAttributeValues: toAttributes({
        ':allow': 'allow',
        ':since': since.toISOString(),
        ':true': true,
        ':now': epochSeconds(now),
      }),
    });
    const found = items.map(toPending).filter((p): p is PendingFetch => p !== undefined);
    return found;
  },
});

export { createPendingFetchStore };
