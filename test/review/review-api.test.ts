import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { actionMessageSchema } from '../../lambdas/core/contracts/decision';
import {
  createReviewApi,
  createSqsReviewActions,
  localHeaderIdentity,
  type ReviewApi,
} from '../../lambdas/handlers/review-api';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { type Client, formatItems, listInquiries, listQueue, submit } from '../../local/review';
import { calendar, OPEN_NOW, seed, storedDecision } from './support';

const event = (
  method: string,
  path: string,
  options: {
    body?: unknown;
    query?: Record<string, string>;
    claims?: Record<string, string>;
    userArn?: string;
  } = {},
): APIGatewayProxyEvent =>
  ({
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers: {},
    queryStringParameters: options.query ?? null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      authorizer: options.claims ? { claims: options.claims } : undefined,
      identity: { userArn: options.userArn ?? null },
    },
  }) as unknown as APIGatewayProxyEvent;

const alice = { claims: { sub: 'alice-sub', name: 'Alice', 'cognito:groups': 'reviewer' } };
const bob = {
  claims: { sub: 'bob-sub', name: '山田 太郎', 'cognito:groups': '[viewer reviewer]' },
};

describe('review API (API Gateway proxy handler) on dynalite and fauxqs', () => {
  let embedded: Embedded;
  let api: ReviewApi;
  const items = {
    hiddenOffHours: storedDecision({
      decidedAt: '2026-11-21T03:00:00.000Z',
      interimAction: 'hide',
      actionStatus: 'done',
    }),
    pending: storedDecision({ decidedAt: '2026-11-22T03:00:00.000Z' }),
    machineHidden: storedDecision({
      decidedAt: '2026-11-23T03:00:00.000Z',
      action: 'hide',
      actionStatus: 'done',
      reviewState: undefined,
    }),
    inquiry: storedDecision({
      decidedAt: '2026-11-24T03:00:00.000Z',
      action: 'allow',
      reviewState: undefined,
      categories: [],
      inquiry: true,
      redactedText: 'ゴミの収集日はいつですか',
    }),
  };

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'reviewapi' });
    api = createReviewApi({
      store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
      audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
      actions: createSqsReviewActions(embedded.sqs, embedded.queues.actions.url),
      calendar,
      auditRetentionDays: 400,
      now: () => OPEN_NOW,
    });
    await seed(embedded, Object.values(items));
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('refuses requests without an authenticated principal', async () => {
    const response = await api(event('GET', '/reviews'));
    expect(response.statusCode).toBe(401);
  });

  it('GET /reviews: oldest first, redacted, with the version to review against', async () => {
    const response = await api(event('GET', '/prod/reviews', { ...alice, query: { limit: '2' } }));
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.items.map((i: { commentId: string }) => i.commentId)).toEqual([
      items.hiddenOffHours.commentId,
      items.pending.commentId,
    ]);
    expect(body.items[0]).toMatchObject({ version: 0, visibility: 'hidden', queue: 'pending' });
    expect(response.body).not.toContain('authorRef');
    const next = await api(
      event('GET', '/reviews', { ...alice, query: { limit: '2', after: body.next } }),
    );
    expect(JSON.parse(next.body).items.map((i: { commentId: string }) => i.commentId)).toEqual([
      items.machineHidden.commentId,
    ]);
    const bad = await api(event('GET', '/reviews', { ...alice, query: { after: 'xyz' } }));
    expect(bad.statusCode).toBe(400);
  });

  it('GET /inquiries lists questions for the department', async () => {
    const response = await api(event('GET', '/inquiries', alice));
    const body = JSON.parse(response.body);
    expect(body.items.map((i: { commentId: string }) => i.commentId)).toEqual([
      items.inquiry.commentId,
    ]);
    expect(body.items[0].redactedText).toBe('ゴミの収集日はいつですか');
  });

  it('POST approve → 200, unhide for the act stage; again → 409 duplicate; stale → 409', async () => {
    const id = String(items.hiddenOffHours.commentId);
    const approve = { action: 'approve', version: 0, reason: '問題のない意見' };
    const first = await api(event('POST', `/reviews/${id}`, { ...alice, body: approve }));
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({
      version: 1,
      finalAction: 'allow',
      instagram: 'unhide',
    });
    const again = await api(event('POST', `/reviews/${id}`, { ...alice, body: approve }));
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(again.body)).toEqual({
      error: 'conflict',
      message: 'This review was already recorded as version 1.',
    });
    const stale = await api(
      event('POST', `/reviews/${id}`, {
        ...bob,
        body: { action: 'confirm', version: 0, reason: '広告' },
      }),
    );
    expect(stale.statusCode).toBe(409);
    expect(JSON.parse(stale.body)).toEqual({
      error: 'conflict',
      message:
        'Someone changed this comment since you loaded it (now version 1): reload it and review again.',
    });

    const trail = await api(event('GET', `/reviews/${id}/audit`, alice));
    const events = JSON.parse(trail.body).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'staff', id: 'cognito:alice-sub', name: 'Alice' },
      why: '問題のない意見',
      type: 'review.approve',
    });

    const received = await embedded.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: embedded.queues.actions.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(messages).toEqual([
      expect.objectContaining({ commentId: id, action: 'unhide', field: 'comments' }),
    ]);
    // Everything but the new action fits today's act-stage contract.
    expect(actionMessageSchema.safeParse({ ...messages[0], action: 'hide' }).success).toBe(true);
  });

  it('maps bad input to 400 and unknown comments to 404, with no detail of internals', async () => {
    const pending = String(items.pending.commentId);
    const cases: [APIGatewayProxyEvent, number][] = [
      [event('POST', `/reviews/${pending}`, { ...alice, body: { action: 'approve' } }), 400],
      [event('POST', `/reviews/${pending}`, { ...alice, body: 'not json' }), 400],
      [
        event('POST', `/reviews/${pending}`, {
          ...alice,
          body: { action: 'delete-everything', version: 0, reason: 'x' },
        }),
        400,
      ],
      [
        event('POST', '/reviews/17000000000099999', {
          ...alice,
          body: { action: 'approve', version: 0, reason: 'x' },
        }),
        404,
      ],
      [event('POST', '/reviews/../../etc', { ...alice, body: {} }), 404],
      [event('GET', '/nothing', alice), 404],
      [event('DELETE', '/reviews', alice), 405],
      [event('GET', `/reviews/${pending}`, alice), 405],
      [event('GET', '/reviews', { ...alice, query: { since: 'yesterday' } }), 400],
      [event('GET', '/inquiries', { ...alice, query: { since: 'yesterday' } }), 400],
      [event('GET', '/inquiries', { ...alice, query: { since: '2025-02-30' } }), 400],
      [event('GET', '/reviews', { ...alice, query: { limit: '0' } }), 400],
      [event('GET', '/reviews'), 401],
    ];
    const codes: Record<number, string> = {
      400: 'bad_request',
      401: 'unauthorized',
      404: 'not_found',
      405: 'method_not_allowed',
    };
    for (const [request, status] of cases) {
      const response = await api(request);
      const what = `${request.httpMethod} ${request.path}`;
      expect(response.statusCode, what).toBe(status);
      expect(response.body).not.toMatch(/stack|Exception|dynamo/i);
      // The project's one error shape: a code and one sentence, nothing else.
      const body = JSON.parse(response.body);
      expect(Object.keys(body).sort(), what).toEqual(['error', 'message']);
      expect(body.error, what).toBe(codes[status]);
      expect(body.message, what).toMatch(/\S/);
    }
  });

  it('says what is wrong with a review body, field by field, without echoing it', async () => {
    const pending = String(items.pending.commentId);
    const post = async (body: unknown) =>
      JSON.parse((await api(event('POST', `/reviews/${pending}`, { ...alice, body }))).body);
    const missing = await post({ action: 'approve', reason: '理由' });
    expect(missing.message).toMatch(/^version: .*number/i);
    const duplicate = await post({
      action: 'reclassify',
      version: 0,
      reason: '理由',
      categories: ['4', '4'],
      outcome: 'hide',
    });
    expect(duplicate.message).toBe('categories: duplicate category');
    const noCategory = await post({
      action: 'reclassify',
      version: 0,
      reason: '理由',
      categories: [],
      outcome: 'delete',
    });
    expect(noCategory.message).toBe(
      'categories: hiding or deleting needs at least one article 6 category',
    );
    const secret = 'ひみつの電話番号09012345678';
    const wrongType = await post({ action: 'approve', version: secret, reason: '理由' });
    expect(wrongType.message).toMatch(/^version: /);
    expect(JSON.stringify(wrongType)).not.toContain('09012345678');
  });

  it('reads since the same way on the queue and the inquiries (a date is midnight in Japan)', async () => {
    const all = JSON.parse((await api(event('GET', '/reviews', alice))).body).items as {
      commentId: string;
      decidedAt: string;
    }[];
    expect(all.length).toBeGreaterThan(1);
    const cut = all[1]?.decidedAt ?? '';
    const later = JSON.parse(
      (await api(event('GET', '/reviews', { ...alice, query: { since: cut } }))).body,
    ).items as { decidedAt: string }[];
    expect(later.length).toBe(all.filter((i) => i.decidedAt >= cut).length);
    expect(later.every((i) => i.decidedAt >= cut)).toBe(true);
    const future = { ...alice, query: { since: '2999-01-01' } };
    expect(JSON.parse((await api(event('GET', '/reviews', future))).body).items).toEqual([]);
    expect(JSON.parse((await api(event('GET', '/inquiries', future))).body).items).toEqual([]);
    const past = { ...alice, query: { since: '2000-01-01' } };
    expect(JSON.parse((await api(event('GET', '/inquiries', past))).body).items.length).toBe(1);
  });

  describe('npm run review against a real HTTP server', () => {
    let server: Server;
    let client: Client;

    beforeAll(async () => {
      // The same API Gateway proxy mapping the local runtime does, reduced to what the API reads.
      const local = createReviewApi({
        store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
        audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
        actions: createSqsReviewActions(embedded.sqs, embedded.queues.actions.url),
        calendar,
        auditRetentionDays: 400,
        now: () => OPEN_NOW,
        identify: localHeaderIdentity,
      });
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const result = await local({
          httpMethod: req.method ?? 'GET',
          path: url.pathname,
          headers: req.headers as Record<string, string>,
          queryStringParameters: Object.fromEntries(url.searchParams),
          body: chunks.length ? Buffer.concat(chunks).toString('utf8') : null,
          isBase64Encoded: false,
          requestContext: {},
        } as unknown as APIGatewayProxyEvent);
        res.writeHead(result.statusCode, result.headers as Record<string, string>);
        res.end(result.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      client = {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
        reviewer: 'tanaka',
      };
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('lists the queue and confirms a comment, recorded under the local reviewer', async () => {
      const { items: queue } = await listQueue(client);
      const target = queue.find((i) => i.commentId === items.machineHidden.commentId);
      expect(target).toBeDefined();
      const printed = formatItems(queue);
      expect(printed).toContain(String(items.machineHidden.commentId));
      expect(printed).toContain('詳しくは［URL］へ');
      const result = await submit(client, String(items.machineHidden.commentId), {
        action: 'confirm',
        version: target?.version,
        reason: '宣伝',
      });
      expect(result).toMatchObject({ finalAction: 'hide', instagram: 'none' });
      const trail = await api(
        event('GET', `/reviews/${items.machineHidden.commentId}/audit`, alice),
      );
      expect(JSON.parse(trail.body).events[0].actor.id).toBe('local:tanaka');
      const inquiries = await listInquiries(client);
      expect(inquiries.items).toHaveLength(1);
    });
  });
});
