import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import { staticWebhookSecrets } from '../../lambdas/adapters/webhook-secrets';
import type { CommentQueue } from '../../lambdas/core/webhook/ports';
import { createWebhookHandler, type WebhookEvent } from '../../lambdas/handlers/webhook';
import { type Embedded, startEmbedded } from '../../local/embedded';
import {
  deliveryBody,
  FORBIDDEN_BODY,
  httpApiEvent,
  type PostOptions,
  restEvent,
  signBody,
  signBodySha1,
} from '../support/webhook-fixtures';
import { deliverySpecArb } from './arbitraries';
import { freshQueue, queueDepth, recordingLogger, recordingQueue } from './helpers';

/**
 * Forged and mutated deliveries: each starts from a genuine signed delivery and breaks exactly one
 * thing. None may be answered 200 and none may put anything on the queue.
 */

const SECRETS = ['app-secret-current', 'app-secret-previous'] as const;
const secrets = staticWebhookSecrets({ appSecrets: [...SECRETS], verifyToken: 'token' });
const now = () => new Date('2026-11-26T00:00:00.000Z');

const FORGERIES = [
  'no-header',
  'sha1-only',
  'truncated-digest',
  'upper-case-digest',
  'non-hex-digest',
  'wrong-secret',
  'near-secret',
  'byte-changed',
  'reserialised-json',
  'empty-body',
  'truncated-body',
  'duplicate-header',
  'prefix-variant',
  'whitespace',
  'signed-base64-text',
] as const;
type Forgery = (typeof FORGERIES)[number];

interface Case {
  readonly body: string;
  readonly kind: Forgery;
  readonly secretIndex: number;
  readonly n: number;
  readonly otherSecret: string;
  readonly flip: number;
  readonly version: 1 | 2;
  readonly base64: boolean;
  readonly headerName: string;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  body: deliverySpecArb(6, 1).map(deliveryBody),
  kind: fc.constantFrom(...FORGERIES),
  secretIndex: fc.integer({ min: 0, max: SECRETS.length - 1 }),
  n: fc.nat(),
  otherSecret: fc.string({ minLength: 1, maxLength: 40 }),
  flip: fc.integer({ min: 1, max: 255 }),
  version: fc.constantFrom(1 as const, 2 as const),
  base64: fc.boolean(),
  headerName: fc.constantFrom('X-Hub-Signature-256', 'x-hub-signature-256', 'X-HUB-SIGNATURE-256'),
});

/** The forged request, or undefined when the mutation happens to change nothing (discarded). */
const forge = (c: Case): { body: Buffer; options: PostOptions } | undefined => {
  const secret = SECRETS[c.secretIndex] ?? SECRETS[0];
  const original = Buffer.from(c.body, 'utf8');
  const valid = signBody(original, secret);
  const hex = valid.slice('sha256='.length);
  const isBase64Encoded = c.base64;
  const withSignature = (body: Buffer, value: string) => ({
    body,
    options: {
      headers: { 'Content-Type': 'application/json', [c.headerName]: value },
      isBase64Encoded,
    },
  });
  switch (c.kind) {
    case 'no-header':
      return {
        body: original,
        options: { headers: { 'Content-Type': 'application/json' }, isBase64Encoded },
      };
    case 'sha1-only':
      return {
        body: original,
        options: {
          headers: { 'X-Hub-Signature': signBodySha1(original, secret) },
          isBase64Encoded,
        },
      };
    case 'truncated-digest':
      return withSignature(original, valid.slice(0, 'sha256='.length + (c.n % 64)));
    case 'upper-case-digest':
      return hex === hex.toUpperCase()
        ? undefined
        : withSignature(original, `sha256=${hex.toUpperCase()}`);
    case 'non-hex-digest': {
      const bad = 'gzGZ -x:+_'[c.n % 10] ?? 'g';
      const at = c.flip % 64;
      return withSignature(original, `sha256=${hex.slice(0, at)}${bad}${hex.slice(at + 1)}`);
    }
    case 'wrong-secret':
      return (SECRETS as readonly string[]).includes(c.otherSecret)
        ? undefined
        : withSignature(original, signBody(original, c.otherSecret));
    case 'near-secret': {
      const variants = [`${secret} `, secret.toUpperCase(), secret.slice(0, -1), `${secret}\n`, ''];
      const near = variants[c.n % variants.length] ?? '';
      return withSignature(original, signBody(original, near));
    }
    case 'byte-changed': {
      const changed = Buffer.from(original);
      const at = c.n % changed.length;
      changed[at] = (changed[at] ?? 0) ^ c.flip;
      return withSignature(changed, valid);
    }
    case 'reserialised-json': {
      const parsed: unknown = JSON.parse(c.body);
      let again = JSON.stringify(parsed);
      if (again === c.body) again = JSON.stringify(parsed, null, 1 + (c.n % 3));
      return withSignature(Buffer.from(again, 'utf8'), valid);
    }
    case 'empty-body':
      return withSignature(Buffer.alloc(0), valid);
    case 'truncated-body':
      return withSignature(original.subarray(0, c.n % original.length), valid);
    case 'duplicate-header': {
      const second = c.n % 2 === 0 ? valid : signBody(original, c.otherSecret);
      return {
        body: original,
        options: { multiValueHeaders: { [c.headerName]: [valid, second] }, isBase64Encoded },
      };
    }
    case 'prefix-variant': {
      const prefixes = ['SHA256=', 'sha256:', 'sha-256=', ' sha256=', 'sha256= ', 'Sha256=', ''];
      return withSignature(original, `${prefixes[c.n % prefixes.length] ?? ''}${hex}`);
    }
    case 'whitespace': {
      const variants = [`${valid} `, ` ${valid}`, `${valid}\t`, `${valid}\n`, `sha256= ${hex}`];
      return withSignature(original, variants[c.n % variants.length] ?? `${valid} `);
    }
    case 'signed-base64-text': {
      // The signature covers the base64 text, not the bytes it encodes.
      const encoded = original.toString('base64');
      return {
        body: original,
        options: { headers: { [c.headerName]: signBody(encoded, secret) }, isBase64Encoded: true },
      };
    }
  }
};

