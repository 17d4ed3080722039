import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import { GRAPH_API_VERSION, graphBaseUrlFromEnv } from '../../lambdas/adapters/graph-api-client';
import { GraphReadClient, InvalidGraphIdError } from '../../lambdas/adapters/graph-read-client';
import { type FakeGraphApi, startFakeGraphApi } from '../support/fake-graph-api';

const TOKEN = 'read-token';
const HOUR = 3600_000;

describe('Graph read client against the local fake', () => {
  let graph: FakeGraphApi;
  let client: GraphReadClient;
  const now = Date.parse('2026-12-01T00:00:00.000Z');

  beforeAll(async () => {
    graph = await startFakeGraphApi({ token: TOKEN });
    graph.setClock(() => now);
    client = new GraphReadClient({ baseUrl: graph.url, timeoutMs: 2000 });
  });
  afterAll(async () => {
    // Reads only: nothing was ever hidden, deleted or created.
    expect(graph.history.every((r) => r.method === 'GET')).toBe(true);
    await graph.stop();
  });
  beforeEach(() => graph.reset());

  it('lists comments with the token in a header and the fields the sweep needs', async () => {
    graph.addMedia({ id: '1800001', timestamp: new Date(now).toISOString() });
    graph.addComments({
      id: '1790001',
      mediaId: '1800001',
      text: '留萌の夕日',
      timestamp: new Date(now - HOUR).toISOString(),
      from: { id: '42', username: 'someone' },
    });
    const result = await client.listComments('1800001', TOKEN, { limit: 10 });
    expect(result).toEqual({
      ok: true,
      value: {
        items: [
          {
            id: '1790001',
            text: '留萌の夕日',
            createdAt: now - HOUR,
            from: { id: '42', username: 'someone' },
          },
        ],
        dropped: 0,
      },
    });
    const [request] = graph.requests;
    expect(request?.path).toBe(`/${GRAPH_API_VERSION}/1800001/comments`);
    expect(request?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.query).toEqual({
      fields:
        'id,text,timestamp,from{id,username},parent_id,replies{id,text,timestamp,from{id,username},parent_id}',
      limit: '10',
    });
  });

  it('takes the next cursor only when Meta announced a next page, and never follows the next URL', async () => {
    graph.enqueue(
      {
        status: 200,
        body: {
          data: [
            { id: 'not-an-id', text: 'x' },
            { id: '1790002', timestamp: 'yesterday' },
            { id: '1790003' },
          ],
          paging: {
            cursors: { after: 'CURSOR' },
            next: 'https://elsewhere.example/next?access_token=x',
          },
        },
      },
      { status: 200, body: { data: [], paging: { cursors: { after: 'END' } } } },
    );
    const first = await client.listComments('1800001', TOKEN, { limit: 3 });
    expect(first).toMatchObject({ ok: true, value: { after: 'CURSOR', dropped: 2 } });
    expect(first.ok && first.value.items.map((c) => c.id)).toEqual(['1790003']);
    const last = await client.listComments('1800001', TOKEN, { limit: 3, after: 'CURSOR' });
    expect(last).toEqual({ ok: true, value: { items: [], dropped: 0 } });
    expect(graph.requests[1]?.query.after).toBe('CURSOR');
    expect(graph.requests.every((r) => r.path.startsWith(`/${GRAPH_API_VERSION}/`))).toBe(true);
  });

  it('reports a 200 that is not what the call returns as a failure, never as data', async () => {
    graph.enqueue({ status: 200, body: ['no', 'object'] });
    expect(await client.getComment('1790004', TOKEN)).toMatchObject({
      ok: false,
      failure: { kind: 'graph', httpStatus: 200 },
    });
  });

  it('refuses an id that is not a Graph id before any request', () => {
    expect(() => client.getComment('../me', TOKEN)).toThrow(InvalidGraphIdError);
    expect(graph.requests).toHaveLength(0);
  });

  it('refreshes a long-lived token as documented: GET, token in the query, 60 days', async () => {
    graph.issueToken('long-lived', {
      issuedAt: now - 30 * 24 * HOUR,
      expiresAt: now + 30 * 24 * HOUR,
    });
    const result = await client.refreshAccessToken('long-lived');
    expect(result).toMatchObject({ ok: true, value: { expiresInSeconds: 60 * 86_400 } });
    const fresh = result.ok ? result.value.accessToken : '';
    expect(graph.tokenLife(fresh)?.expiresAt).toBe(now + 60 * 86_400_000);
    expect(graph.requests[0]).toMatchObject({
      method: 'GET',
      path: '/refresh_access_token',
      query: { grant_type: 'ig_refresh_token', access_token: 'long-lived' },
      authorization: undefined,
    });
  });

  it('gets Meta’s refusal for a token under 24 hours old or expired', async () => {
    graph.issueToken('young', { issuedAt: now - HOUR, expiresAt: now + 59 * 24 * HOUR });
    graph.issueToken('expired', { issuedAt: now - 61 * 24 * HOUR, expiresAt: now - HOUR });
    expect(await client.refreshAccessToken('young')).toMatchObject({
      ok: false,
      failure: { code: 100 },
    });
    expect(await client.refreshAccessToken('expired')).toMatchObject({
      ok: false,
      failure: { code: 190 },
    });
  });
});

describe('Graph host by login type', () => {
  it('is graph.instagram.com for Instagram Login and graph.facebook.com for Facebook Login', () => {
    expect(graphBaseUrlFromEnv({ GRAPH_LOGIN_TYPE: 'instagram' })).toBe(
      'https://graph.instagram.com',
    );
    expect(graphBaseUrlFromEnv({ GRAPH_LOGIN_TYPE: 'facebook' })).toBe(
      'https://graph.facebook.com',
    );
  });

  it('lets an explicit base URL win (the local fake) and has no default', () => {
    expect(
      graphBaseUrlFromEnv({
        GRAPH_LOGIN_TYPE: 'instagram',
        GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
      }),
    ).toBe('http://127.0.0.1:9');
    expect(graphBaseUrlFromEnv({})).toBeUndefined();
    expect(() => graphBaseUrlFromEnv({ GRAPH_LOGIN_TYPE: 'Instagram ' })).toThrow(
      ConfigurationError,
    );
  });
});
