import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createQueueHealthProbe } from '../../lambdas/adapters/queue-health';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { interimHideEvent } from '../../lambdas/core/review/audit';
import {
  createReviewApi,
  createSqsReviewActions,
  identityFromContext,
  localHeaderIdentity,
  type ReviewApi,
} from '../../lambdas/handlers/review-api';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { calendar, OPEN_NOW, seed, storedDecision } from './support';

/** The console's routes of the review API, per group, on dynalite and fauxqs. */

type Claims = Record<string, string>;

const event = (
  method: string,
  path: string,
  claims: Claims | undefined,
  options: { body?: unknown; query?: Record<string, string>; rawBody?: string } = {},
): APIGatewayProxyEvent =>
  ({
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers: {},
    queryStringParameters: options.query ?? null,
    body: options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body)),
    isBase64Encoded: false,
    requestContext: { authorizer: claims ? { claims } : undefined, identity: {} },
  }) as unknown as APIGatewayProxyEvent;

const viewer: Claims = { sub: 'v-sub', name: '閲覧 花子', 'cognito:groups': 'viewer' };
const reviewer: Claims = { sub: 'r-sub', name: '確認 太郎', 'cognito:groups': '[viewer reviewer]' };
const outsider: Claims = { sub: 'o-sub', name: 'someone', 'cognito:groups': 'admins' };