const toEvent = (c: Case, forged: { body: Buffer; options: PostOptions }): WebhookEvent =>
  c.version === 2
    ? httpApiEvent(forged.body, forged.options)
    : restEvent(forged.body, forged.options);

const tally = () => ({ tried: 0, accepted: 0, byKind: new Map<Forgery, number>() });

const runForgeries = async (queue: CommentQueue, numRuns: number, seed?: number) => {
  const handler = createWebhookHandler({ queue, secrets, now, logger: recordingLogger() });
  const stats = tally();
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const forged = forge(c);
      fc.pre(forged !== undefined);
      if (!forged) return;
      stats.tried++;
      stats.byKind.set(c.kind, (stats.byKind.get(c.kind) ?? 0) + 1);
      const response = await handler(toEvent(c, forged));
      if (response.statusCode === 200) stats.accepted++;
      expect(response.statusCode).toBe(403);
      expect(response.body).toBe(FORBIDDEN_BODY);
    }),
    { numRuns, ...(seed === undefined ? {} : { seed }) },
  );
  return stats;
};

describe('forged deliveries', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded.stop();
  });

  it('control: the same generator, unmodified and signed, is accepted', async () => {
    const queue = recordingQueue();
    const handler = createWebhookHandler({ queue, secrets, now, logger: recordingLogger() });
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const secret = SECRETS[c.secretIndex] ?? SECRETS[0];
        const body = Buffer.from(c.body, 'utf8');
        const options = {
          headers: { [c.headerName]: signBody(body, secret) },
          isBase64Encoded: c.base64,
        };
        const response = await handler(toEvent(c, { body, options }));
        expect(response.statusCode).toBe(200);
      }),
      { numRuns: 300 },
    );
    expect(queue.sent.length).toBeGreaterThan(0);
  });

  it('property: 10,000+ forged or mutated deliveries → 0 accepted, 0 enqueued', async () => {
    const queue = recordingQueue();
    const stats = await runForgeries(queue, 10_500);
    expect(stats.tried).toBeGreaterThanOrEqual(10_000);
    expect(stats.accepted).toBe(0);
    expect(queue.calls).toBe(0);
    expect(queue.sent).toHaveLength(0);
    // Every kind of forgery was actually exercised.
    for (const kind of FORGERIES) expect(stats.byKind.get(kind) ?? 0).toBeGreaterThan(100);
    console.info(`forged deliveries: tried ${stats.tried}, accepted ${stats.accepted}`);
  });

  it('end to end: forged deliveries put nothing on the embedded SQS queue', async () => {
    const queueUrl = await freshQueue(embedded.sqs);
    const queue = createSqsCommentQueue({ client: embedded.sqs, queueUrl });
    const stats = await runForgeries(queue, 400);
    expect(stats.tried).toBeGreaterThan(300);
    expect(stats.accepted).toBe(0);
    expect(await queueDepth(embedded.sqs, queueUrl)).toBe(0);
  });
});
