import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../../local/embedded';

/**
 * `.data/` written by a version whose decisions table had no `byUsernameRef` index: the next
 * `npm start` rebuilds the table with the index and keeps every item.
 */

const dir = mkdtempSync(join(tmpdir(), 'policy-guard-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a persisted local table that lacks an index', () => {
  it('is rebuilt with the index at start, its items kept', async () => {
    const first = await startEmbedded({ dataPath: dir, prefix: 'mig' });
    const table = first.tableNames.decisions;
    // Make it look like the older version's table: only the byAction index.
    await first.dynamo.send(new DeleteTableCommand({ TableName: table }));
    for (let i = 0; i < 100; i++) {
      try {
        await first.dynamo.send(new DescribeTableCommand({ TableName: table }));
        await new Promise((r) => setTimeout(r, 10));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) break;
        throw error;
      }
    }
    await first.dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'commentId', AttributeType: 'S' },
          { AttributeName: 'action', AttributeType: 'S' },
          { AttributeName: 'decidedAt', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'commentId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byAction',
            KeySchema: [
              { AttributeName: 'action', KeyType: 'HASH' },
              { AttributeName: 'decidedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    for (const n of [1, 2, 3]) {
      await first.doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            commentId: String(n),
            action: 'allow',
            decidedAt: `2026-11-2${n}T00:00:00.000Z`,
            usernameRef: n < 3 ? 'ref-a' : 'ref-b',
          },
        }),
      );
    }
    await first.stop();

    const second = await startEmbedded({ dataPath: dir, prefix: 'mig' });
    try {
      const described = await second.dynamo.send(new DescribeTableCommand({ TableName: table }));
      expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
        'byAction',
        'byAuthorRef',
        'byReviewState',
        'byUsernameRef',
      ]);
      const byUsername = await second.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'byUsernameRef',
          KeyConditionExpression: 'usernameRef = :r',
          ExpressionAttributeValues: { ':r': 'ref-a' },
        }),
      );
      expect(byUsername.Items?.map((i) => i.commentId).sort()).toEqual(['1', '2']);
      const all = await second.doc.send(new ScanCommand({ TableName: table }));
      expect(all.Items?.map((i) => i.commentId).sort()).toEqual(['1', '2', '3']);
    } finally {
      await second.stop();
    }
  });
});
