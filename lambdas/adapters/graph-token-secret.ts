/**
 * The Graph token secret as the token-refresh function reads and rewrites it (`GRAPH_TOKEN_SECRET_ARN`,
 * JSON): `{ "accessToken": "...", "expiresAt": "<ISO>", "refreshedAt": "<ISO>" }`. An operator may
 * put `{ "accessToken": "..." }` alone; the first refresh adds the expiry. Any other field an
 * operator stored is kept as it was. Errors carry no secret material.
 */
import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { StoredToken } from '../core/ops/token-refresh';
import { GraphTokenError, readTokenSecretJson } from './graph-token';

const secretSchema = z.looseObject({
  accessToken: z.string().min(1).max(4096),
  expiresAt: z.iso.datetime().optional(),
  refreshedAt: z.iso.datetime().optional(),
});

interface TokenSecretValue extends StoredToken {
  readonly accessToken: string;
  /** Whatever else the JSON held, kept on write. */
  readonly extra: Readonly<Record<string, unknown>>;
}

interface TokenSecret {
  read(): Promise<TokenSecretValue>;
  /** Stores a refreshed token and its expiry as the secret's new current version. */
  write(
    previous: TokenSecretValue,
    next: { accessToken: string; expiresAt: number; refreshedAt: number },
  ): Promise<void>;
}

type SecretsClient = Pick<SecretsManagerClient, 'send'>;

const createTokenSecret = (client: SecretsClient, secretArn: string): TokenSecret => ({
  async read() {
    const { json, createdAt } = await readTokenSecretJson(client, secretArn);
    const parsed = secretSchema.safeParse(json);
    if (!parsed.success) throw new GraphTokenError('graph token secret has no valid accessToken');
    const { accessToken, expiresAt, refreshedAt: _refreshedAt, ...extra } = parsed.data;
    const storedAt = createdAt?.getTime() ?? Number.NaN;
    if (!Number.isFinite(storedAt))
      throw new GraphTokenError('graph token secret has no version date');
    return {
      accessToken,
      ...(expiresAt !== undefined ? { expiresAt: Date.parse(expiresAt) } : {}),
      storedAt,
      extra,
    };
  },

  async write(previous, next) {
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretArn,
        SecretString: JSON.stringify({
          ...previous.extra,
          accessToken: next.accessToken,
          expiresAt: new Date(next.expiresAt).toISOString(),
          refreshedAt: new Date(next.refreshedAt).toISOString(),
        }),
      }),
    );
  },
});

export type { TokenSecret, TokenSecretValue };
export { createTokenSecret };
