import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, TABLES } from '../lib/resources';
import { type Embedded, startEmbedded } from '../local/embedded';
import { getWithHost } from './support/with-host';

describe('Embedded runtime', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded({ visibilityTimeoutSeconds: { comments: 1 } });
  });
  afterAll(async () => {
    await embedded.stop();
  });

  it('creates every table with the keys and indexes of lib/resources.ts', async () => {
    const described = await embedded.dynamo.send(
      new DescribeTableCommand({ TableName: embedded.tableNames.decisions }),
    );
    expect(described.Table?.KeySchema).toEqual([{ AttributeName: 'commentId', KeyType: 'HASH' }]);
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      TABLES.decisions.indexes.map((i) => i.indexName).sort(),
    );
  });

  it('creates queues with a redrive policy to their dead-letter queue', async () => {
    const attributes = await embedded.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: embedded.queues.comments.url,
        AttributeNames: ['All'],
      }),
    );
    const redrive = JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}');
    expect(Number(redrive.maxReceiveCount)).toBe(QUEUES.comments.maxReceiveCount);
    expect(attributes.Attributes?.VisibilityTimeout).toBe('1');
  });

  it('round-trips a message through the real SQS protocol', async () => {
    await embedded.sqs.send(
      new SendMessageCommand({ QueueUrl: embedded.queues.actions.url, MessageBody: 'x' }),
    );
    const received = await embedded.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: embedded.queues.actions.url, WaitTimeSeconds: 1 }),
    );
    expect(received.Messages?.[0]?.Body).toBe('x');
  });

  it('serves on loopback only, to loopback host names only', async () => {
    for (const endpoint of [embedded.dynamoEndpoint, embedded.sqsEndpoint]) {
      const url = new URL(endpoint);
      expect(url.hostname).toBe('127.0.0.1');
      const port = Number(url.port);
      const rebound = await getWithHost(port, '/', `attacker.example:${port}`);
      expect(rebound.status, endpoint).toBe(403);
      expect(JSON.parse(rebound.body).error).toBe('forbidden');
    }
  });
});
