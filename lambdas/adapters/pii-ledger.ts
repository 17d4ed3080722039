import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../core/classify-stage/plan';
import type { PiiLedger } from '../core/classify-stage/ports';
import type { LedgerRow } from '../core/classify-stage/records';
import { isConditionFailure } from './decision-store';

interface PiiLedgerStore extends PiiLedger {
  /** The live rows of one comment, in index order. */
  list(commentId: string, now: Date): Promise<LedgerRow[]>;
}

/** Personal-data ledger (`TABLES.piiLedger`), keyed (commentId, index). */
const createPiiLedger = (doc: DynamoDBDocumentClient, tableName: string): PiiLedgerStore => {
  const putOne = async (row: LedgerRow, now: Date): Promise<void> => {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: row,
          ConditionExpression: 'attribute_not_exists(commentId) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
    } catch (error) {
      // The row is already there from an earlier attempt.
      if (!isConditionFailure(error)) throw error;
    }
  };

  return {
    async putAll(rows, now) {
      // Let every write settle before failing, so a retry finds as much done as possible.
      const results = await Promise.allSettled(rows.map((row) => putOne(row, now)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },

    async list(commentId, now) {
      const rows: LedgerRow[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'commentId = :id',
            FilterExpression: 'expiresAt > :now',
            ExpressionAttributeValues: { ':id': commentId, ':now': epochSeconds(now) },
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        rows.push(...((out.Items ?? []) as LedgerRow[]));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return rows;
    },
  };
};

export type { PiiLedgerStore };
export { createPiiLedger };