const parse = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('review API routes for the staff console', () => {
  let embedded: Embedded;
  let api: ReviewApi;
  const items = {
    pending: storedDecision({ decidedAt: '2026-11-20T02:00:00.000Z' }),
    hidden: storedDecision({
      decidedAt: '2026-11-21T02:00:00.000Z',
      action: 'hide',
      actionStatus: 'dry_run',
      reviewState: undefined,
      categories: [{ id: '6', score: 0.9, evidence: [{ rule: 'c6.x', start: 0, end: 2 }] }],
    }),
    inquiry: storedDecision({
      decidedAt: '2026-11-22T02:00:00.000Z',
      action: 'allow',
      reviewState: undefined,
      categories: [],
      inquiry: true,
      redactedText: '除雪はいつ来ますか',
      piiTypes: {},
      piiSpans: [],
    }),
  };
  const id = (key: keyof typeof items) => String(items[key].commentId);

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'consoleapi' });
    api = createReviewApi({
      store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
      audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
      actions: createSqsReviewActions(embedded.sqs, embedded.queues.actions.url),
      calendar,
      auditRetentionDays: 400,
      now: () => OPEN_NOW,
      health: createQueueHealthProbe(
        embedded.sqs,
        {
          comments: {
            url: embedded.queues.comments.url,
            deadLetterUrl: embedded.queues.comments.deadLetterUrl,
          },
          actions: {
            url: embedded.queues.actions.url,
            deadLetterUrl: embedded.queues.actions.deadLetterUrl,
          },
        },
        false,
      ),
    });
    await seed(embedded, Object.values(items));
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('enforces the group per route: viewers read, reviewers act, others are refused', async () => {
    const reads: [string, Record<string, string>?][] = [
      ['/me'],
      ['/reviews'],
      ['/inquiries'],
      [`/reviews/${id('pending')}/audit`],
      ['/comments', { from: '2026-11-01', to: '2026-11-30' }],
      [`/comments/${id('pending')}`],
      ['/reports/monthly', { month: '2026-11' }],
      ['/health'],
    ];
    for (const [path, query] of reads) {
      for (const who of [viewer, reviewer]) {
        const r = await api(event('GET', `/prod${path}`, who, query ? { query } : {}));
        expect(r.statusCode, `${who.sub} GET ${path}`).toBe(200);
      }
      const refused = await api(event('GET', path, outsider, query ? { query } : {}));
      expect(refused.statusCode, `outsider GET ${path}`).toBe(403);
      expect(parse(refused.body).error).toBe('forbidden');
      const anonymous = await api(event('GET', path, undefined, query ? { query } : {}));
      expect(anonymous.statusCode).toBe(401);
      expect(parse(anonymous.body)).toEqual({
        error: 'unauthorized',
        message: 'Sign in first: this request carries no staff identity.',
      });
    }
    const acts: [string, unknown][] = [
      [`/reviews/${id('hidden')}`, { action: 'confirm', version: 0, reason: '暴言' }],
      [`/inquiries/${id('inquiry')}`, { handled: true, note: '', version: 0 }],
    ];
    for (const [path, body] of acts) {
      const r = await api(event('POST', path, viewer, { body }));
      expect(r.statusCode, `viewer POST ${path}`).toBe(403);
      expect(parse(r.body)).toEqual({
        error: 'forbidden',
        message: 'Only members of the reviewer group may do this.',
      });
    }
    const me = parse((await api(event('GET', '/me', viewer))).body);
    expect(me).toEqual({
      id: 'cognito:v-sub',
      name: '閲覧 花子',
      groups: ['viewer'],
      canAct: false,
    });
  });

  it('records the verified subject and display name, not anything in the body', async () => {
    const r = await api(
      event('POST', `/reviews/${id('hidden')}`, reviewer, {
        body: { action: 'confirm', version: 0, reason: '暴言', reviewer: 'someone-else' },
      }),
    );
    expect(r.statusCode).toBe(200);
    const detail = parse((await api(event('GET', `/comments/${id('hidden')}`, viewer))).body) as {
      decision: { reviewOutcome: Record<string, unknown> };
      audit: { actor: Record<string, unknown> }[];
    };
    expect(detail.decision.reviewOutcome).toMatchObject({
      reviewer: 'cognito:r-sub',
      reviewerName: '確認 太郎',
    });
    expect(detail.audit.map((e) => e.actor)).toEqual([
      { kind: 'staff', id: 'cognito:r-sub', name: '確認 太郎' },
    ]);
  });

  it('marks an inquiry handled with a note, once per version, and records it', async () => {
    const path = `/inquiries/${id('inquiry')}`;
    const first = await api(
      event('POST', path, reviewer, {
        body: { handled: true, note: '建設課が電話で回答', version: 0 },
      }),
    );
    expect(first.statusCode).toBe(200);
    expect(parse(first.body)).toMatchObject({ inquiryVersion: 1, handled: true });
    const stale = await api(
      event('POST', path, reviewer, { body: { handled: false, version: 0 } }),
    );
    expect(stale.statusCode).toBe(409);
    expect(parse(stale.body).error).toBe('conflict');
    const list = parse((await api(event('GET', '/inquiries', viewer))).body) as {
      items: {
        commentId: string;
        inquiryHandling?: Record<string, unknown>;
        inquiryVersion: number;
      }[];
    };
    const item = list.items.find((i) => i.commentId === id('inquiry'));
    expect(item?.inquiryVersion).toBe(1);
    expect(item?.inquiryHandling).toMatchObject({
      handled: true,
      note: '建設課が電話で回答',
      by: 'cognito:r-sub',
      byName: '確認 太郎',
    });
    const trail = parse((await api(event('GET', `/reviews/${id('inquiry')}/audit`, viewer))).body)
      .events as { type: string; why: string }[];
    expect(trail.map((e) => [e.type, e.why])).toEqual([['inquiry.handled', '建設課が電話で回答']]);
    // The trail reads by time, whatever the kind of event (event ids sort by kind).
    await createAuditStore(embedded.doc, embedded.tableNames.audit).append(
      interimHideEvent({
        commentId: id('inquiry'),
        at: new Date(OPEN_NOW.getTime() - 3_600_000),
        policyVersion: '2025-08-20.0',
        rule: 'office-hours/off-hours-hide',
        why: 'closed',
        retentionDays: 400,
      }),
    );
    const ordered = parse((await api(event('GET', `/comments/${id('inquiry')}`, viewer))).body)
      .audit as { type: string }[];
    expect(ordered.map((e) => e.type)).toEqual(['system.interim_hide', 'inquiry.handled']);
    // Only inquiries can be marked.
    const notInquiry = await api(
      event('POST', `/inquiries/${id('pending')}`, reviewer, {
        body: { handled: true, version: 0 },
      }),
    );
    expect(notInquiry.statusCode).toBe(404);
  });

  it('searches decisions and serves a comment with its personal-data types, never positions', async () => {
    const found = parse(
      (
        await api(
          event('GET', '/comments', viewer, {
            query: { from: '2026-11-01', to: '2026-11-30', action: 'hide', category: '6' },
          }),
        )
      ).body,
    ) as { total: number; items: { commentId: string }[] };
    expect(found.items.map((i) => i.commentId)).toEqual([id('hidden')]);
    expect(found.total).toBe(1);
    const bad = await api(event('GET', '/comments', viewer, { query: { from: 'x', to: 'y' } }));
    expect(bad.statusCode).toBe(400);
    expect(parse(bad.body)).toEqual({
      error: 'bad_request',
      message:
        'from: a JST date YYYY-MM-DD; to: a JST date YYYY-MM-DD; from: no such date; to: no such date',
    });
    const detail = await api(event('GET', `/comments/${id('pending')}`, viewer));
    const body = parse(detail.body) as { decision: Record<string, unknown> };
    expect(body.decision.piiTypes).toEqual({ phone: 1 });
    expect(detail.body).not.toContain('piiSpans');
    expect(detail.body).not.toContain('authorRef');
    expect((await api(event('GET', '/comments/17000000000000000', viewer))).statusCode).toBe(404);
  });

  it('serves the monthly report as JSON and CSV, and refuses a bad month', async () => {
    const json = parse(
      (await api(event('GET', '/reports/monthly', viewer, { query: { month: '2026-11' } }))).body,
    ) as { total: number; byAction: Record<string, number> };
    expect(json.total).toBeGreaterThanOrEqual(3);
    const csv = await api(
      event('GET', '/reports/monthly', viewer, { query: { month: '2026-11', format: 'csv' } }),
    );
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain(`判定件数,${json.total}`);
    const bad = await api(
      event('GET', '/reports/monthly', viewer, { query: { month: '2026-13' } }),
    );
    expect(parse(bad.body)).toEqual({ error: 'bad_request', message: 'month must be YYYY-MM.' });
  });

  it('reports health from the queues and the newest decision', async () => {
    const health = parse((await api(event('GET', '/health', viewer))).body);
    expect(health).toMatchObject({
      status: 'ok',
      actMode: 'dry_run',
      policyVersion: '2025-08-20.0',
      classifierVersion: '1.0.0',
      queues: { comments: { deadLetters: 0 }, actions: { deadLetters: 0 } },
    });
    expect(health.lastDecidedAt).toBe('2026-11-22T02:00:00.000Z');
  });

  it('refuses oversized bodies and unknown methods in the house error shape', async () => {
    const big = await api(
      event('POST', `/reviews/${id('pending')}`, reviewer, { rawBody: 'x'.repeat(17 * 1024) }),
    );
    expect(big.statusCode).toBe(413);
    expect(parse(big.body).error).toBe('payload_too_large');
    const wrong = await api(event('POST', '/health', reviewer));
    expect(parse(wrong.body)).toEqual({
      error: 'method_not_allowed',
      message: 'This address does not take that method.',
    });
  });
});

