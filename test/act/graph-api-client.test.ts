import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import {
  createModerationPort,
  GRAPH_API_VERSION,
  GraphApiClient,
  InvalidCommentIdError,
} from '../../lambdas/adapters/graph-api-client';
import { createCachedTokenSource } from '../../lambdas/adapters/graph-token';
import {
  type FakeGraphApi,
  graphError,
  isModerationRequest,
  startFakeGraphApi,
} from '../support/fake-graph-api';

const TOKEN = 'page-token-1';

describe('Graph API client against the local fake', () => {
  let graph: FakeGraphApi;
  let client: GraphApiClient;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ token: TOKEN });
    client = new GraphApiClient({ baseUrl: graph.url, timeoutMs: 2000 });
  });
  afterAll(async () => {
    expect(graph.requests.every(isModerationRequest)).toBe(true);
    await graph.stop();
  });
  beforeEach(() => graph.reset());

  it('hides with POST /v25.0/{id}?hide=true and the token in a header, not the URL', async () => {
    expect(await client.hideComment('1790001', TOKEN)).toEqual({ ok: true });
    expect(graph.requests).toEqual([
      {
        method: 'POST',
        path: `/${GRAPH_API_VERSION}/1790001`,
        query: { hide: 'true' },
        authorization: `Bearer ${TOKEN}`,
        contentType: undefined,
        body: '',
      },
    ]);
    expect(graph.hidden.has('1790001')).toBe(true);
  });

  it('unhides with POST /v25.0/{id}?hide=false (no body, token in a header): visible again', async () => {
    expect(await client.hideComment('1790010', TOKEN)).toEqual({ ok: true });
    expect(await client.unhideComment('1790010', TOKEN)).toEqual({ ok: true });
    expect(graph.requests.at(-1)).toEqual({
      method: 'POST',
      path: `/${GRAPH_API_VERSION}/1790010`,
      query: { hide: 'false' },
      authorization: `Bearer ${TOKEN}`,
      contentType: undefined,
      body: '',
    });
    expect(graph.hidden.has('1790010')).toBe(false);
  });

  it('unhide of a deleted comment answers "does not exist"', async () => {
    expect(await client.deleteComment('1790011', TOKEN)).toEqual({ ok: true });
    expect(await client.unhideComment('1790011', TOKEN)).toMatchObject({
      ok: false,
      failure: { kind: 'graph', code: 100, subcode: 33 },
    });
  });

  it('deletes with DELETE /v25.0/{id}; a second delete answers "does not exist"', async () => {
    expect(await client.deleteComment('1790002', TOKEN)).toEqual({ ok: true });
    const again = await client.deleteComment('1790002', TOKEN);
    expect(again).toMatchObject({
      ok: false,
      failure: { kind: 'graph', code: 100, subcode: 33, type: 'OAuthException', httpStatus: 400 },
    });
    expect(graph.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it.each([1, 2, 4, 17, 32, 80002, 10, 100, 190])(
    'parses the documented error body for code %i',
    async (code) => {
      graph.enqueue(graphError(code));
      const result = await client.hideComment('1790003', TOKEN);
      expect(result.ok).toBe(false);
      if (!result.ok && result.failure.kind === 'graph') {
        expect(result.failure.code).toBe(code);
        expect(result.failure.fbtraceId).toMatch(/^AFakeTrace/);
      }
    },
  );

  it('returns the usage Meta reports in X-Business-Use-Case-Usage', async () => {
    graph.setUsage({ callCount: 42, totalTime: 91, totalCputime: 10, regainMinutes: 0 });
    expect(await client.hideComment('1790004', TOKEN)).toEqual({
      ok: true,
      usage: { usagePercent: 91, regainAccessMinutes: 0 },
    });
  });

  it('a wrong token answers 190; the moderation port then re-reads the secret', async () => {
    let reads = 0;
    let secret = 'old-token';
    const tokens = createCachedTokenSource(async () => {
      reads++;
      return secret;
    });
    const port = createModerationPort(client, tokens);
    const first = await port.hide('1790005');
    expect(first).toMatchObject({ ok: false, failure: { code: 190 } });
    secret = TOKEN;
    expect(await port.hide('1790005')).toEqual({ ok: true });
    expect(reads).toBe(2);
    // One request per call: the 190 itself is not retried.
    expect(graph.requests).toHaveLength(2);
  });

  it('a slow answer is a network timeout, a refused connection a connection failure', async () => {
    graph.enqueue({ status: 200, body: { success: true }, delayMs: 500 });
    const slow = new GraphApiClient({ baseUrl: graph.url, timeoutMs: 50 });
    expect(await slow.hideComment('1790006', TOKEN)).toEqual({
      ok: false,
      failure: { kind: 'network', reason: 'timeout' },
    });
    const closed = new GraphApiClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
    expect(await closed.hideComment('1790006', TOKEN)).toEqual({
      ok: false,
      failure: { kind: 'network', reason: 'connection' },
    });
  });

  it('treats a non-JSON 5xx as an HTTP failure without a code', async () => {
    graph.enqueue({ status: 502, body: '<html>bad gateway</html>' });
    expect(await client.deleteComment('1790007', TOKEN)).toEqual({
      ok: false,
      failure: { kind: 'graph', httpStatus: 502 },
    });
  });

  it('refuses ids that are not Graph ids before any request', async () => {
    await expect(client.hideComment('1/replies', TOKEN)).rejects.toBeInstanceOf(
      InvalidCommentIdError,
    );
    await expect(client.deleteComment('../me', TOKEN)).rejects.toBeInstanceOf(
      InvalidCommentIdError,
    );
    await expect(client.unhideComment('1?message=x', TOKEN)).rejects.toBeInstanceOf(
      InvalidCommentIdError,
    );
    expect(graph.requests).toHaveLength(0);
  });

  it('accepts https, and http only on loopback', () => {
    expect(() => new GraphApiClient({ baseUrl: 'https://graph.facebook.com' })).not.toThrow();
    expect(() => new GraphApiClient({ baseUrl: 'http://graph.facebook.com' })).toThrow(
      ConfigurationError,
    );
    expect(() => new GraphApiClient({ baseUrl: 'https://graph.facebook.com/v1.0' })).toThrow(
      ConfigurationError,
    );
    expect(() => new GraphApiClient({ baseUrl: 'not a url' })).toThrow(ConfigurationError);
  });

  it('has no method that could create content: hide, unhide and delete are the only calls', () => {
    const methods = Object.getOwnPropertyNames(GraphApiClient.prototype).filter(
      (name) => name !== 'constructor',
    );
    expect(methods.sort()).toEqual(['deleteComment', 'hideComment', 'unhideComment']);
    const port = createModerationPort(
      client,
      createCachedTokenSource(async () => TOKEN),
    );
    expect(Object.keys(port).sort()).toEqual(['delete', 'hide', 'unhide']);
  });
});
