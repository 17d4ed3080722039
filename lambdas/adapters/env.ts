/**
 * Fail-fast configuration reads, done once at cold start. A missing resource name or secret is a
 * deployment error: better a failed init than a function that runs half-configured.
 */
class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const requireEnv = (env: Env, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(`missing required environment variable ${name}`);
  return value;
};

const optionalEnv = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

/** `true` only for the literal string `true`: anything else (typos included) keeps the safe side. */
const booleanEnv = (env: Env, name: string): boolean => env[name]?.trim() === 'true';

export type { Env };
export { booleanEnv, ConfigurationError, optionalEnv, requireEnv };
