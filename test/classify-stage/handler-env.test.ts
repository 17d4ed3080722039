import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import { loadPseudonymKey } from '../../lambdas/adapters/pseudonym-key';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import { buildClassifyHandlerFromEnv, handler } from '../../lambdas/handlers/classify';
import { commentMessage } from './support/fixtures';
import { deliverComments, observe, useStage } from './support/harness';

const KEY = 'local-pseudonym-key-for-tests-0001';

/** Stands in for Secrets Manager (AWS itself cannot run here): answers GetSecretValue only. */
const fakeSecrets = (secretString: string | undefined) => {
  const calls: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      calls.push(command.input);
      return { SecretString: secretString };
    },
  } as unknown as SecretsManagerClient;
  return { client, calls };
};

describe('classify handler configuration', () => {
  it('fails fast, naming the missing variable, before building anything', async () => {
    await expect(buildClassifyHandlerFromEnv({})).rejects.toThrow(ConfigurationError);
    await expect(buildClassifyHandlerFromEnv({})).rejects.toThrow(/DECISIONS_TABLE/);
    await expect(
      buildClassifyHandlerFromEnv({ DECISIONS_TABLE: 'd', PII_LEDGER_TABLE: 'l' }),
    ).rejects.toThrow(/ACTIONS_QUEUE_URL/);
    await expect(
      buildClassifyHandlerFromEnv({
        DECISIONS_TABLE: 'd',
        PII_LEDGER_TABLE: 'l',
        ACTIONS_QUEUE_URL: 'q',
      }),
    ).rejects.toThrow(/AUDIT_TABLE/);
    await expect(
      buildClassifyHandlerFromEnv({
        DECISIONS_TABLE: 'd',
        PII_LEDGER_TABLE: 'l',
        ACTIONS_QUEUE_URL: 'q',
        AUDIT_TABLE: 'a',
      }),
    ).rejects.toThrow(/POLICY_PACK/);
    await expect(
      buildClassifyHandlerFromEnv({
        DECISIONS_TABLE: 'd',
        PII_LEDGER_TABLE: 'l',
        ACTIONS_QUEUE_URL: 'q',
        AUDIT_TABLE: 'a',
        POLICY_PACK: 'rumoi',
      }),
    ).rejects.toThrow(/PSEUDONYM_SECRET_ARN.*PSEUDONYM_KEY/);
  });

  it('reads the pseudonym key from the secret when an ARN is configured, else from PSEUDONYM_KEY', async () => {
    const secret = fakeSecrets(JSON.stringify({ pseudonymKey: 'k'.repeat(32) }));
    await expect(
      loadPseudonymKey({
        env: { PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:x', PSEUDONYM_KEY: KEY },
        secretsClient: () => secret.client,
      }),
    ).resolves.toBe('k'.repeat(32));
    expect(secret.calls).toEqual([{ SecretId: 'arn:aws:secretsmanager:x' }]);

    let built = false;
    await expect(
      loadPseudonymKey({
        env: { PSEUDONYM_KEY: KEY },
        secretsClient: () => {
          built = true;
          return secret.client;
        },
      }),
    ).resolves.toBe(KEY);
    expect(built).toBe(false);
  });

  it('rejects a malformed or weak key with a message that does not echo it', async () => {
    for (const body of [
      'not json',
      JSON.stringify({ key: 'x' }),
      JSON.stringify({ pseudonymKey: 'short' }),
    ]) {
      const secret = fakeSecrets(body);
      const attempt = loadPseudonymKey({
        env: { PSEUDONYM_SECRET_ARN: 'arn' },
        secretsClient: () => secret.client,
      });
      await expect(attempt).rejects.toThrow(ConfigurationError);
      await expect(attempt).rejects.not.toThrow(/short/);
    }
    await expect(loadPseudonymKey({ env: { PSEUDONYM_KEY: 'short' } })).rejects.toThrow(
      /at least 16/,
    );
  });
});

describe('deployed entry point (`handler`) wired from the environment', () => {
  const stage = useStage('entry');
  const saved = { ...process.env };

  beforeAll(() => {
    const { embedded } = stage;
    // The SDK's standard endpoint variables point the handler's default clients at loopback.
    Object.assign(process.env, embedded.env, {
      PSEUDONYM_KEY: KEY,
      POLICY_PACK: 'rumoi',
      AWS_ENDPOINT_URL_DYNAMODB: embedded.dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: embedded.sqsEndpoint,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it('classifies queued comments with the bundled policy, tokenizer and real analyze()', async () => {
    const { embedded, clients } = stage;
    const messages = [
      commentMessage({ text: '留萌の夕日、今日もきれいでした' }),
      commentMessage({ text: '090-1234-5678 に電話して' }),
      commentMessage({ field: 'mentions', text: undefined }),
    ];
    const { stats } = await deliverComments(
      embedded,
      clients,
      messages.map((m) => encodeCommentMessage(m)),
      { handler },
    );
    expect(stats.failed).toBe(0);
    const seen = await observe(
      embedded,
      messages.map((m) => m.commentId),
      clients,
    );
    expect(seen.decisions.size).toBe(3);
    expect(seen.decisions.get(messages[0]?.commentId ?? '')?.classifierVersion).toBeDefined();
    expect(seen.decisions.get(messages[2]?.commentId ?? '')?.pendingFetch).toBe(true);
    const phone = seen.decisions.get(messages[1]?.commentId ?? '');
    expect(phone?.redactedText).not.toContain('090-1234-5678');
    expect(seen.ledgerRows.get(messages[1]?.commentId ?? '')?.map((r) => r.type)).toContain(
      'phone',
    );
  });
});
