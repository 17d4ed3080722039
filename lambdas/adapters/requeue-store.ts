import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES } from '../../lib/resources';
import { epochSeconds } from '../core/classify-stage/plan';
import { COMMENT_FIELDS } from '../core/contracts/comment-message';
import { ACTION_STATUSES, ACTIONS } from '../core/contracts/decision';
import type { RequeueCandidate, RequeueStorePort } from '../core/ops/requeue';
import { getItem, queryAll, toAttributes, updateItem } from './dynamo-items';

/**
 * The decisions table as requeue sees it: failed or pending actions found through the `byAction`
 * index (one query per action, bounded by `decidedAt`, filtered on the status), and the conditional
 * updates that make one requeue the only one to re-send an action.
 */

const BY_ACTION = TABLES.decisions.indexes.find((i) => i.indexName === 'byAction')?.indexName;

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** An item as a candidate; undefined when it lacks what a message needs (not this stage's item). */
const toCandidate = (item: Record<string, unknown>, now: Date): RequeueCandidate | undefined => {
  if (typeof item.expiresAt !== 'number' || item.expiresAt <= epochSeconds(now)) return undefined;
  const { commentId, accountId, field, action, policyVersion, decidedAt, actionStatus } = item;
  if (
    typeof commentId !== 'string' ||
    typeof accountId !== 'string' ||
    !oneOf(COMMENT_FIELDS, field) ||
    !oneOf(ACTIONS, action) ||
    typeof policyVersion !== 'string' ||
    typeof decidedAt !== 'string' ||
    !oneOf(ACTION_STATUSES, actionStatus)
  ) {
    return undefined;
  }
  const review = item.reviewOutcome as { instagram?: unknown; reviewedAt?: unknown } | undefined;
  const lease = item.actionLeaseUntil;
  const optional = {
    mediaProductType: str(item.mediaProductType),
    actionUpdatedAt: str(item.actionUpdatedAt),
    actionRequest: str(item.actionRequest),
    actionRequeuedAt: str(item.actionRequeuedAt),
  };
  return {
    commentId,
    accountId,
    field,
    action,
    policyVersion,
    decidedAt,
    actionStatus,
    ...(item.interimAction === 'hide' ? { interimAction: 'hide' as const } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(typeof lease === 'number' ? { actionLeaseUntil: lease } : {}),
    ...(review && typeof review.instagram === 'string' && typeof review.reviewedAt === 'string'
      ? { review: { instagram: review.instagram, reviewedAt: review.reviewedAt } }
      : {}),
  };
};

/** `attribute = :value` when the candidate had it, `attribute_not_exists` when it did not. */
const unchanged = (
  attribute: string,
  value: string | undefined,
  placeholder: string,
  values: Record<string, unknown>,
): string => {
  if (value === undefined) return `attribute_not_exists(${attribute})`;
  values[placeholder] = value;
  return `${attribute} = ${placeholder}`;
};

const createRequeueStore = (client: DynamoDBClient, tableName: string): RequeueStorePort => ({
  async list(since, now) {
    if (!BY_ACTION) throw new Error('index byAction missing from lib/resources.ts');
    const found: RequeueCandidate[] = [];
    // An `allow` or `review` decision can carry an action too (a staff review, an interim hide).
    for (const action of ACTIONS) {
      const items = await queryAll(client, {
        TableName: tableName,
        IndexName: BY_ACTION,
        KeyConditionExpression: '#action = :action AND decidedAt >= :since',
        FilterExpression: 'actionStatus IN (:failed, :pending)',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: toAttributes({
          ':action': action,
          ':since': since.toISOString(),
          ':failed': 'failed',
          ':pending': 'pending',
        }),
      });
      for (const item of items) {
        const candidate = toCandidate(item, now);
        if (candidate) found.push(candidate);
      }
    }
    return found;
  },

  async get(commentId, now) {
    const item = await getItem(client, tableName, { commentId });
    return item ? toCandidate(item, now) : undefined;
  },

  async claim(seen, from, now) {
    const at = now.toISOString();
    const values: Record<string, unknown> = { ':at': at, ':zero': 0, ':one': 1 };
    const seenUpdate = unchanged('actionUpdatedAt', seen.actionUpdatedAt, ':seenUpdated', values);
    const seenRequeue = unchanged(
      'actionRequeuedAt',
      seen.actionRequeuedAt,
      ':seenRequeued',
      values,
    );
    const count = 'actionRequeues = if_not_exists(actionRequeues, :zero) + :one';
    if (from === 'failed') {
      values[':failed'] = 'failed';
      values[':pending'] = 'pending';
      // A fresh attempt budget: the act stage counts the next call as the first of a new request.
      return (
        (await updateItem(client, tableName, {
          key: { commentId: seen.commentId },
          update:
            `SET actionStatus = :pending, actionUpdatedAt = :at, actionRequeuedAt = :at, ${count} ` +
            'REMOVE actionRequest, actionAttempts, actionLeaseUntil, actionError',
          condition: `actionStatus = :failed AND ${seenUpdate} AND ${seenRequeue}`,
          values,
        })) !== undefined
      );
    }
    values[':pending'] = 'pending';
    values[':nowMs'] = now.getTime();
    return (
      (await updateItem(client, tableName, {
        key: { commentId: seen.commentId },
        update: `SET actionRequeuedAt = :at, ${count}`,
        condition:
          'actionStatus = :pending AND ' +
          '(attribute_not_exists(actionLeaseUntil) OR actionLeaseUntil <= :nowMs) AND ' +
          `${seenUpdate} AND ${seenRequeue}`,
        values,
      })) !== undefined
    );
  },
});

export { createRequeueStore };
