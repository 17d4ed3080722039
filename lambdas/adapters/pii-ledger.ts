import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { epochSeconds } from '../core/classify-stage/plan';
import type { PiiLedger } from '../core/classify-stage/ports';
import type { LedgerRow } from '../core/classify-stage/records';
import { putItem, toAttributes } from './dynamo-items';

interface PiiLedgerStore extends PiiLedger {
  /** The live rows of one comment, in index order. */
  list(commentId: string, now: Date): Promise<LedgerRow[]>;
}

/**
 * Personal-data ledger (`TABLES.piiLedger`), keyed (commentId, index). Takes the plain client (see
 * `dynamo-items.ts`): rows are written on the per-comment path.
 */
const createPiiLedger = (client: DynamoDBClient, tableName: string): PiiLedgerStore => {
  // A failed condition means the row is already there from an earlier attempt.
  const putOne = async (row: LedgerRow, now: Date): Promise<void> => {
    await putItem(
      client,
      tableName,
      { ...row },
      {
        condition: 'attribute_not_exists(commentId) OR expiresAt <= :now',
        values: { ':now': epochSeconds(now) },
      },
    );
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
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'commentId = :id',
            FilterExpression: 'expiresAt > :now',
            ExpressionAttributeValues: toAttributes({
              ':id': commentId,
              ':now': epochSeconds(now),
            }),
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        rows.push(...(out.Items ?? []).map((item) => unmarshall(item) as LedgerRow));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return rows;
    },
  };
};

export type { PiiLedgerStore };
export { createPiiLedger };
