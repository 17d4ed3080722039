import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources';
import { type Pipeline, startPipeline } from '../../local/runtime/pipeline';
import {
  type ChangeSpec,
  commentChange,
  type DeliverySpec,
  deliveryBody,
  FORBIDDEN_BODY,
  nextGraphId,
  signBody,
} from '../support/webhook-fixtures';
import { getWithHost } from '../support/with-host';

/**
 * The local runtime end to end, through HTTP only: signed deliveries into `/webhook`, decisions out
 * of `/api/decisions`, on embedded dynalite and fauxqs, with the real handlers behind the API
 * Gateway adapter and the SQS pollers. Waits are bounded polls; nothing asserts on time.
 */

const APP_SECRET = 'e2e-app-secret';
const VERIFY_TOKEN = 'e2e-verify-token';
const ACCOUNT = '17841400000000001';

type Json = Record<string, unknown>;

let pipeline: Pipeline;
let base: string;

const post = async (
  body: string | Uint8Array,
  signature?: string | string[],
): Promise<{ status: number; text: string }> => {
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const value of signature === undefined ? [] : [signature].flat()) {
    headers.append('x-hub-signature-256', value);
  }
  const res = await fetch(`${base}/webhook`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
};

const postSigned = (body: string | Uint8Array) => post(body, signBody(body, APP_SECRET));

const getJson = async (path: string): Promise<{ status: number; body: Json }> => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Json };
};

const delivery = (changes: readonly ChangeSpec[]): DeliverySpec => ({
  entries: [{ accountId: ACCOUNT, time: 1_764_150_000, changes }],
});

