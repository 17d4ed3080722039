import { checkSync } from 'recheck';
import rumoi from '../../policies/rumoi/policy.json';
import { compiled, policyPatterns } from '../core/classifier/compile';
import { type Policy, policySchema } from '../core/policy/schema';

/**
 * Policies are bundled with the code (esbuild inlines the JSON) and validated once at cold start:
 * zod for the shape, recheck for every regular expression (a policy is configuration, and a
 * catastrophic-backtracking pattern in configuration is a denial of service), then compiled.
 */
const BUNDLED: Readonly<Record<string, unknown>> = { rumoi };

class PolicyError extends Error {
  override name = 'PolicyError';
}

interface LoadOptions {
  /**
   * recheck runs a JVM-free Scala.js analyser: thorough but slow (seconds for a full policy).
   * Lambda cold starts skip it (`redosCheck: false`) because the bundled policies are checked in
   * the test suite on every build; policies that do not come from the bundle must keep it on.
   */
  readonly redosCheck?: boolean;
}

/** Throws PolicyError when a pattern is not proven safe (`vulnerable` or `unknown`). */
const assertSafePatterns = (policy: Policy): void => {
  for (const pattern of policyPatterns(policy)) {
    const result = checkSync(pattern.source, pattern.flags, { randomSeed: 42, timeout: 10_000 });
    if (result.status !== 'safe') {
      throw new PolicyError(`policy ${policy.id}: regex ${pattern.source} is ${result.status}`);
    }
  }
};

/** Validates raw policy data (e.g. a policy under development) and returns it compiled-ready. */
const parsePolicy = (raw: unknown, options: LoadOptions = {}): Policy => {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyError(
      `invalid policy: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  if (options.redosCheck ?? true) assertSafePatterns(parsed.data);
  compiled(parsed.data);
  return parsed.data;
};

const loaded = new Map<string, Policy>();

const loadPolicy = (id: string, options: LoadOptions = { redosCheck: false }): Policy => {
  const cached = loaded.get(id);
  if (cached) return cached;
  const raw = BUNDLED[id];
  if (raw === undefined) throw new PolicyError(`unknown policy ${id}`);
  const policy = parsePolicy(raw, options);
  loaded.set(id, policy);
  return policy;
};

export type { LoadOptions };
export { assertSafePatterns, loadPolicy, PolicyError, parsePolicy };
