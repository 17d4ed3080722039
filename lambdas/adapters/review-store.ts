import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../lib/resources';
import { epochSeconds } from '../core/classify-stage/plan';
import { ACTIONS } from '../core/contracts/decision';
import type { QueueCursor, ReviewStore } from '../core/review/ports';
import { type QueueName, type ReviewItem, reviewItemSchema } from '../core/review/record';
import { byDecidedAt } from '../core/review/view';
import { isConditionFailure } from './dynamo-items';

/**
 * Decisions table as review sees it (`TABLES.decisions`). Queue listings read the sparse
 * `byReviewState` index (only decisions waiting for a person carry `reviewState`) and the `byAction`
 * index for machine-hidden comments. Every read drops expired items whatever the TTL sweep did,
 * and parses items through the review whitelist.
 */

class StoredDecisionInvalidError extends Error {
  override name = 'StoredDecisionInvalidError';
}

const indexName = (name: 'byReviewState' | 'byAction'): string => {
  const index = TABLES.decisions.indexes.find((i) => i.indexName === name);
  if (!index) throw new Error(`index ${name} missing from lib/resources.ts`);
  return index.indexName;
};

const live = (raw: Record<string, unknown>, now: Date): ReviewItem | undefined => {
  if (typeof raw.expiresAt !== 'number' || raw.expiresAt <= epochSeconds(now)) return undefined;
  const parsed = reviewItemSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};

const afterCursor = (item: ReviewItem, after: QueueCursor | undefined): boolean =>
  !after ||
  item.decidedAt > after.decidedAt ||
  (item.decidedAt === after.decidedAt && item.commentId > after.commentId);

const createReviewStore = (doc: DynamoDBDocumentClient, tableName: string): ReviewStore => {
  /**
   * Follows pages until `limit` live items are found (or, without a limit, to the end), plus every
   * item tied with the last one on `decidedAt`: the index orders ties arbitrarily, and callers page
   * by (decidedAt, commentId).
   */
  const query = async (
    input: Omit<QueryCommandInput, 'TableName'>,
    now: Date,
    keep: (item: ReviewItem) => boolean,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<ReviewItem[]> => {
    const items: ReviewItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          ...input,
          TableName: tableName,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = live(raw, now);
        if (!item || !keep(item)) continue;
        const last = items.at(-1);
        if (items.length >= limit && last && item.decidedAt !== last.decidedAt) return items;
        items.push(item);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  const betweenByAction = (
    action: string,
    from: string,
    to: string,
    now: Date,
    filter?: {
      expression: string;
      names: Record<string, string>;
      values: Record<string, unknown>;
    },
  ) =>
    query(
      {
        IndexName: indexName('byAction'),
        KeyConditionExpression: '#action = :action AND #decidedAt BETWEEN :from AND :to',
        ExpressionAttributeNames: {
          '#action': 'action',
          '#decidedAt': 'decidedAt',
          ...filter?.names,
        },
        ExpressionAttributeValues: {
          ':action': action,
          ':from': from,
          ':to': to,
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression } : {}),
      },
      now,
      (item) => item.decidedAt >= from && item.decidedAt < to,
    );

  return {
    async get(commentId, now) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { commentId }, ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      if (typeof out.Item.expiresAt !== 'number' || out.Item.expiresAt <= epochSeconds(now)) {
        return undefined;
      }
      const parsed = reviewItemSchema.safeParse(out.Item);
      if (!parsed.success) {
        throw new StoredDecisionInvalidError(`decision ${commentId} does not match the contract`);
      }
      return parsed.data;
    },

    async listQueue(queue: QueueName, { now, limit, after }) {
      const key =
        queue === 'pending'
          ? { index: indexName('byReviewState'), attribute: 'reviewState', value: 'pending' }
          : { index: indexName('byAction'), attribute: 'action', value: 'hide' };
      const items = await query(
        {
          IndexName: key.index,
          KeyConditionExpression: after ? '#pk = :pk AND #decidedAt >= :after' : '#pk = :pk',
          FilterExpression: 'attribute_not_exists(reviewOutcome)',
          ExpressionAttributeNames: {
            '#pk': key.attribute,
            ...(after ? { '#decidedAt': 'decidedAt' } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': key.value,
            ...(after ? { ':after': after.decidedAt } : {}),
          },
          ScanIndexForward: true,
        },
        now,
        (item) => afterCursor(item, after),
        limit,
      );
      return items.sort(byDecidedAt);
    },

    async listDecided({ from, to, now }) {
      const perAction = await Promise.all(
        ACTIONS.map((action) => betweenByAction(action, from, to, now)),
      );
      return perAction.flat().sort(byDecidedAt);
    },

    // No inquiry index yet: the byAction index bounded by time, filtered on the flag.
    async listInquiries({ from, to, now, limit }) {
      const perAction = await Promise.all(
        ACTIONS.map((action) =>
          betweenByAction(action, from, to, now, {
            expression: '#inquiry = :true',
            names: { '#inquiry': 'inquiry' },
            values: { ':true': true },
          }),
        ),
      );
      return perAction.flat().sort(byDecidedAt).slice(0, limit);
    },

    async applyInquiry(update, now) {
      const versionCondition =
        update.expectedVersion === 0
          ? 'attribute_not_exists(inquiryHandling)'
          : 'inquiryHandling.version = :expected';
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { commentId: update.commentId },
            UpdateExpression: 'SET inquiryHandling = :handling',
            ConditionExpression: `attribute_exists(commentId) AND expiresAt > :now AND inquiry = :true AND ${versionCondition}`,
            ExpressionAttributeValues: {
              ':handling': update.handling,
              ':now': epochSeconds(now),
              ':true': true,
              ...(update.expectedVersion === 0 ? {} : { ':expected': update.expectedVersion }),
            },
          }),
        );
        return 'applied';
      } catch (error) {
        if (isConditionFailure(error)) return 'conflict';
        throw error;
      }
    },

    // The newest decision of each action (byAction is sorted by decidedAt), then the newest of those.
    async newest(now) {
      const heads = await Promise.all(
        ACTIONS.map(async (action) => {
          const [item] = await query(
            {
              IndexName: indexName('byAction'),
              KeyConditionExpression: '#action = :action',
              ExpressionAttributeNames: { '#action': 'action' },
              ExpressionAttributeValues: { ':action': action },
              ScanIndexForward: false,
              Limit: 25,
            },
            now,
            () => true,
            1,
          );
          return item;
        }),
      );
      return heads
        .filter((i): i is ReviewItem => i !== undefined)
        .sort(byDecidedAt)
        .at(-1);
    },

    async applyReview(update, now) {
      const versionCondition =
        update.expectedVersion === 0
          ? '(attribute_not_exists(reviewVersion) OR reviewVersion = :expected)'
          : 'reviewVersion = :expected';
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { commentId: update.commentId },
            UpdateExpression: `SET reviewVersion = :version, reviewOutcome = :outcome${
              update.actionStatus ? ', actionStatus = :actionStatus' : ''
            } REMOVE reviewState`,
            ConditionExpression: `attribute_exists(commentId) AND expiresAt > :now AND ${versionCondition}`,
            ExpressionAttributeValues: {
              ':version': update.version,
              ':outcome': update.outcome,
              ':expected': update.expectedVersion,
              ':now': epochSeconds(now),
              ...(update.actionStatus ? { ':actionStatus': update.actionStatus } : {}),
            },
          }),
        );
        return 'applied';
      } catch (error) {
        if (isConditionFailure(error)) return 'conflict';
        throw error;
      }
    },
  };
};

export { createReviewStore, StoredDecisionInvalidError };
