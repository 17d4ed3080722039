import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import {
  SecretsUnavailableError,
  staticWebhookSecrets,
} from '../../lambdas/adapters/webhook-secrets';
import type { WebhookSecretsProvider } from '../../lambdas/core/webhook/ports';
import { createWebhookHandler, type WebhookDeps } from '../../lambdas/handlers/webhook';
import { type Embedded, startEmbedded } from '../../local/embedded';
import {
  commentBatch,
  commentChange,
  deliveryBody,
  deliveryObject,
  expectedMessages,
  FORBIDDEN_BODY,
  handshakeEvent,
  metaJson,
  restEvent,
  signBody,
  signedPost,
  withUnknownChange,
} from '../support/webhook-fixtures';
import { deliverySpecArb } from './arbitraries';
import {
  canonical,
  drain,
  freshQueue,
  queueDepth,
  recordingLogger,
  recordingQueue,
} from './helpers';

const SECRET = 'app-secret-current';
const OLD_SECRET = 'app-secret-previous';
const VERIFY_TOKEN = 'rumoi-verify-token';
const receivedAt = new Date('2026-11-26T00:00:00.000Z');
const now = () => receivedAt;

const secrets = staticWebhookSecrets({ appSecrets: [SECRET], verifyToken: VERIFY_TOKEN });

