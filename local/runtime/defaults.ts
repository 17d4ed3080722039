import { ENV } from '../../lib/resources';

/**
 * The documented local defaults (README): printed at start-up, overridable by environment
 * variables. They exist only for the local runtime; the deployed functions have no defaults and
 * fail fast without their secrets.
 */
const LOCAL_DEFAULTS = {
  port: 3000,
  appSecret: 'local-app-secret',
  verifyToken: 'local-verify-token',
  // At least 16 characters, as the pseudonym key loader demands.
  pseudonymKey: 'local-pseudonym-key',
  dataDir: '.data',
  policyPack: 'rumoi',
} as const;

interface LocalSettings {
  readonly port: number;
  /** Several during a rotation: the first one signs what the local CLIs send. */
  readonly appSecrets: readonly string[];
  readonly verifyToken: string;
  readonly pseudonymKey: string;
  /** `POLICY_PACK`: a folder of `policies/`. */
  readonly policyPack: string;
}

class LocalSettingsError extends Error {
  override readonly name = 'LocalSettingsError';
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim().length > 0 ? value.trim() : undefined;

const parsePort = (raw: string | undefined, fallback: number): number => {
  const value = nonEmpty(raw);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalSettingsError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
};

/** `PORT`, `IG_APP_SECRET` (comma-separated), `IG_VERIFY_TOKEN`, `PSEUDONYM_KEY`, `POLICY_PACK`. */
const localSettings = (env: NodeJS.ProcessEnv = process.env): LocalSettings => {
  const secrets = (nonEmpty(env[ENV.appSecret]) ?? LOCAL_DEFAULTS.appSecret)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (secrets.length === 0) throw new LocalSettingsError(`${ENV.appSecret} holds no secret`);
  const pseudonymKey = nonEmpty(env[ENV.pseudonymKey]) ?? LOCAL_DEFAULTS.pseudonymKey;
  if (pseudonymKey.length < 16) {
    throw new LocalSettingsError(`${ENV.pseudonymKey} must be at least 16 characters`);
  }
  return {
    port: parsePort(env.PORT, LOCAL_DEFAULTS.port),
    appSecrets: secrets,
    verifyToken: nonEmpty(env[ENV.verifyToken]) ?? LOCAL_DEFAULTS.verifyToken,
    pseudonymKey,
    policyPack: nonEmpty(env[ENV.policyPack]) ?? LOCAL_DEFAULTS.policyPack,
  };
};

export type { LocalSettings };
export { LOCAL_DEFAULTS, LocalSettingsError, localSettings };
