import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../lib/resources';
import { epochSeconds } from '../core/classify-stage/plan';
import { type AuditEvent, auditEventSchema } from '../core/review/audit';
import type { AuditStore } from '../core/review/ports';
import { isConditionFailure } from './dynamo-items';

/**
 * The audit table (`TABLES.audit`: partition `commentId`, sort `eventId`). Append-only: every put is
 * conditional on the key being new, and this adapter has no update or delete. Expired events (TTL)
 * are absent on every read.
 */

const PARTITION = TABLES.audit.partitionKey.name;
const SORT = TABLES.audit.sortKey.name;

const live = (raw: Record<string, unknown> | undefined, now: Date): AuditEvent | undefined => {
  if (!raw || typeof raw.expiresAt !== 'number' || raw.expiresAt <= epochSeconds(now)) {
    return undefined;
  }
  const parsed = auditEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};

const createAuditStore = (doc: DynamoDBDocumentClient, tableName: string): AuditStore => {
  const query = async (commentId: string, now: Date, forward: boolean, limit: number) => {
    const events: AuditEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PARTITION },
          ExpressionAttributeValues: { ':pk': commentId },
          ScanIndexForward: forward,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const raw of page.Items ?? []) {
        const event = live(raw, now);
        if (event) events.push(event);
        if (events.length >= limit) return events;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  };

  return {
    async append(event) {
      const item = auditEventSchema.parse(event);
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#pk) AND attribute_not_exists(#sk)',
            ExpressionAttributeNames: { '#pk': PARTITION, '#sk': SORT },
          }),
        );
        return 'appended';
      } catch (error) {
        if (isConditionFailure(error)) return 'exists';
        throw error;
      }
    },

    async get(commentId, eventId, now) {
      const out = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: { [PARTITION]: commentId, [SORT]: eventId },
          ConsistentRead: true,
        }),
      );
      return live(out.Item, now);
    },

    list: (commentId, now) => query(commentId, now, true, Number.POSITIVE_INFINITY),

    async latest(commentId, now) {
      const [event] = await query(commentId, now, false, 1);
      return event;
    },
  };
};

export { createAuditStore };
