import {
  type AttributeValue,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../lib/resources';

/**
 * Local data under `.data/` outlives code changes. When `lib/resources.ts` gains an index (in AWS,
 * CloudFormation adds it to the live table), a table persisted by an older version lacks it, and
 * dynalite cannot add an index to an existing table. Such a table is rebuilt: its items are read,
 * the table is created again from the current definition and the items are written back. Local
 * data only; a crash in the middle loses the table's local items, never anything in AWS.
 */

const missingIndexes = async (
  client: DynamoDBClient,
  name: string,
  table: TableDefinition,
): Promise<string[]> => {
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set(
    (described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName),
  );
  return table.indexes.map((i) => i.indexName).filter((n) => !present.has(n));
};

const scanAll = async (
  client: DynamoDBClient,
  name: string,
): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: name, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

const waitUntilGone = async (client: DynamoDBClient, name: string): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${name} was not deleted`);
};

/**
 * Rebuilds the persisted table `name` when it lacks an index of `table`; `create` creates it from
 * the current definition (and waits until it is active). Returns the indexes that were added.
 */
const addMissingIndexes = async (
  client: DynamoDBClient,
  name: string,
  table: TableDefinition,
  create: () => Promise<void>,
): Promise<string[]> => {
  const missing = await missingIndexes(client, name, table);
  if (missing.length === 0) return [];
  const items = await scanAll(client, name);
  await client.send(new DeleteTableCommand({ TableName: name }));
  await waitUntilGone(client, name);
  await create();
  for (const item of items) await client.send(new PutItemCommand({ TableName: name, Item: item }));
  return missing;
};

export { addMissingIndexes };
