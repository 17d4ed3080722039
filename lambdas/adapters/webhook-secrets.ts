import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
  /** The function's (traced) Secrets Manager client, used by Powertools Parameters. */
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  /**
   * Re-read after this long so a rotation (new secret added next to the old one) reaches warm
   * functions; omit to read once for the life of the process. A failed re-read keeps the last value.
   */
  readonly maxAgeMs?: number;
}

/** "For the life of the process": Parameters wants a number of seconds. */
const FOREVER_SECONDS = 365 * 86_400;

/**
 * Powertools Parameters reads and caches the secret (`maxAge`). Its cache answers with an error
 * once the value is stale and the re-read fails; the webhook must keep verifying deliveries through
 * a Secrets Manager outage, so the last good value is kept here and served then. Concurrent first
 * calls share one request.
 */
const secretsManagerWebhookSecrets = (
  options: SecretsManagerWebhookSecretsOptions,
): WebhookSecretsProvider => {
  const provider = new SecretsProvider({ awsSdkV3Client: options.client });
  const maxAge =
    options.maxAgeMs === undefined
      ? FOREVER_SECONDS
      : Math.max(1, Math.round(options.maxAgeMs / 1000));
  let lastGood: WebhookSecrets | undefined;
  let inFlight: Promise<WebhookSecrets> | undefined;

  const read = async (): Promise<WebhookSecrets> => {
    let raw: unknown;
    try {
      raw = await provider.get(options.secretId, { maxAge });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      const name = cause instanceof Error ? cause.name : 'UnknownError';
      throw new SecretsUnavailableError(`webhook secret could not be read (${name})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === 'string' ? raw : '');
    } catch {
      throw new SecretsUnavailableError('webhook secret is not JSON');
    }
    const parsed = webhookSecretsSchema.safeParse(json);
    // Deliberately no detail from the secret value in the message.
    if (!parsed.success) throw new SecretsUnavailableError('webhook secret has the wrong shape');
    lastGood = parsed.data;
    return parsed.data;
  };

  return {
    async get() {
      inFlight ??= read().finally(() => {
        inFlight = undefined;
      });
      try {
        return await inFlight;
      } catch (error) {
        if (lastGood) return lastGood;
        throw error;
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
