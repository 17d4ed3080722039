/**
 * The Graph page access token. In AWS it lives in Secrets Manager (`GRAPH_TOKEN_SECRET_ARN`, JSON
 * `{ "accessToken": "..." }`), read once and cached; a token error (190) invalidates the cache so a
 * rotated secret is picked up. Locally it comes from `IG_ACCESS_TOKEN`.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { AccessTokenSource } from './graph-api-client';

const tokenSecretSchema = z.object({ accessToken: z.string().min(1).max(4096) });

/** The secret was unreadable or malformed. Carries no secret material. */
class GraphTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphTokenError';
  }
}

interface CachedTokenOptions {
  /** Re-read the secret after this long even without an error, so rotation is seen. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/** Caches what `load` returns; concurrent callers share one in-flight read. */
const createCachedTokenSource = (
  load: () => Promise<string>,
  options: CachedTokenOptions = {},
): AccessTokenSource => {
  const maxAgeMs = options.maxAgeMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { value: Promise<string>; loadedAt: number } | undefined;
  return {
    get() {
      if (!cached || now() - cached.loadedAt >= maxAgeMs) {
        const value = load();
        const entry = { value, loadedAt: now() };
        cached = entry;
        // A failed read is not cached: the next message tries again.
        value.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
  };
};

type SecretsClient = Pick<SecretsManagerClient, 'send'>;

/** The current version's JSON and when it was written. Errors carry no secret material. */
const readTokenSecretJson = async (
  client: SecretsClient,
  secretArn: string,
): Promise<{ readonly json: unknown; readonly createdAt?: Date }> => {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  try {
    return {
      json: JSON.parse(result.SecretString ?? ''),
      ...(result.CreatedDate instanceof Date ? { createdAt: result.CreatedDate } : {}),
    };
  } catch {
    throw new GraphTokenError('graph token secret is not JSON');
  }
};

const secretsManagerTokenSource = (
  client: SecretsClient,
  secretArn: string,
  options: CachedTokenOptions = {},
): AccessTokenSource =>
  createCachedTokenSource(async () => {
    const { json: parsed } = await readTokenSecretJson(client, secretArn);
    const secret = tokenSecretSchema.safeParse(parsed);
    if (!secret.success) throw new GraphTokenError('graph token secret has no accessToken');
    return secret.data.accessToken;
  }, options);

/** A fixed token (local runs). `invalidate` has nothing to refresh. */
const staticTokenSource = (token: string): AccessTokenSource => ({
  get: () => Promise.resolve(token),
  invalidate: () => undefined,
});

export type { CachedTokenOptions, SecretsClient };
export {
  createCachedTokenSource,
  GraphTokenError,
  readTokenSecretJson,
  secretsManagerTokenSource,
  staticTokenSource,
};
