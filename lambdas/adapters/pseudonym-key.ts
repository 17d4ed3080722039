import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { ENV } from '../../lib/resources';
import { ConfigurationError, type Env, optionalEnv } from './env';

/** Shorter keys make the HMAC pseudonyms of enumerable values (user ids, phone numbers) guessable. */
const MIN_KEY_LENGTH = 16;

const secretSchema = z.object({ pseudonymKey: z.string().min(MIN_KEY_LENGTH) });

interface PseudonymKeySources {
  readonly env: Env;
  /** Built only when the secret ARN is configured. */
  readonly secretsClient?: () => SecretsManagerClient;
}

/**
 * The key for every keyed pseudonym (author refs, ledger value refs). In AWS: the secret named by
 * `PSEUDONYM_SECRET_ARN`, JSON `{ pseudonymKey }`. Locally: `PSEUDONYM_KEY`. Read once at start-up;
 * no default, because a default key would make every pseudonym reversible by anyone with the code.
 */
const loadPseudonymKey = async (sources: PseudonymKeySources): Promise<string> => {
  const arn = optionalEnv(sources.env, ENV.pseudonymSecretArn);
  if (arn) {
    if (!sources.secretsClient) {
      throw new ConfigurationError('pseudonym secret configured but no Secrets Manager client');
    }
    const out = await sources.secretsClient().send(new GetSecretValueCommand({ SecretId: arn }));
    let parsed: unknown;
    try {
      parsed = JSON.parse(out.SecretString ?? '');
    } catch {
      throw new ConfigurationError('pseudonym secret is not JSON');
    }
    const secret = secretSchema.safeParse(parsed);
    if (!secret.success) {
      throw new ConfigurationError(
        `pseudonym secret must be {"pseudonymKey": string of ${MIN_KEY_LENGTH}+ characters}`,
      );
    }
    return secret.data.pseudonymKey;
  }
  const local = optionalEnv(sources.env, ENV.pseudonymKey);
  if (!local) {
    throw new ConfigurationError(
      `missing ${ENV.pseudonymSecretArn} (AWS) or ${ENV.pseudonymKey} (local)`,
    );
  }
  if (local.length < MIN_KEY_LENGTH) {
    throw new ConfigurationError(
      `${ENV.pseudonymKey} must be at least ${MIN_KEY_LENGTH} characters`,
    );
  }
  return local;
};

export type { PseudonymKeySources };
export { loadPseudonymKey, MIN_KEY_LENGTH };