describe('identities', () => {
  it('takes the Cognito claims and nothing else; a token without groups reads nothing', () => {
    const e = (claims?: Record<string, unknown>, headers: Record<string, string> = {}) =>
      ({ headers, requestContext: { authorizer: claims ? { claims } : undefined } }) as never;
    expect(
      identityFromContext(e({ sub: 's', email: 'a@city.example', 'cognito:groups': 'viewer' })),
    ).toEqual({
      id: 'cognito:s',
      name: 'a@city.example',
      groups: ['viewer'],
    });
    expect(identityFromContext(e({ sub: 's' }))?.groups).toEqual([]);
    expect(identityFromContext(e(undefined, { 'x-reviewer': 'mallory' }))).toBeUndefined();
  });

  it('locally: a percent-encoded name and a role header; anything odd is no identity', () => {
    const e = (headers: Record<string, string>) => ({ headers }) as never;
    expect(localHeaderIdentity(e({ 'x-reviewer': encodeURIComponent('田中 一郎') }))).toEqual({
      id: 'local:田中 一郎',
      name: '田中 一郎',
      groups: ['reviewer'],
    });
    expect(
      localHeaderIdentity(e({ 'X-Reviewer': 'sato', 'x-staff-role': 'viewer' }))?.groups,
    ).toEqual(['viewer']);
    for (const bad of ['%E7%94', '<script>', 'a'.repeat(65), '', 'a\nb']) {
      expect(localHeaderIdentity(e({ 'x-reviewer': bad })), bad).toBeUndefined();
    }
  });
});
