import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import { staticWebhookSecrets } from '../../lambdas/adapters/webhook-secrets';
import { createWebhookHandler } from '../../lambdas/handlers/webhook';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { createDecisionsApi } from '../../local/runtime/decisions-api';
import { type LocalServer, startLocalServer } from '../../local/runtime/http-server';
import {
  commentBatch,
  deliveryBody,
  deliveryObject,
  expectedMessages,
  FORBIDDEN_BODY,
  signBody,
} from '../support/webhook-fixtures';
import { canonical, drain, freshQueue, queueDepth, recordingLogger } from './helpers';

/**
 * The webhook over real HTTP, through the local API Gateway adapter: header case and repetition,
 * body bytes (text and binary) and the size limit as a client on the wire produces them.
 */

const SECRET = 'http-app-secret';
const receivedAt = new Date('2026-11-26T00:00:00.000Z');

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string | undefined;
}

/** Raw HTTP so repeated headers go on the wire as separate lines (fetch would merge them). */
const send = (
  port: number,
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body?: Buffer,
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'],
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });

describe('webhook over HTTP (local API Gateway adapter)', () => {
  let embedded: Embedded;
  let server: LocalServer;
  let queueUrl: string;

  beforeAll(async () => {
    embedded = await startEmbedded();
    queueUrl = await freshQueue(embedded.sqs);
    const webhook = createWebhookHandler({
      queue: createSqsCommentQueue({ client: embedded.sqs, queueUrl }),
      secrets: staticWebhookSecrets({ appSecrets: [SECRET], verifyToken: 'tok' }),
      logger: recordingLogger(),
      now: () => receivedAt,
    });
    server = await startLocalServer({
      webhook,
      decisions: createDecisionsApi({
        doc: embedded.doc,
        tableName: embedded.tableNames.decisions,
      }),
      port: 0,
    });
  });
  afterAll(async () => {
    await server.close();
    await embedded.stop();
  });

  /** A POST whose signature covers `signed`: the body itself, unless the test forges one. */
  const postSigned = (body: Buffer, signed: Buffer = body) =>
    send(
      server.port,
      'POST',
      '/webhook',
      { 'x-hub-signature-256': signBody(signed, SECRET) },
      body,
    );

  it('answers the handshake with the challenge as text/plain', async () => {
    const ok = await send(
      server.port,
      'GET',
      '/webhook?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444',
      {},
    );
    expect(ok).toMatchObject({ status: 200, body: '1158201444' });
    expect(ok.contentType).toMatch(/^text\/plain/);
    const refused = await send(
      server.port,
      'GET',
      '/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
      {},
    );
    expect(refused.status).toBe(403);
  });

  it('enqueues a signed delivery; the header name case does not matter', async () => {
    const spec = commentBatch(3);
    const body = Buffer.from(deliveryBody(spec));
    const reply = await send(server.port, 'POST', '/webhook', {
      'content-type': 'application/json',
      'X-HUB-signature-256': signBody(body, SECRET),
    });
    expect(reply.status).toBe(403); // no body was sent: the signature covers bytes that never came
    const sent = await send(
      server.port,
      'POST',
      '/webhook',
      { 'content-type': 'application/json', 'X-HUB-signature-256': signBody(body, SECRET) },
      body,
    );
    expect(sent.status).toBe(200);
    expect(canonical(await drain(embedded.sqs, queueUrl))).toEqual(
      canonical(expectedMessages(spec, receivedAt)),
    );
  });

  it('a repeated signature header is refused, even when both copies are valid', async () => {
    const body = Buffer.from(deliveryBody(commentBatch(2)));
    const signature = signBody(body, SECRET);
    const reply = await send(
      server.port,
      'POST',
      '/webhook',
      { 'x-hub-signature-256': [signature, signature] },
      body,
    );
    expect(reply).toMatchObject({ status: 403, body: FORBIDDEN_BODY });
    expect(await queueDepth(embedded.sqs, queueUrl)).toBe(0);
  });

  it('raw UTF-8 Japanese and non-UTF-8 bytes are both verified over the exact bytes sent', async () => {
    const spec = commentBatch(1);
    const utf8 = Buffer.from(JSON.stringify(deliveryObject(spec)), 'utf8');
    const text = await postSigned(utf8);
    expect(text.status).toBe(200);
    expect(await drain(embedded.sqs, queueUrl)).toHaveLength(1);

    // Not UTF-8: travels base64-encoded; a correct signature proves the bytes arrived intact,
    // and the body is then refused as unreadable rather than as forged.
    const binary = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const reply = await postSigned(binary);
    expect(reply.status).toBe(400);
    const forged = await postSigned(binary, Buffer.from([0x7b, 0x7d]));
    expect(forged.status).toBe(403);
  });

  it('a 6 MB body passes, one byte more is 413', async () => {
    const LIMIT = 6 * 1024 * 1024;
    const padded = (bytes: number) => {
      const base = deliveryBody(commentBatch(2));
      return Buffer.from(`${base.slice(0, -1)}${' '.repeat(bytes - base.length)}}`);
    };
    const fits = padded(LIMIT);
    const ok = await postSigned(fits);
    expect(ok.status).toBe(200);
    expect(await drain(embedded.sqs, queueUrl)).toHaveLength(2);
    const over = padded(LIMIT + 1);
    const refused = await postSigned(over);
    expect(refused.status).toBe(413);
    expect(await queueDepth(embedded.sqs, queueUrl)).toBe(0);
  });
});
