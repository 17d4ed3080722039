import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import {
  localWebhookSecrets,
  SecretsUnavailableError,
  secretsManagerWebhookSecrets,
} from '../../lambdas/adapters/webhook-secrets';
import { createWebhookHandlerFromEnv } from '../../lambdas/handlers/webhook';
import { clientConfig, type Embedded, startEmbedded } from '../../local/embedded';
import {
  commentBatch,
  deliveryBody,
  expectedMessages,
  handshakeEvent,
  signedPost,
} from '../support/webhook-fixtures';
import { drain, freshQueue } from './helpers';

/**
 * A loopback stand-in for Secrets Manager speaking its JSON 1.1 protocol (GetSecretValue only), so
 * the real SDK client is exercised end to end. Errors follow the documented shape.
 */
interface FakeSecretsManager {
  endpoint: string;
  readonly arn: string;
  secretString: string | undefined;
  fail: boolean;
  hits: number;
  close(): Promise<void>;
}

const startFakeSecretsManager = async (): Promise<FakeSecretsManager> => {
  const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:webhook-AbCdEf';
  let server: Server | undefined;
  const state: FakeSecretsManager = {
    endpoint: '',
    arn,
    secretString: undefined,
    fail: false,
    hits: 0,
    close: () => new Promise<void>((resolve) => server?.close(() => resolve())),
  };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      state.hits++;
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (state.fail) {
        reply(500, {
          __type: 'InternalServiceError',
          Message: 'An error occurred on the server side.',
        });
      } else if (target !== 'secretsmanager.GetSecretValue') {
        reply(400, { __type: 'InvalidRequestException', Message: 'unsupported' });
      } else if (SecretId !== arn || state.secretString === undefined) {
        reply(400, {
          __type: 'ResourceNotFoundException',
          Message: "Secrets Manager can't find the specified secret.",
        });
      } else {
        reply(200, {
          ARN: arn,
          Name: 'webhook',
          VersionId: '00000000-0000-0000-0000-000000000001',
          SecretString: state.secretString,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_764_150_000,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
};

const SECRET_JSON = JSON.stringify({
  appSecrets: ['new-secret', 'old-secret'],
  verifyToken: 'tok',
});

describe('webhook secrets', () => {
  describe('local environment', () => {
    it('reads comma-separated app secrets and the verify token', async () => {
      const provider = localWebhookSecrets({ IG_APP_SECRET: ' a , b,,', IG_VERIFY_TOKEN: 't' });
      expect(await provider.get()).toEqual({ appSecrets: ['a', 'b'], verifyToken: 't' });
    });

    it.each([
      [{ IG_VERIFY_TOKEN: 't' }],
      [{ IG_APP_SECRET: 'a' }],
      [{ IG_APP_SECRET: ' , ', IG_VERIFY_TOKEN: 't' }],
      [{ IG_APP_SECRET: 'a', IG_VERIFY_TOKEN: '  ' }],
    ])('fails fast on %j', (env) => {
      expect(() => localWebhookSecrets(env)).toThrow(ConfigurationError);
    });
  });
});

describe('Secrets Manager provider (real SDK, loopback protocol stand-in)', () => {
  let sm: FakeSecretsManager;
  let client: SecretsManagerClient;
  beforeAll(async () => {
    sm = await startFakeSecretsManager();
    client = new SecretsManagerClient(clientConfig(sm.endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await sm.close();
  });
  afterEach(() => {
    sm.fail = false;
  });

  it('is read once and cached, concurrent first calls included', async () => {
    sm.secretString = SECRET_JSON;
    const before = sm.hits;
    const provider = secretsManagerWebhookSecrets({ client, secretId: sm.arn });
    const all = await Promise.all(Array.from({ length: 5 }, () => provider.get()));
    await provider.get();
    expect(all[0]).toEqual({ appSecrets: ['new-secret', 'old-secret'], verifyToken: 'tok' });
    expect(sm.hits - before).toBe(1);
  });

  it('a failed read is not cached: the next call tries again', async () => {
    sm.secretString = SECRET_JSON;
    sm.fail = true;
    const provider = secretsManagerWebhookSecrets({ client, secretId: sm.arn });
    await expect(provider.get()).rejects.toBeInstanceOf(SecretsUnavailableError);
    sm.fail = false;
    expect((await provider.get()).verifyToken).toBe('tok');
  });

  it.each([
    ['not JSON', 'hunter2-not-json'],
    ['wrong shape', JSON.stringify({ appSecret: 'hunter2', verifyToken: 'tok' })],
    ['empty secret list', JSON.stringify({ appSecrets: [], verifyToken: 'tok' })],
  ])('%s → SecretsUnavailableError without the value in the message', async (_name, value) => {
    sm.secretString = value;
    const provider = secretsManagerWebhookSecrets({ client, secretId: sm.arn });
    const error = await provider.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsUnavailableError);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('unknown secret id → SecretsUnavailableError', async () => {
    const provider = secretsManagerWebhookSecrets({ client, secretId: `${sm.arn}-other` });
    const error = await provider.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsUnavailableError);
    expect((error as Error).message).toContain('ResourceNotFoundException');
  });

  it('with maxAge, a rotation reaches a warm process; a failed refresh keeps the last value', async () => {
    // Powertools Parameters keeps its cache on the wall clock: move only Date, not the sockets.
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    try {
      sm.secretString = JSON.stringify({ appSecrets: ['s1'], verifyToken: 'tok' });
      const provider = secretsManagerWebhookSecrets({ client, secretId: sm.arn, maxAgeMs: 1000 });
      expect((await provider.get()).appSecrets).toEqual(['s1']);
      sm.secretString = JSON.stringify({ appSecrets: ['s1', 's2'], verifyToken: 'tok' });
      vi.setSystemTime(999);
      expect((await provider.get()).appSecrets).toEqual(['s1']);
      vi.setSystemTime(1001);
      expect((await provider.get()).appSecrets).toEqual(['s1', 's2']);
      sm.fail = true;
      vi.setSystemTime(5000);
      const before = sm.hits;
      expect((await provider.get()).appSecrets).toEqual(['s1', 's2']);
      // It did try: the stale value was served because the re-read failed.
      expect(sm.hits).toBeGreaterThan(before);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('handler built from the environment', () => {
    let embedded: Embedded;
    const saved = { ...process.env };
    beforeAll(async () => {
      embedded = await startEmbedded();
    });
    afterAll(async () => {
      await embedded.stop();
    });
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it('fails fast without COMMENTS_QUEUE_URL or without any secret source', () => {
      expect(() =>
        createWebhookHandlerFromEnv({ IG_APP_SECRET: 'a', IG_VERIFY_TOKEN: 't' }),
      ).toThrow(ConfigurationError);
      expect(() => createWebhookHandlerFromEnv({ COMMENTS_QUEUE_URL: 'http://q' })).toThrow(
        ConfigurationError,
      );
    });

    it('local: IG_APP_SECRET (two, rotating) and IG_VERIFY_TOKEN, queue from COMMENTS_QUEUE_URL', async () => {
      const queueUrl = await freshQueue(embedded.sqs);
      // The queue URL's own origin, so the SDK has no endpoint mismatch to warn about.
      process.env.AWS_ENDPOINT_URL_SQS = new URL(queueUrl).origin;
      const handler = createWebhookHandlerFromEnv({
        COMMENTS_QUEUE_URL: queueUrl,
        IG_APP_SECRET: 'old,new',
        IG_VERIFY_TOKEN: 'tok',
      });
      const spec = commentBatch(4);
      expect((await handler(signedPost(deliveryBody(spec), 'old'))).statusCode).toBe(200);
      expect((await handler(signedPost(deliveryBody(spec), 'new'))).statusCode).toBe(200);
      expect((await handler(signedPost(deliveryBody(spec), 'other'))).statusCode).toBe(403);
      const received = await drain(embedded.sqs, queueUrl);
      expect(received).toHaveLength(8);
      expect(received.map((m) => m.commentId).sort()).toEqual(
        [...expectedMessages(spec, new Date()), ...expectedMessages(spec, new Date())]
          .map((m) => m.commentId)
          .sort(),
      );
    });

    it('AWS: WEBHOOK_SECRET_ARN is read through Secrets Manager', async () => {
      sm.secretString = SECRET_JSON;
      const queueUrl = await freshQueue(embedded.sqs);
      // The queue URL's own origin, so the SDK has no endpoint mismatch to warn about.
      process.env.AWS_ENDPOINT_URL_SQS = new URL(queueUrl).origin;
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.endpoint;
      const handler = createWebhookHandlerFromEnv({
        COMMENTS_QUEUE_URL: queueUrl,
        WEBHOOK_SECRET_ARN: sm.arn,
      });
      const challenge = {
        'hub.mode': 'subscribe',
        'hub.verify_token': 'tok',
        'hub.challenge': '7',
      };
      expect((await handler(handshakeEvent(challenge))).body).toBe('7');
      const spec = commentBatch(2);
      expect((await handler(signedPost(deliveryBody(spec), 'old-secret'))).statusCode).toBe(200);
      expect(await drain(embedded.sqs, queueUrl)).toHaveLength(2);
    });
  });
});
