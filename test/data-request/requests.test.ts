import {
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueSweeper } from '../../lambdas/adapters/queue-sweeper';
import { authorRefFor } from '../../lambdas/core/classify-stage/plan';
import { valueRef } from '../../lambdas/core/pii/pseudonym';
import {
  createDataRequestApi,
  dataOfficerIdentity,
  localOfficerIdentity,
} from '../../lambdas/handlers/data-request';
import { TEST_KEY } from '../classify-stage/support/fixtures';
import {
  callApi,
  type DataRequestStage,
  dataRequestEvent,
  resetStage,
  scanTable,
  startDataRequestStage,
} from './support';

/** The door's contract (statuses, error shape, identity) and the erasure's edge cases. */

const CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'method_not_allowed',
  'internal',
];

const expectHouseError = (body: string, code: string) => {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(parsed).sort()).toEqual(['error', 'message']);
  expect(parsed.error).toBe(code);
  expect(CODES).toContain(parsed.error);
  expect(typeof parsed.message).toBe('string');
  return parsed.message as string;
};

const NOW_S = () => Math.floor(Date.now() / 1000);

describe('data-request door', () => {
  let stage: DataRequestStage;
  let waits = 0;

  beforeAll(async () => {
    stage = await startDataRequestStage('dsrdoor', {
      wait: async () => {
        waits += 1;
      },
    });
  });
  afterAll(async () => {
    await stage?.stop();
  });

  const officer = { 'x-data-officer': 'officer.test' };
  const post = (body: string, headers: Record<string, string> = officer) =>
    stage.api(dataRequestEvent(body, { headers }));

  it('refuses what is not POST /data-requests with the house error shape', async () => {
    const get = await stage.api(dataRequestEvent('', { method: 'GET', headers: officer }));
    expect(get.statusCode).toBe(405);
    expectHouseError(get.body, 'method_not_allowed');
    const other = await stage.api({ ...dataRequestEvent('{}', { headers: officer }), path: '/x' });
    expect(other.statusCode).toBe(404);
    expectHouseError(other.body, 'not_found');
  });

  it('refuses a caller who is not the data officer', async () => {
    const out = await post(
      JSON.stringify({ operation: 'disclose', subject: { authorId: '1' } }),
      {},
    );
    expect(out.statusCode).toBe(403);
    expectHouseError(out.body, 'forbidden');
  });

  it('refuses malformed requests without repeating the subject', async () => {
    const secret = '090-9876-5432';
    const cases: [string, number, string][] = [
      ['not json', 400, 'bad_request'],
      [JSON.stringify({ operation: 'delete', subject: { value: secret } }), 400, 'bad_request'],
      [JSON.stringify({ operation: 'erase', subject: { phone: secret } }), 400, 'bad_request'],
      [
        JSON.stringify({ operation: 'erase', subject: { value: secret, authorId: '1' } }),
        400,
        'bad_request',
      ],
      [
        JSON.stringify({ operation: 'erase', subject: { value: secret.repeat(30) } }),
        400,
        'bad_request',
      ],
      [
        JSON.stringify({ operation: 'erase', subject: { value: 'x'.repeat(5000) } }),
        413,
        'payload_too_large',
      ],
    ];
    for (const [body, status, code] of cases) {
      const out = await post(body);
      expect(out.statusCode, body.slice(0, 60)).toBe(status);
      const message = expectHouseError(out.body, code);
      expect(message).not.toContain(secret);
      expect(message).not.toContain('9876');
    }
  });

  it('answers 404 for a subject with nothing held, and still records the request', async () => {
    await resetStage(stage);
    const out = await callApi(stage.api, 'disclose', { username: '@nobody_here' });
    expect(out.status).toBe(404);
    expect(out.body.error).toBe('not_found');
    const events = await scanTable(stage.clients, stage.embedded.tableNames.audit);
    expect(events).toEqual([
      expect.objectContaining({
        commentId: 'data-requests',
        type: 'data_request.disclose',
        actor: { kind: 'staff', id: 'local:officer.test' },
        what: { subject: 'username', counts: { decisions: 0, ledger: 0, audit: 0 } },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('nobody_here');
  });

  it('answers 500 with no internals when the store fails', async () => {
    const broken = createDataRequestApi({
      identify: localOfficerIdentity,
      ports: {
        ...stage.ports,
        store: {
          ...stage.ports.store,
          decisionsByAuthorRef: () =>
            Promise.reject(new Error('ProvisionedThroughputExceeded at arn:aws:dynamodb')),
        },
      },
    });
    const out = await broken(
      dataRequestEvent(JSON.stringify({ operation: 'erase', subject: { authorId: '5' } }), {
        headers: officer,
      }),
    );
    expect(out.statusCode).toBe(500);
    expect(expectHouseError(out.body, 'internal')).not.toMatch(/arn|Provisioned/);
  });

  describe('a comment the classify stage is working on', () => {
    const author = '17841455500000001';
    const seedDecision = (commentId: string, extra: Record<string, unknown>) =>
      stage.clients.doc.send(
        new PutCommand({
          TableName: stage.embedded.tableNames.decisions,
          Item: {
            commentId,
            accountId: '17841400000000001',
            field: 'comments',
            action: 'hide',
            decidedAt: new Date().toISOString(),
            authorRef: authorRefFor(TEST_KEY, author),
            piiSpans: [{ type: 'phone', start: 0, end: 13 }],
            expiresAt: NOW_S() + 3600,
            ...extra,
          },
        }),
      );
    const seedRow = (commentId: string) =>
      stage.clients.doc.send(
        new PutCommand({
          TableName: stage.embedded.tableNames.piiLedger,
          Item: {
            commentId,
            index: 0,
            type: 'phone',
            start: 0,
            end: 13,
            valueRef: valueRef(TEST_KEY, 'phone', '090-1111-0000'),
            purpose: 'moderation',
            expiresAt: NOW_S() + 3600,
          },
        }),
      );
    const exists = async (table: 'decisions' | 'piiLedger', key: Record<string, unknown>) =>
      (
        await stage.clients.doc.send(
          new GetCommand({ TableName: stage.embedded.tableNames[table], Key: key }),
        )
      ).Item !== undefined;

    it('is left whole while its claim is fresh (409, the rest erased), and erased once the claim is stale', async () => {
      await resetStage(stage);
      await seedDecision('9001', { stage: 'decided', claimedBy: 'm-1', claimedAt: Date.now() });
      await seedRow('9001');
      await seedDecision('9002', { stage: 'complete' });
      await seedRow('9002');
      waits = 0;
      const busy = await callApi(stage.api, 'erase', { authorId: author });
      expect(busy.status).toBe(409);
      expect(busy.body.error).toBe('conflict');
      expect(waits).toBeGreaterThan(0);
      expect(await exists('decisions', { commentId: '9001' })).toBe(true);
      expect(await exists('piiLedger', { commentId: '9001', index: 0 })).toBe(true);
      expect(await exists('decisions', { commentId: '9002' })).toBe(false);
      expect(await exists('piiLedger', { commentId: '9002', index: 0 })).toBe(false);

      // The classifier died: its claim is older than the function's timeout.
      await seedDecision('9001', {
        stage: 'decided',
        claimedBy: 'm-1',
        claimedAt: Date.now() - 31_000,
      });
      const done = await callApi(stage.api, 'erase', { authorId: author });
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ erased: { decisions: 1, ledger: 1, audit: 0, queued: 0 } });
      const events = (await scanTable(stage.clients, stage.embedded.tableNames.audit)).filter(
        (e) => e.type === 'data_request.erase',
      );
      expect(events.map((e) => (e.what as { counts: unknown }).counts)).toEqual(
        expect.arrayContaining([
          { decisions: 1, ledger: 1, audit: 0, queued: 0 },
          { decisions: 1, ledger: 1, audit: 0, queued: 0 },
        ]),
      );
    });

    it('treats an unclaimed `decided` decision by its age', async () => {
      await resetStage(stage);
      await seedDecision('9003', { stage: 'decided' });
      expect((await callApi(stage.api, 'erase', { commentId: '9003' })).status).toBe(409);
      await seedDecision('9003', {
        stage: 'decided',
        decidedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      expect((await callApi(stage.api, 'erase', { commentId: '9003' })).status).toBe(200);
    });
  });
});

describe('dataOfficerIdentity', () => {
  const event = (userArn: string | null) =>
    ({ requestContext: { identity: { userArn } } }) as unknown as APIGatewayProxyEvent;
  const identify = dataOfficerIdentity('PolicyGuard-DataOfficerRole-ABC');

  it('accepts sessions of the data officer role only', () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/PolicyGuard-DataOfficerRole-ABC/tanaka';
    expect(identify(event(arn))).toBe(`iam:${arn}`);
    for (const other of [
      'arn:aws:sts::123456789012:assumed-role/PolicyGuard-ReviewerRole/tanaka',
      'arn:aws:sts::123456789012:assumed-role/PolicyGuard-DataOfficerRole-ABCD/tanaka',
      'arn:aws:iam::123456789012:user/PolicyGuard-DataOfficerRole-ABC',
      'arn:aws:iam::123456789012:role/PolicyGuard-DataOfficerRole-ABC',
    ]) {
      expect(identify(event(other)), other).toBeUndefined();
    }
    expect(identify(event(null))).toBeUndefined();
  });
});

describe('queue sweeper (embedded SQS)', () => {
  let stage: DataRequestStage;
  beforeAll(async () => {
    stage = await startDataRequestStage('dsrsweep');
  });
  afterAll(async () => {
    await stage?.stop();
  });

  const receive = async (url: string): Promise<Message[]> => {
    const out = await stage.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return out.Messages ?? [];
  };

  it('deletes what matches and gives every other message back at once', async () => {
    await resetStage(stage);
    const { url } = stage.embedded.queues.comments;
    await stage.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['keep-1', 'drop', 'keep-2'].map((b, i) => ({ Id: String(i), MessageBody: b })),
      }),
    );
    const sweeper = createQueueSweeper({
      sqs: stage.clients.sqs,
      queues: [{ url, maxReceiveCount: 5 }],
      waitSeconds: 0,
    });
    expect(await sweeper.sweep(async (b) => b === 'drop')).toEqual({ removed: 1, complete: true });
    // Visible again right away, not after the 60 s the sweep held them for.
    expect((await receive(url)).map((m) => m.Body).sort()).toEqual(['keep-1', 'keep-2']);
  });

  it('never costs a work-queue message its last delivery attempt; a DLQ message is just given back', async () => {
    await resetStage(stage);
    const { url, deadLetterUrl } = stage.embedded.queues.actions;
    for (const queueUrl of [url, deadLetterUrl]) {
      await stage.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }),
      );
      // Four failed deliveries already: the sweep's receive is the fifth of five.
      for (let i = 0; i < 4; i++) await receive(queueUrl);
    }
    const sweeper = createQueueSweeper({
      sqs: stage.clients.sqs,
      queues: [{ url, maxReceiveCount: 5 }, { url: deadLetterUrl }],
      waitSeconds: 0,
    });
    expect(await sweeper.sweep(async () => false)).toEqual({ removed: 0, complete: true });
    const [work] = await receive(url);
    const [dead] = await receive(deadLetterUrl);
    // A fresh copy on the work queue: first delivery again. The DLQ message kept its count.
    expect(work?.Body).toBe('x');
    expect(work?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(dead?.Body).toBe('x');
    expect(dead?.Attributes?.ApproximateReceiveCount).toBe('6');
  });

  it('reports itself incomplete when the time budget runs out, and gives everything back', async () => {
    await resetStage(stage);
    const { url } = stage.embedded.queues.comments;
    await stage.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    const sweeper = createQueueSweeper({
      sqs: stage.clients.sqs,
      queues: [{ url, maxReceiveCount: 5 }],
      waitSeconds: 0,
      budgetMs: -1,
    });
    expect(await sweeper.sweep(async () => true)).toEqual({ removed: 0, complete: false });
    expect((await receive(url)).map((m) => m.Body)).toEqual(['a']);
  });
});
