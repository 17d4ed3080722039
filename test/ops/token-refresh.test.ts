import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import { createModerationPort, GraphApiClient } from '../../lambdas/adapters/graph-api-client';
import { GraphReadClient } from '../../lambdas/adapters/graph-read-client';
import { secretsManagerTokenSource } from '../../lambdas/adapters/graph-token';
import { createTokenSecret } from '../../lambdas/adapters/graph-token-secret';
import { recordingOpsMetrics } from '../../lambdas/adapters/ops-metrics';
import {
  DEFAULT_TOKEN_REFRESH_CONFIG,
  MIN_REFRESH_AGE_MS,
  planTokenRefresh,
} from '../../lambdas/core/ops/token-refresh';
import {
  createTokenRefreshHandler,
  tokenRefreshDepsFromEnv,
} from '../../lambdas/handlers/token-refresh';
import { type FakeGraphApi, startFakeGraphApi } from '../support/fake-graph-api';
import { createFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager';

const DAY = 86_400_000;
const ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:graph-token';
const SILENT = new Logger({ logLevel: 'SILENT' });

describe('token refresh: when', () => {
  const config = DEFAULT_TOKEN_REFRESH_CONFIG;
  const now = Date.parse('2026-12-01T00:00:00.000Z');

  it('never refreshes a token under 24 hours old or already expired, and always refreshes one due (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 90 * DAY }),
        fc.option(fc.integer({ min: -10 * DAY, max: 70 * DAY }), { nil: undefined }),
        fc.constantFrom<'instagram' | 'facebook'>('instagram', 'facebook'),
        (age, left, loginType) => {
          const token = {
            storedAt: now - age,
            ...(left !== undefined ? { expiresAt: now + left } : {}),
          };
          const plan = planTokenRefresh(token, now, { ...config, loginType });
          const expired = left !== undefined && left <= 0;
          const young = age < MIN_REFRESH_AGE_MS;
          const due = left === undefined || Math.floor(left / DAY) <= config.refreshWhenDaysLeft;
          const expected =
            loginType === 'instagram' && !expired && !young && due ? 'refresh' : 'skip';
          expect(plan.kind).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('token refresh function against the fake Graph API and a Secrets Manager stand-in', () => {
  let graph: FakeGraphApi;
  let secrets: FakeSecretsManager;
  const now = Date.parse('2026-12-01T00:00:00.000Z');

  beforeAll(async () => {
    graph = await startFakeGraphApi({ token: 'unused' });
    graph.setClock(() => now);
  });
  afterAll(async () => {
    await graph.stop();
  });
  beforeEach(() => {
    graph.reset();
    secrets = createFakeSecretsManager();
    secrets.setClock(() => now);
  });

  const handlerFor = (loginType: 'instagram' | 'facebook' = 'instagram') => {
    const metrics = recordingOpsMetrics();
    const client = new GraphReadClient({ baseUrl: graph.url, timeoutMs: 2000 });
    const handler = createTokenRefreshHandler({
      secret: createTokenSecret(secrets, ARN),
      refresh: (token) => client.refreshAccessToken(token),
      config: { ...DEFAULT_TOKEN_REFRESH_CONFIG, loginType },
      metrics,
      logger: SILENT,
      now: () => now,
    });
    return { handler, metrics };
  };
  const stored = () => JSON.parse(secrets.current(ARN)?.value ?? '{}') as Record<string, unknown>;

  it('stores the refreshed token with its new expiry; the act stage then uses it', async () => {
    graph.issueToken('long-lived-1', { issuedAt: now - 20 * DAY, expiresAt: now + 40 * DAY });
    secrets.seed(
      ARN,
      JSON.stringify({ accessToken: 'long-lived-1', note: 'set by ops' }),
      new Date(now - 20 * DAY),
    );
    const { handler, metrics } = handlerFor();
    const report = await handler();
    expect(report).toEqual({ plan: { kind: 'refresh' }, refreshed: true, daysLeft: 60 });
    const secret = stored();
    expect(secret.accessToken).not.toBe('long-lived-1');
    expect(secret).toMatchObject({
      expiresAt: new Date(now + 60 * DAY).toISOString(),
      refreshedAt: new Date(now).toISOString(),
      note: 'set by ops',
    });
    expect(graph.tokenLife(String(secret.accessToken))?.expiresAt).toBe(now + 60 * DAY);
    expect(metrics.values.get('GraphTokenRefreshed')).toEqual([1]);
    expect(metrics.values.get('GraphTokenDaysLeft')).toEqual([60]);
    expect(metrics.values.get('GraphTokenRefreshFailed')).toBeUndefined();

    // The act stage reads the secret and calls Meta with the new token, which Meta accepts.
    graph.setToken(String(secret.accessToken));
    const moderation = createModerationPort(
      new GraphApiClient({ baseUrl: graph.url }),
      secretsManagerTokenSource(secrets, ARN),
    );
    expect(await moderation.hide('1790777')).toMatchObject({ ok: true });
  });

  it('counts a refresh Meta refuses (GraphTokenRefreshFailed), keeps the secret and reports the days left', async () => {
    // Revoked at Meta (the user changed a password): 190.
    secrets.seed(
      ARN,
      JSON.stringify({ accessToken: 'revoked', expiresAt: new Date(now + 12 * DAY).toISOString() }),
      new Date(now - 48 * DAY),
    );
    const before = secrets.current(ARN);
    const { handler, metrics } = handlerFor();
    const report = await handler();
    expect(report).toMatchObject({ refreshed: false, errorCode: '190/463', daysLeft: 12 });
    expect(secrets.current(ARN)).toBe(before);
    expect(metrics.values.get('GraphTokenRefreshFailed')).toEqual([1]);
    expect(metrics.values.get('GraphTokenDaysLeft')).toEqual([12]);
  });

  it('fails the invocation when the new token cannot be stored (Lambda retries; Errors alarms)', async () => {
    graph.issueToken('long-lived-2', { issuedAt: now - 20 * DAY, expiresAt: now + 40 * DAY });
    secrets.seed(ARN, JSON.stringify({ accessToken: 'long-lived-2' }), new Date(now - 20 * DAY));
    secrets.failNext('PutSecretValue', 'InternalServiceError');
    const { handler, metrics } = handlerFor();
    await expect(handler()).rejects.toMatchObject({ name: 'InternalServiceError' });
    expect(metrics.values.get('GraphTokenRefreshFailed')).toEqual([1]);
    // The old token is untouched and still valid at Meta.
    expect(stored().accessToken).toBe('long-lived-2');
  });

  it('leaves a token stored less than 24 hours ago, and a fresh one, without calling Meta', async () => {
    secrets.seed(ARN, JSON.stringify({ accessToken: 'just-put' }), new Date(now - 3_600_000));
    expect(await handlerFor().handler()).toMatchObject({
      plan: { kind: 'skip', reason: 'too_young' },
    });
    secrets.seed(
      ARN,
      JSON.stringify({ accessToken: 'fresh', expiresAt: new Date(now + 55 * DAY).toISOString() }),
      new Date(now - 5 * DAY),
    );
    const { handler, metrics } = handlerFor();
    expect(await handler()).toMatchObject({ plan: { reason: 'fresh' }, daysLeft: 55 });
    expect(metrics.values.get('GraphTokenDaysLeft')).toEqual([55]);
    expect(graph.requests).toHaveLength(0);
  });

  it('only watches the recorded expiry of a Facebook-login token (no refresh call exists for it)', async () => {
    secrets.seed(
      ARN,
      JSON.stringify({
        accessToken: 'page-token',
        expiresAt: new Date(now + 8 * DAY).toISOString(),
      }),
      new Date(now - 52 * DAY),
    );
    const { handler, metrics } = handlerFor('facebook');
    expect(await handler()).toMatchObject({
      plan: { kind: 'skip', reason: 'not_refreshable' },
      daysLeft: 8,
    });
    expect(metrics.values.get('GraphTokenDaysLeft')).toEqual([8]);
    expect(graph.requests).toHaveLength(0);
  });

  it('refuses a secret without a token, naming nothing in it', async () => {
    secrets.seed(ARN, JSON.stringify({ token: 'wrong-field' }), new Date(now - 5 * DAY));
    await expect(handlerFor().handler()).rejects.toMatchObject({
      name: 'GraphTokenError',
      message: expect.not.stringContaining('wrong-field'),
    });
  });

  it('needs the secret and the login type in its configuration', () => {
    expect(() => tokenRefreshDepsFromEnv({ GRAPH_LOGIN_TYPE: 'instagram' })).toThrow(
      ConfigurationError,
    );
    expect(() => tokenRefreshDepsFromEnv({ GRAPH_TOKEN_SECRET_ARN: ARN })).toThrow(
      /GRAPH_LOGIN_TYPE/,
    );
  });
});
