import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { ENV } from '../../lib/resources';
import type { WebhookSecrets, WebhookSecretsProvider } from '../core/webhook/ports';
import { ConfigurationError, type Env, requireEnv } from './env';

/**
 * Where the webhook's app secrets and verify token come from: Secrets Manager in AWS (a JSON secret
 * `{ appSecrets: string[], verifyToken: string }`), environment variables locally.
 */

/** Secrets Manager could not be read and no earlier value is cached. Answered 503. */
class SecretsUnavailableError extends Error {
  override name = 'SecretsUnavailableError';
}

const webhookSecretsSchema = z.object({
  appSecrets: z.array(z.string().min(1)).min(1),
  verifyToken: z.string().min(1),
});

const staticWebhookSecrets = (secrets: WebhookSecrets): WebhookSecretsProvider => {
  const value = webhookSecretsSchema.parse(secrets);
  return { get: async () => value };
};

/**
 * Local configuration: `IG_APP_SECRET` (comma-separated, old and new together during a rotation) and
 * `IG_VERIFY_TOKEN`. Throws `ConfigurationError` at once when either is missing.
 */
const localWebhookSecrets = (env: Env): WebhookSecretsProvider => {
  const appSecrets = requireEnv(env, ENV.appSecret)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (appSecrets.length === 0) {
    throw new ConfigurationError(`${ENV.appSecret} holds no secret`);
  }
  return staticWebhookSecrets({ appSecrets, verifyToken: requireEnv(env, ENV.verifyToken) });
};

interface SecretsManagerWebhookSecretsOptions {
  readonly client: Pick<SecretsManagerClient, 'send'>;
  readonly secretId: string;
  /**
   * Re-read after this long so a rotation (new secret added next to the old one) reaches warm
   * functions; omit to read once for the life of the process. A failed re-read keeps the last value.
   */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/** Reads the secret once and caches it; concurrent first calls share one request. */
const secretsManagerWebhookSecrets = (
  options: SecretsManagerWebhookSecretsOptions,
): WebhookSecretsProvider => {
  const now = options.now ?? Date.now;
  let cached: { value: WebhookSecrets; at: number } | undefined;
  let inFlight: Promise<WebhookSecrets> | undefined;

  const load = async (): Promise<WebhookSecrets> => {
    let raw: string | undefined;
    try {
      const result = await options.client.send(
        new GetSecretValueCommand({ SecretId: options.secretId }),
      );
      raw = result.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      throw new SecretsUnavailableError(`webhook secret could not be read (${name})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw ?? '');
    } catch {
      throw new SecretsUnavailableError('webhook secret is not JSON');
    }
    const parsed = webhookSecretsSchema.safeParse(json);
    // Deliberately no detail from the secret value in the message.
    if (!parsed.success) throw new SecretsUnavailableError('webhook secret has the wrong shape');
    return parsed.data;
  };

  const refresh = (): Promise<WebhookSecrets> => {
    inFlight ??= load()
      .then((value) => {
        cached = { value, at: now() };
        return value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    async get() {
      if (!cached) return refresh();
      const stale = options.maxAgeMs !== undefined && now() - cached.at >= options.maxAgeMs;
      if (!stale) return cached.value;
      try {
        return await refresh();
      } catch {
        return cached.value;
      }
    },
  };
};

export type { SecretsManagerWebhookSecretsOptions };
export {
  localWebhookSecrets,
  SecretsUnavailableError,
  secretsManagerWebhookSecrets,
  staticWebhookSecrets,
  webhookSecretsSchema,
};