describe('webhook handler against embedded SQS', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded.stop();
  });

  const sqsHandler = (queueUrl: string, overrides: Partial<WebhookDeps> = {}) =>
    createWebhookHandler({
      queue: createSqsCommentQueue({ client: embedded.sqs, queueUrl }),
      secrets,
      logger: recordingLogger(),
      now,
      ...overrides,
    });

  describe('handshake', () => {
    const handler = createWebhookHandler({
      queue: recordingQueue(),
      secrets,
      now,
      logger: recordingLogger(),
    });
    const good = {
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    };

    for (const version of [1, 2] as const) {
      it(`v${version}: the right token gets the challenge back as text/plain`, async () => {
        const response = await handler(handshakeEvent(good, version));
        expect(response.statusCode).toBe(200);
        expect(response.body).toBe('1158201444');
        expect(response.headers['content-type']).toMatch(/^text\/plain/);
      });
    }

    it.each([
      ['wrong token', { ...good, 'hub.verify_token': 'nope' }],
      ['token differing in case', { ...good, 'hub.verify_token': VERIFY_TOKEN.toUpperCase() }],
      ['token prefix', { ...good, 'hub.verify_token': VERIFY_TOKEN.slice(0, -1) }],
      ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
      ['wrong mode', { ...good, 'hub.mode': 'unsubscribe' }],
      ['no mode', { 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
      ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
      ['non-digit challenge', { ...good, 'hub.challenge': '<script>alert(1)</script>' }],
      ['empty challenge', { ...good, 'hub.challenge': '' }],
      ['signed-looking challenge', { ...good, 'hub.challenge': '-12' }],
    ])('%s → 403', async (_name, query) => {
      for (const version of [1, 2] as const) {
        const response = await handler(handshakeEvent(query, version));
        expect(response.statusCode).toBe(403);
        expect(response.body).toBe(FORBIDDEN_BODY);
      }
    });

    it('no query string at all → 403', async () => {
      expect((await handler(handshakeEvent(null, 1))).statusCode).toBe(403);
      expect((await handler(handshakeEvent(null, 2))).statusCode).toBe(403);
    });

    it('other methods → 405', async () => {
      const response = await handler(restEvent('{}', { method: 'PUT' }));
      expect(response.statusCode).toBe(405);
    });
  });

  describe('delivery', () => {
    it('enqueues a signed delivery whatever the header name case, event version or encoding', async () => {
      const variants = [
        { headerName: 'X-Hub-Signature-256' },
        { headerName: 'x-hub-signature-256' },
        { headerName: 'X-HUB-SIGNATURE-256' },
        { headerName: 'X-Hub-Signature-256', isBase64Encoded: true },
        { headerName: 'X-Hub-Signature-256', version: 2 as const },
        { headerName: 'X-Hub-Signature-256', version: 2 as const, isBase64Encoded: true },
      ];
      for (const options of variants) {
        const queueUrl = await freshQueue(embedded.sqs);
        const spec = commentBatch(3);
        const response = await sqsHandler(queueUrl)(
          signedPost(deliveryBody(spec), SECRET, options),
        );
        expect(response.statusCode).toBe(200);
        expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(
          canonical(expectedMessages(spec, receivedAt)),
        );
      }
    });

    it('property (fan-out): N valid changes, 0 to 1000, give exactly N messages with the right content', async () => {
      await fc.assert(
        fc.asyncProperty(
          deliverySpecArb(1000),
          fc.boolean(),
          fc.boolean(),
          async (spec, unknownToo, base64) => {
            const queueUrl = await freshQueue(embedded.sqs);
            const object = deliveryObject(spec);
            const body = metaJson(unknownToo ? withUnknownChange(object) : object);
            const response = await sqsHandler(queueUrl)(
              signedPost(body, SECRET, { isBase64Encoded: base64 }),
            );
            expect(response.statusCode).toBe(200);
            const received = await drain(embedded.sqs, queueUrl);
            expect(canonical(received)).toEqual(canonical(expectedMessages(spec, receivedAt)));
          },
        ),
        { numRuns: 10 },
      );
    });

    it('a batch of exactly 1000 changes, every variant mixed, lands whole', async () => {
      const [spec] = fc.sample(deliverySpecArb(1000, 1000), { seed: 20261126, numRuns: 1 });
      if (!spec) throw new Error('no sample');
      const queueUrl = await freshQueue(embedded.sqs);
      const response = await sqsHandler(queueUrl)(signedPost(deliveryBody(spec), SECRET));
      expect(response.statusCode).toBe(200);
      const received = await drain(embedded.sqs, queueUrl);
      expect(received).toHaveLength(1000);
      expect(canonical(received)).toEqual(canonical(expectedMessages(spec, receivedAt)));
    });

    it('malformed changes are skipped and logged by index without content; batch-mates go through', async () => {
      const queueUrl = await freshQueue(embedded.sqs);
      const logger = recordingLogger();
      const spec = {
        entries: [
          {
            accountId: '17841400000000001',
            time: 1_764_150_000,
            changes: [
              commentChange({
                text: '個人の秘密テキスト',
                from: { id: '99', username: 'secret_user' },
              }),
              commentChange({ text: 'もう一つ' }),
            ],
          },
        ],
      };
      const object = deliveryObject(spec) as { entry: { changes: unknown[] }[] };
      object.entry[0]?.changes.splice(1, 0, {
        field: 'comments',
        value: { id: 'x', text: '壊れた秘密', from: { id: '7', username: 'broken_user' } },
      });
      const response = await sqsHandler(queueUrl, { logger })(signedPost(metaJson(object), SECRET));
      expect(response.statusCode).toBe(200);
      expect(await drain(embedded.sqs, queueUrl)).toHaveLength(2);
      const logs = JSON.stringify(logger.lines);
      for (const secret of ['秘密', 'もう一つ', 'secret_user', 'broken_user', '"99"']) {
        expect(logs).not.toContain(secret);
      }
      const warn = logger.lines.find((l) => l.level === 'warn');
      expect(warn?.attributes).toMatchObject({ malformed: 1, at: [{ at: '0/0/1' }] });
      const info = logger.lines.find((l) => l.message === 'webhook delivery enqueued');
      expect(info?.attributes).toMatchObject({ changes: 3, messages: 2, malformed: 1 });
    });

    it('a signed body that is not JSON → 400, nothing enqueued', async () => {
      const queueUrl = await freshQueue(embedded.sqs);
      for (const body of ['not json', '{"entry":[', '', '{}', '"x"']) {
        const response = await sqsHandler(queueUrl)(signedPost(body, SECRET));
        expect(response.statusCode).toBe(400);
      }
      expect(await queueDepth(embedded.sqs, queueUrl)).toBe(0);
    });

    it('either of two secrets verifies during a rotation; a third does not', async () => {
      const queueUrl = await freshQueue(embedded.sqs);
      const handler = sqsHandler(queueUrl, {
        secrets: staticWebhookSecrets({
          appSecrets: [OLD_SECRET, SECRET],
          verifyToken: VERIFY_TOKEN,
        }),
      });
      const one = commentBatch(1);
      const two = commentBatch(1);
      expect((await handler(signedPost(deliveryBody(one), OLD_SECRET))).statusCode).toBe(200);
      expect((await handler(signedPost(deliveryBody(two), SECRET))).statusCode).toBe(200);
      expect((await handler(signedPost(deliveryBody(commentBatch(1)), 'another'))).statusCode).toBe(
        403,
      );
      expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(
        canonical([...expectedMessages(one, receivedAt), ...expectedMessages(two, receivedAt)]),
      );
    });
  });

  describe('size limit', () => {
    const LIMIT = 6 * 1024 * 1024;
    /** A valid signed-able delivery padded with JSON whitespace to exactly `bytes`. */
    const paddedBody = (bytes: number, changes = 5) => {
      const body = deliveryBody(commentBatch(changes));
      return `${body.slice(0, -1)}${' '.repeat(bytes - body.length)}}`;
    };

    it('a 6 MB body is accepted, plain or base64-encoded', async () => {
      for (const isBase64Encoded of [false, true]) {
        const queueUrl = await freshQueue(embedded.sqs);
        const body = paddedBody(LIMIT);
        expect(Buffer.byteLength(body)).toBe(LIMIT);
        const response = await sqsHandler(queueUrl)(signedPost(body, SECRET, { isBase64Encoded }));
        expect(response.statusCode).toBe(200);
        expect(await drain(embedded.sqs, queueUrl)).toHaveLength(5);
      }
    });

    it('one byte more → 413 before any secret is read or HMAC computed', async () => {
      let secretReads = 0;
      const counting: WebhookSecretsProvider = {
        async get() {
          secretReads++;
          return secrets.get();
        },
      };
      const queue = recordingQueue();
      const handler = createWebhookHandler({
        queue,
        secrets: counting,
        now,
        logger: recordingLogger(),
      });
      for (const isBase64Encoded of [false, true]) {
        const body = paddedBody(LIMIT + 1);
        const response = await handler(signedPost(body, SECRET, { isBase64Encoded }));
        expect(response.statusCode).toBe(413);
      }
      expect(secretReads).toBe(0);
      expect(queue.calls).toBe(0);
    });
  });

  describe('queue failures', () => {
    it('queue missing → 5xx', async () => {
      const queueUrl = `${embedded.queues.comments.url}-does-not-exist`;
      const logger = recordingLogger();
      const response = await sqsHandler(queueUrl, { logger })(
        signedPost(deliveryBody(commentBatch(3)), SECRET),
      );
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(logger.lines.find((l) => l.level === 'error')?.attributes).toMatchObject({
        accepted: 0,
        rejected: 3,
      });
    });

    it('an entry SQS refuses → 5xx, never 200 for a partial enqueue', async () => {
      // The smallest maximum SQS allows: the long comment is refused, its batch-mates are accepted.
      const queueUrl = await freshQueue(embedded.sqs, { MaximumMessageSize: '1024' });
      const spec = {
        entries: [
          {
            accountId: '17841400000000001',
            time: 1_764_150_000,
            changes: [
              ...Array.from({ length: 14 }, () => commentChange({ text: '短い' })),
              commentChange({ text: 'あ'.repeat(600) }),
            ],
          },
        ],
      };
      const logger = recordingLogger();
      const response = await sqsHandler(queueUrl, { logger })(
        signedPost(deliveryBody(spec), SECRET),
      );
      expect(response.statusCode).toBe(503);
      const error = logger.lines.find((l) => l.level === 'error');
      expect(error?.attributes.rejected).toBeGreaterThanOrEqual(1);
      expect(error?.attributes.codes).toEqual(['InvalidParameterValue']);
    });

    it('secrets unavailable → 503, nothing enqueued', async () => {
      const queue = recordingQueue();
      const handler = createWebhookHandler({
        queue,
        secrets: {
          get: () => Promise.reject(new SecretsUnavailableError('down')),
        },
        now,
        logger: recordingLogger(),
      });
      const response = await handler(signedPost(deliveryBody(commentBatch(1)), SECRET));
      expect(response.statusCode).toBe(503);
      expect(queue.calls).toBe(0);
    });
  });

  it('a body signed over raw UTF-8 Japanese is verified over those bytes too', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const spec = commentBatch(2);
    // Not Meta's escaping, but valid JSON: the signature covers whatever bytes were sent.
    const body = JSON.stringify(deliveryObject(spec));
    const event = restEvent(Buffer.from(body), {
      headers: { 'X-Hub-Signature-256': signBody(body, SECRET) },
    });
    expect((await sqsHandler(queueUrl)(event)).statusCode).toBe(200);
    expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(
      canonical(expectedMessages(spec, receivedAt)),
    );
  });
});