/** Polls until `check` holds, failing with `what` after a generous bound. */
const until = async (what: string, check: () => Promise<boolean>, boundMs = 30_000) => {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const decisionOf = async (commentId: string): Promise<Json | undefined> => {
  const { status, body } = await getJson(`/api/decisions/${commentId}`);
  return status === 200 ? body : undefined;
};

const waitDecided = async (ids: readonly string[]): Promise<Map<string, Json>> => {
  const found = new Map<string, Json>();
  await until(`decisions for ${ids.length} comments`, async () => {
    for (const id of ids) {
      if (!found.has(id)) {
        const d = await decisionOf(id);
        if (d) found.set(id, d);
      }
    }
    return found.size === ids.length;
  });
  return found;
};

beforeAll(async () => {
  pipeline = await startPipeline({
    settings: {
      port: 0,
      appSecrets: ['an-old-secret-still-accepted', APP_SECRET],
      verifyToken: VERIFY_TOKEN,
      pseudonymKey: 'e2e-pseudonym-key-0123456789',
      policyPack: 'rumoi',
    },
    port: 0,
    logLevel: 'SILENT',
    // A failed message comes back in a second, so redrive to the DLQ is observable in a test.
    visibilityTimeoutSeconds: { comments: 1, actions: 1 },
  });
  base = `http://127.0.0.1:${pipeline.port}`;
});

afterAll(async () => {
  await pipeline?.stop({ drainMs: 2_000 });
});

describe('local pipeline over HTTP', () => {
  it('answers the subscription handshake only with the verify token', async () => {
    const ok = await fetch(
      `${base}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=8675309`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('8675309');
    const wrong = await fetch(
      `${base}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=8675309`,
    );
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('8675309');
  });

  it('turns signed deliveries into one stored, redacted decision per comment', async () => {
    const changes = [
      commentChange({
        text: '黄金岬の夕日、今年も最高でした',
        from: { id: '17841455500000001', username: 'sunset_lover' },
      }),
      commentChange({
        text: '除雪が遅すぎる。税金払ってるのに家の前が通れない',
        from: { id: '17841455500000002', username: 'snow_angry' },
      }),
      commentChange({
        text: 'スマホ1台で月30万💰 副業教えます！気になる人はDMください',
        from: { id: '17841455500000003', username: 'easy_money' },
      }),
      commentChange({
        text: 'この職員の顔ムカつく。次見かけたらぶん殴る',
        from: { id: '17841455500000004', username: 'anon_troll' },
      }),
      commentChange({
        idKey: 'comment_id',
        text: 'ゴミの収集日、年末年始はどうなりますか？',
        from: { id: '17841455500000005', username: 'new_resident' },
      }),
    ];
    const body = deliveryBody(delivery(changes));
    const ack = await postSigned(body);
    expect(ack.status).toBe(200);

    const decisions = await waitDecided(changes.map((c) => c.commentId));
    for (const change of changes) {
      const d = decisions.get(change.commentId) as Json;
      expect(d.commentId).toBe(change.commentId);
      expect(d.accountId).toBe(ACCOUNT);
      expect(['allow', 'review', 'hide', 'delete']).toContain(d.action);
      expect(typeof d.redactedText).toBe('string');
      // Stored as redacted: never the author's raw id or username, never a raw text field.
      const raw = JSON.stringify(d);
      expect(raw).not.toContain(change.from?.id);
      expect(raw).not.toContain(`"${change.from?.username}"`);
      expect(d).not.toHaveProperty('text');
      expect(d).not.toHaveProperty('from');
      expect(d.authorRef).toMatch(/^[0-9a-f]{64}$/);
    }
    // The classifier's verdicts the demo relies on: benign stays up, criticism stays up.
    expect(decisions.get(changes[0]?.commentId ?? '')?.action).toBe('allow');
    expect(decisions.get(changes[1]?.commentId ?? '')?.action).toBe('allow');
  });

  it('records the act stage as a dry run for enforcing decisions', async () => {
    const change = commentChange({
      text: 'この職員の顔ムカつく。次見かけたらぶん殴る',
      from: { id: '17841455500000104' },
    });
    expect((await postSigned(deliveryBody(delivery([change])))).status).toBe(200);
    await until('a settled action', async () => {
      const d = await decisionOf(change.commentId);
      return d !== undefined && d.actionStatus !== 'pending';
    });
    const d = (await decisionOf(change.commentId)) as Json;
    expect(['hide', 'delete']).toContain(d.action);
    expect(d.actionStatus).toBe('dry_run');
  });

  it('pauses and resumes the act stage on its own thread without losing an action', async () => {
    await pipeline.pauseConsumers();
    const before = pipeline.stats().actions.deleted;
    const change = commentChange({
      text: 'この職員の顔ムカつく。次見かけたらぶん殴る',
      from: { id: '17841455500000105' },
    });
    expect((await postSigned(deliveryBody(delivery([change])))).status).toBe(200);
    // Nothing consumes while paused: the delivery waits on the comments queue.
    const paused = await pipeline.depth();
    expect(paused.comments.visible + paused.comments.delayed).toBeGreaterThanOrEqual(1);
    pipeline.resumeConsumers();
    await until('the resumed action settled', async () => {
      const d = await decisionOf(change.commentId);
      return d?.actionStatus === 'dry_run';
    });
    // The act thread's counters reach this side: the action message was handled and deleted.
    await until('act stats pushed', async () => pipeline.stats().actions.deleted > before);
    expect(pipeline.stats().actions.failedBatches).toBe(0);
  });

  it('decides each comment once whatever the duplicates (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (count, splits, copies) => {
          const changes = Array.from({ length: count }, () =>
            commentChange({ from: { id: nextGraphId('1784') } }),
          );
          // Overlapping deliveries: every comment in at least one, some in several, each sent
          // `copies` times, all concurrently (Meta's retries and its at-least-once delivery).
          const groups = splits.map((s) => changes.slice(s % count, (s % count) + 1 + (s % 5)));
          groups.push(changes);
          const bodies = groups.flatMap((g) =>
            Array.from({ length: copies }, () => deliveryBody(delivery(g))),
          );
          const before = pipeline.stats().decisions;
          const acks = await Promise.all(bodies.map((b) => postSigned(b)));
          expect(acks.every((a) => a.status === 200)).toBe(true);
          const decided = await waitDecided(changes.map((c) => c.commentId));
          expect(await pipeline.drain(30_000)).toBe(true);
          expect(decided.size).toBe(count);
          expect(pipeline.stats().decisions - before).toBe(count);
          // A later duplicate leaves the stored decision exactly as it was.
          const first = changes[0] as ChangeSpec;
          const stored = await decisionOf(first.commentId);
          expect((await postSigned(deliveryBody(delivery([first])))).status).toBe(200);
          expect(await pipeline.drain(30_000)).toBe(true);
          expect(await decisionOf(first.commentId)).toEqual(stored);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('refuses forged deliveries with 403 and never decides their comments', async () => {
    const change = commentChange({ text: '市の公式発表：明日は全市で断水します' });
    const body = deliveryBody(delivery([change]));
    const tampered = body.replace('1764150000', '1764150001');
    const attempts = [
      await post(body),
      await post(body, signBody(body, 'a-guessed-secret')),
      await post(tampered, signBody(body, APP_SECRET)),
      await post(body, [signBody(body, APP_SECRET), signBody(body, 'a-guessed-secret')]),
      await post(body, signBody(body, APP_SECRET).toUpperCase()),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.text).toBe(FORBIDDEN_BODY);
    }
    expect(await pipeline.drain(30_000)).toBe(true);
    expect(await decisionOf(change.commentId)).toBeUndefined();
    // The same body correctly signed (with the older of two rotating secrets) is accepted.
    expect((await post(body, signBody(body, 'an-old-secret-still-accepted'))).status).toBe(200);
    await waitDecided([change.commentId]);
  });

  it('verifies over the raw bytes: unescaped UTF-8 and non-UTF-8 bodies reach the handler intact', async () => {
    const change = commentChange({ text: '留萌の夕日、きれいですね' });
    const raw = JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: ACCOUNT,
          time: 1_764_150_000,
          changes: [
            {
              field: 'comments',
              value: {
                id: change.commentId,
                text: change.text,
                from: change.from,
                media: { id: '18000000000000001' },
              },
            },
          ],
        },
      ],
    });
    expect((await postSigned(raw)).status).toBe(200);
    const d = (await waitDecided([change.commentId])).get(change.commentId) as Json;
    expect(d.redactedText).toBe(change.text);

    // Invalid UTF-8 goes through API Gateway base64-encoded; the signature still matches, and the
    // handler then refuses the body as unreadable (400), not as forged (403).
    const bytes = Buffer.concat([
      Buffer.from('{"object":"instagram","entry":['),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(']}'),
    ]);
    expect((await postSigned(bytes)).status).toBe(400);
    expect((await post(bytes, signBody(bytes, 'a-guessed-secret'))).status).toBe(403);
  });

  it('serves the read API: filters, limits, 404s and expired records', async () => {
    const listed = await getJson('/api/decisions?limit=3');
    expect(listed.status).toBe(200);
    const items = listed.body.items as Json[];
    expect(items.length).toBe(3);
    const times = items.map((i) => String(i.decidedAt));
    expect([...times].sort().reverse()).toEqual(times);

    const allowed = (await getJson('/api/decisions?action=allow&limit=1000')).body.items as Json[];
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.every((i) => i.action === 'allow')).toBe(true);

    const enforced = await Promise.all(
      ['hide', 'delete', 'review'].map(
        async (a) => (await getJson(`/api/decisions?action=${a}&limit=1000`)).body.items as Json[],
      ),
    );
    const withCategory = enforced.flat().find((i) => (i.categories as unknown[]).length > 0);
    expect(withCategory).toBeDefined();
    const category = String((withCategory?.categories as Json[] | undefined)?.[0]?.id);
    const byCategory = (await getJson(`/api/decisions?category=${category}&limit=1000`)).body
      .items as Json[];
    expect(byCategory.map((i) => i.commentId)).toContain(withCategory?.commentId);
    expect(byCategory.every((i) => (i.categories as Json[]).some((c) => c.id === category))).toBe(
      true,
    );

    for (const bad of ['limit=0', 'limit=abc', 'limit=1001', 'action=ban', 'category=12']) {
      expect((await getJson(`/api/decisions?${bad}`)).status).toBe(400);
    }
    expect((await getJson('/api/decisions/17999999999999999')).status).toBe(404);
    expect((await getJson('/api/decisions/not-an-id')).status).toBe(404);
    const post = await fetch(`${base}/api/decisions`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);

    // dynalite has no TTL: a record past its expiresAt must still read as absent.
    const expiredId = nextGraphId('17');
    await pipeline.embedded.doc.send(
      new PutCommand({
        TableName: pipeline.embedded.tableNames.decisions,
        Item: {
          ...(items[0] as Json),
          commentId: expiredId,
          decidedAt: '2099-01-01T00:00:00.000Z',
          expiresAt: Math.floor(Date.now() / 1000) - 1,
        },
      }),
    );
    expect((await getJson(`/api/decisions/${expiredId}`)).status).toBe(404);
    const newest = (await getJson('/api/decisions?limit=1000')).body.items as Json[];
    expect(newest.map((i) => i.commentId)).not.toContain(expiredId);
  });

  it('mounts the review API for staff (x-reviewer names the reviewer locally)', async () => {
    const anonymous = await fetch(`${base}/api/reviews`);
    expect(anonymous.status).toBe(401);
    const queue = await fetch(`${base}/api/reviews?limit=10`, {
      headers: { 'x-reviewer': 'tanaka' },
    });
    expect(queue.status).toBe(200);
    expect(Array.isArray(((await queue.json()) as Json).items)).toBe(true);
    const inquiries = await fetch(`${base}/api/inquiries`, { headers: { 'x-reviewer': 'tanaka' } });
    expect(inquiries.status).toBe(200);
  });

  it('behaves like the SQS event source mapping: a poison message reaches the DLQ, its batch-mates do not', async () => {
    const good = commentChange();
    const message = {
      accountId: ACCOUNT,
      field: 'comments',
      commentId: good.commentId,
      text: '夕日がきれい',
      receivedAt: new Date().toISOString(),
      deliveryTime: new Date().toISOString(),
    };
    await pipeline.embedded.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: pipeline.embedded.queues.comments.url,
        Entries: [
          { Id: 'poison', MessageBody: '{"this is": "not a comment message"}' },
          { Id: 'good', MessageBody: JSON.stringify(message) },
        ],
      }),
    );
    await waitDecided([good.commentId]);
    await until('the poison message in the DLQ', async () => {
      const depth = await pipeline.depth();
      return depth.comments.deadLetters === 1;
    });
    const depth = await pipeline.depth();
    expect(depth.comments.visible + depth.comments.inFlight).toBe(0);
    expect(pipeline.stats().comments.failedItems).toBeGreaterThanOrEqual(
      QUEUES.comments.maxReceiveCount,
    );
  });

  it('answers only requests addressed to a loopback name with its port (DNS rebinding)', async () => {
    const withHost = (host: string, path = '/api/decisions?limit=1') =>
      getWithHost(pipeline.port, path, host);
    const port = pipeline.port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await withHost(host)).status, host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      'localhost',
      `localhost:${port + 1}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
    ]) {
      const refused = await withHost(host);
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body).error).toBe('forbidden');
      // Refused before routing: the webhook never sees it either.
      expect((await withHost(host, '/webhook')).status, host).toBe(403);
    }
  });

  it('refuses with one error shape on every route, and reads since like the review API', async () => {
    const refusals: [string, RequestInit, number, string][] = [
      ['/nothing-here', {}, 404, 'not_found'],
      ['/api/decisions/17999999999999999', {}, 404, 'not_found'],
      ['/api/decisions?limit=0', {}, 400, 'bad_request'],
      ['/api/decisions?since=yesterday', {}, 400, 'bad_request'],
      ['/api/decisions', { method: 'POST', body: '{}' }, 405, 'method_not_allowed'],
      ['/api/reviews?since=yesterday', { headers: { 'x-reviewer': 'tanaka' } }, 400, 'bad_request'],
      [
        '/api/inquiries?since=yesterday',
        { headers: { 'x-reviewer': 'tanaka' } },
        400,
        'bad_request',
      ],
      ['/api/reviews', {}, 401, 'unauthorized'],
      ['/webhook', { method: 'PUT' }, 405, 'method_not_allowed'],
      ['/webhook', { method: 'POST', body: '{}' }, 403, 'forbidden'],
    ];
    for (const [path, init, status, code] of refusals) {
      const res = await fetch(`${base}${path}`, init);
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as Json;
      expect(Object.keys(body).sort(), path).toEqual(['error', 'message']);
      expect(body.error, path).toBe(code);
    }
    const all = (await getJson('/api/decisions?limit=1000')).body.items as Json[];
    const cut = String(all[Math.floor(all.length / 2)]?.decidedAt);
    const since = (await getJson(`/api/decisions?limit=1000&since=${encodeURIComponent(cut)}`)).body
      .items as Json[];
    expect(since.map((i) => i.commentId)).toEqual(
      all.filter((i) => String(i.decidedAt) >= cut).map((i) => i.commentId),
    );
    expect(((await getJson('/api/decisions?since=2999-01-01')).body.items as Json[]).length).toBe(
      0,
    );
  });

  it('answers unknown routes with 404 and oversized bodies with 413', async () => {
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    const res = await fetch(`${base}/webhook`, { method: 'POST', body: huge }).catch(
      () => undefined,
    );
    // The server refuses before reading it all; the client sees 413 or a closed connection.
    expect(res === undefined || res.status === 413).toBe(true);
    if (res) expect(((await res.json()) as Json).error).toBe('payload_too_large');
  });
});
