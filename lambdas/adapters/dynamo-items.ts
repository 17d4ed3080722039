import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Single-item calls on the plain DynamoDB client, for the adapters on the per-comment path
 * (decisions, ledger, action status). The document client rebuilds the SDK's middleware stack on
 * every call and refuses `cacheMiddleware`; the plain client built with it resolves the stack once
 * per command class. Marshalling matches the document client's settings elsewhere in the project
 * (`removeUndefinedValues`, numbers as JS numbers), so items read the same through either client.
 */

type Item = Record<string, unknown>;

interface Conditions {
  readonly condition?: string;
  readonly names?: Record<string, string>;
  readonly values?: Item;
}

interface Update extends Conditions {
  readonly key: Item;
  readonly update: string;
  /** Asks for the updated attributes' new values (`UPDATED_NEW`). */
  readonly returnNew?: boolean;
}

const MARSHALL = { removeUndefinedValues: true } as const;

const toAttributes = (value: Item): Record<string, AttributeValue> => marshall(value, MARSHALL);

/** Compared by name: the SDK class may come from a second copy of the package in a bundle. */
const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const expression = (c: Conditions) => ({
  ...(c.condition !== undefined ? { ConditionExpression: c.condition } : {}),
  ...(c.names !== undefined ? { ExpressionAttributeNames: c.names } : {}),
  ...(c.values !== undefined ? { ExpressionAttributeValues: toAttributes(c.values) } : {}),
});

/** Strongly consistent read of one item; `undefined` when absent. */
const getItem = async (
  client: DynamoDBClient,
  table: string,
  key: Item,
): Promise<Item | undefined> => {
  const out = await client.send(
    new GetItemCommand({ TableName: table, Key: toAttributes(key), ConsistentRead: true }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
};

/** Writes the item; `false` when its condition failed. */
const putItem = async (
  client: DynamoDBClient,
  table: string,
  item: Item,
  conditions: Conditions = {},
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({ TableName: table, Item: toAttributes(item), ...expression(conditions) }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * Applies the update; `undefined` when its condition failed, otherwise the new values asked for
 * (an empty object when none were).
 */
const updateItem = async (
  client: DynamoDBClient,
  table: string,
  input: Update,
): Promise<Item | undefined> => {
  try {
    const out = await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: toAttributes(input.key),
        UpdateExpression: input.update,
        ...expression(input),
        ...(input.returnNew ? { ReturnValues: 'UPDATED_NEW' } : {}),
      }),
    );
    return out.Attributes ? unmarshall(out.Attributes) : {};
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/** Every item a query returns, page after page (`LastEvaluatedKey`), unmarshalled. */
const queryAll = async (
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(out.Items ?? []).map((raw) => unmarshall(raw)));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};

export type { Conditions, Item, Update };
export { getItem, isConditionFailure, putItem, queryAll, toAttributes, updateItem };
