import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedded, startEmbedded } from '../../local/embedded';
import {
  type FakeGraphApi,
  isModerationRequest,
  startFakeGraphApi,
} from '../support/fake-graph-api';

/**
 * The deployed entry point, `handler`, wired from the environment alone: the SDK clients find the
 * embedded servers through the standard `AWS_ENDPOINT_URL_*` variables, the Graph client finds the
 * fake through `GRAPH_API_BASE_URL`.
 */
describe('act `handler` built from the environment', () => {
  let embedded: Embedded;
  let graph: FakeGraphApi;
  const saved = { ...process.env };

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: `env${process.pid}` });
    graph = await startFakeGraphApi({ token: 'env-token' });
    Object.assign(process.env, embedded.env, {
      AWS_ENDPOINT_URL_DYNAMODB: embedded.dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: embedded.sqsEndpoint,
      ACTIONS_ENABLED: 'true',
      IG_ACCESS_TOKEN: 'env-token',
      GRAPH_API_BASE_URL: graph.url,
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await graph.stop();
    await embedded.stop();
  });

  it('hides a pending comment and records it done', async () => {
    const { handler } = await import('../../lambdas/handlers/act');
    const commentId = '1790009999';
    await embedded.doc.send(
      new PutCommand({
        TableName: embedded.tableNames.decisions,
        Item: { commentId, action: 'hide', actionStatus: 'pending' },
      }),
    );
    const body = JSON.stringify({
      commentId,
      accountId: '17841400000000000',
      field: 'comments',
      action: 'hide',
      policyVersion: 'rumoi-1',
      decidedAt: '2026-11-26T09:00:00.000Z',
    });
    const event: SQSEvent = {
      Records: [
        {
          messageId: 'env-1',
          receiptHandle: 'r',
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: embedded.queues.actions.arn,
          awsRegion: 'us-east-1',
        },
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const { Item } = await embedded.doc.send(
      new GetCommand({ TableName: embedded.tableNames.decisions, Key: { commentId } }),
    );
    expect(Item?.actionStatus).toBe('done');
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests.every(isModerationRequest)).toBe(true);
  });
});
