import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambdas/adapters/env';
import {
  createCachedTokenSource,
  secretsManagerTokenSource,
} from '../../lambdas/adapters/graph-token';
import { parseQueueArn } from '../../lambdas/adapters/message-visibility';
import { depsFromEnv } from '../../lambdas/handlers/act';

const BASE = { DECISIONS_TABLE: 'decisions', BREAKER_TABLE: 'breaker' };

describe('act handler configuration', () => {
  it('fails fast without its tables', () => {
    expect(() => depsFromEnv({ BREAKER_TABLE: 'b' })).toThrow(ConfigurationError);
    expect(() => depsFromEnv({ DECISIONS_TABLE: 'd' })).toThrow(ConfigurationError);
  });

  it('is a dry run unless ACTIONS_ENABLED is exactly "true"', () => {
    expect(depsFromEnv(BASE).config.actionsEnabled).toBe(false);
    expect(depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'TRUE' }).config.actionsEnabled).toBe(false);
    expect(depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'yes' }).config.actionsEnabled).toBe(false);
    expect(
      depsFromEnv({
        ...BASE,
        ACTIONS_ENABLED: 'true',
        IG_ACCESS_TOKEN: 't',
        GRAPH_LOGIN_TYPE: 'instagram',
      }).config.actionsEnabled,
    ).toBe(true);
  });

  it('live mode needs a token source and a Graph host, and the base URL must be https', () => {
    const secret = { GRAPH_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:x' };
    expect(() =>
      depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'true', GRAPH_LOGIN_TYPE: 'facebook' }),
    ).toThrow(ConfigurationError);
    // The host follows the token's login: no silent default to graph.facebook.com.
    expect(() => depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'true', ...secret })).toThrow(
      /GRAPH_LOGIN_TYPE/,
    );
    expect(() =>
      depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'true', ...secret, GRAPH_LOGIN_TYPE: 'instagram' }),
    ).not.toThrow();
    expect(() =>
      depsFromEnv({ ...BASE, ACTIONS_ENABLED: 'true', ...secret, GRAPH_LOGIN_TYPE: 'tiktok' }),
    ).toThrow(ConfigurationError);
    expect(() => depsFromEnv({ ...BASE, GRAPH_API_BASE_URL: 'http://example.com' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('graph token source', () => {
  it('reads the secret once, shares the read, re-reads after invalidate', async () => {
    let reads = 0;
    const source = createCachedTokenSource(async () => `t${++reads}`);
    expect(await Promise.all([source.get(), source.get()])).toEqual(['t1', 't1']);
    source.invalidate();
    expect(await source.get()).toBe('t2');
  });

  it('re-reads after its maximum age and does not cache a failed read', async () => {
    let now = 0;
    let fail = true;
    let reads = 0;
    const source = createCachedTokenSource(
      async () => {
        reads++;
        if (fail) throw new Error('unavailable');
        return `t${reads}`;
      },
      { maxAgeMs: 1000, now: () => now },
    );
    await expect(source.get()).rejects.toThrow('unavailable');
    fail = false;
    expect(await source.get()).toBe('t2');
    now = 1000;
    expect(await source.get()).toBe('t3');
  });

  it('parses the Secrets Manager value {accessToken} and rejects anything else', async () => {
    const client = (SecretString: string) => ({ send: async () => ({ SecretString }) });
    const ok = secretsManagerTokenSource(
      client(JSON.stringify({ accessToken: 'abc' })) as never,
      'arn',
    );
    expect(await ok.get()).toBe('abc');
    const bad = secretsManagerTokenSource(client('{"token":"abc"}') as never, 'arn');
    await expect(bad.get()).rejects.toMatchObject({ name: 'GraphTokenError' });
    const notJson = secretsManagerTokenSource(client('abc') as never, 'arn');
    await expect(notJson.get()).rejects.toMatchObject({ name: 'GraphTokenError' });
  });
});

describe('queue ARN', () => {
  it('parses an SQS ARN and rejects others', () => {
    expect(parseQueueArn('arn:aws:sqs:ap-northeast-1:123456789012:actions')).toEqual({
      account: '123456789012',
      name: 'actions',
    });
    expect(parseQueueArn('arn:aws:sns:ap-northeast-1:123456789012:topic')).toBeUndefined();
  });
});
