import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../core/classify-stage/plan';
import type { DecisionStore } from '../core/classify-stage/ports';
import type { DecisionRecord } from '../core/classify-stage/records';

/** Compared by name: the SDK class may come from a second copy of the package in a bundle. */
const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** An item whose `expiresAt` has passed is absent, whether or not DynamoDB's TTL sweep removed it. */
const isLive = (item: { expiresAt?: unknown }, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt > epochSeconds(now);

// Absent, or expired but not yet swept: either way free to be written.
const FREE = 'attribute_not_exists(commentId) OR expiresAt <= :now';

/** Decisions table (`TABLES.decisions`), one item per comment. */
const createDecisionStore = (doc: DynamoDBDocumentClient, tableName: string): DecisionStore => ({
  async get(commentId, now) {
    const out = await doc.send(
      new GetCommand({ TableName: tableName, Key: { commentId }, ConsistentRead: true }),
    );
    const item = out.Item as DecisionRecord | undefined;
    return item && isLive(item, now) ? item : undefined;
  },

  async create(decision, now) {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: decision,
          ConditionExpression: FREE,
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async supersedePendingFetch(decision, now) {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: decision,
          ConditionExpression: `pendingFetch = :pending OR ${FREE}`,
          ExpressionAttributeValues: { ':pending': true, ':now': epochSeconds(now) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async claim(commentId, expected, next) {
    const held = expected.claimedBy !== undefined && expected.claimedAt !== undefined;
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { commentId },
          UpdateExpression: 'SET claimedBy = :by, claimedAt = :at',
          ConditionExpression: held
            ? '#stage = :decided AND claimedBy = :oldBy AND claimedAt = :oldAt'
            : '#stage = :decided AND attribute_not_exists(claimedBy)',
          ExpressionAttributeNames: { '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':by': next.claimedBy,
            ':at': next.claimedAt,
            ':decided': 'decided',
            ...(held ? { ':oldBy': expected.claimedBy, ':oldAt': expected.claimedAt } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async markComplete(commentId, actionEnqueued) {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { commentId },
          UpdateExpression: actionEnqueued
            ? 'SET #stage = :complete, actionEnqueued = :enqueued REMOVE claimedBy, claimedAt'
            : 'SET #stage = :complete REMOVE claimedBy, claimedAt',
          ConditionExpression: '#stage = :decided',
          ExpressionAttributeNames: { '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':complete': 'complete',
            ':decided': 'decided',
            ...(actionEnqueued ? { ':enqueued': true } : {}),
          },
        }),
      );
    } catch (error) {
      // Already complete (a concurrent delivery finished first): the goal state holds.
      if (!isConditionFailure(error)) throw error;
    }
  },
});

export { createDecisionStore, isConditionFailure, isLive };
