import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TABLES } from '../../lib/resources';
import type { DataRequestStore, StoredItem } from '../core/data-request/ports';
import { isConditionFailure } from './dynamo-items';

/**
 * The decisions, ledger and audit tables as a data-subject request reads and erases them. Reads
 * return items as stored, expired or not (the core filters disclosure by `expiresAt`; erasure
 * removes what the TTL sweep has not removed yet). Index queries are eventually consistent; the
 * decision itself is read consistently.
 */

interface DataRequestTables {
  readonly decisions: string;
  readonly piiLedger: string;
  readonly audit: string;
}

type IndexOf<T extends { indexes: readonly { indexName: string }[] }> =
  T['indexes'][number]['indexName'];

// Typed against lib/resources.ts, so a renamed index breaks the build rather than the request.
const BY_AUTHOR: IndexOf<typeof TABLES.decisions> = 'byAuthorRef';
const BY_USERNAME: IndexOf<typeof TABLES.decisions> = 'byUsernameRef';
const BY_VALUE: IndexOf<typeof TABLES.piiLedger> = 'byValueRef';

/**
 * A decision the classify stage is finishing (`decided`, claimed or decided after `:since`) is not
 * deleted: its ledger rows may still be on their way (see `eraseComment` in the core).
 */
const NOT_BEING_CLASSIFIED =
  'attribute_not_exists(#stage) OR #stage <> :decided OR claimedAt <= :sinceMs OR ' +
  '(attribute_not_exists(claimedAt) AND decidedAt <= :sinceIso)';

const createDataRequestStore = (
  doc: DynamoDBDocumentClient,
  tables: DataRequestTables,
): DataRequestStore => {
  const query = async (input: Omit<QueryCommandInput, 'ExclusiveStartKey'>) => {
    const items: StoredItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      items.push(...((page.Items ?? []) as StoredItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  const byIndex = (table: string, index: string, attribute: string, value: string) =>
    query({
      TableName: table,
      IndexName: index,
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': attribute },
      ExpressionAttributeValues: { ':v': value },
    });

  const ofComment = (table: string, commentId: string) =>
    query({
      TableName: table,
      KeyConditionExpression: 'commentId = :id',
      ExpressionAttributeValues: { ':id': commentId },
      ConsistentRead: true,
    });

  return {
    decisionsByAuthorRef: (ref) => byIndex(tables.decisions, BY_AUTHOR, 'authorRef', ref),
    decisionsByUsernameRef: (ref) => byIndex(tables.decisions, BY_USERNAME, 'usernameRef', ref),
    ledgerByValueRef: (ref) => byIndex(tables.piiLedger, BY_VALUE, 'valueRef', ref),

    async decision(commentId) {
      const out = await doc.send(
        new GetCommand({ TableName: tables.decisions, Key: { commentId }, ConsistentRead: true }),
      );
      return out.Item as StoredItem | undefined;
    },

    ledgerOfComment: (commentId) => ofComment(tables.piiLedger, commentId),
    auditOfComment: (commentId) => ofComment(tables.audit, commentId),

    async deleteDecision(commentId, busySince) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tables.decisions,
            Key: { commentId },
            ConditionExpression: NOT_BEING_CLASSIFIED,
            ExpressionAttributeNames: { '#stage': 'stage' },
            ExpressionAttributeValues: {
              ':decided': 'decided',
              ':sinceMs': busySince.epochMs,
              ':sinceIso': busySince.iso,
            },
          }),
        );
        return 'deleted';
      } catch (error) {
        if (isConditionFailure(error)) return 'busy';
        throw error;
      }
    },

    async deleteLedgerRow(commentId, index) {
      await doc.send(new DeleteCommand({ TableName: tables.piiLedger, Key: { commentId, index } }));
    },

    async deleteAuditEvent(commentId, eventId) {
      await doc.send(new DeleteCommand({ TableName: tables.audit, Key: { commentId, eventId } }));
    },
  };
};

export type { DataRequestTables };
export { createDataRequestStore };
