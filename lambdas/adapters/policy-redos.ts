import { checkSync } from 'recheck';
import { policyPatterns } from '../core/classifier/compile';
import type { Policy } from '../core/policy/schema';
import { PolicyError, parsePolicy } from './policy';

/**
 * The ReDoS gate of policy data: every regular expression a policy supplies must be proven safe by
 * recheck (a catastrophic-backtracking pattern in configuration is a denial of service). recheck
 * is a large analyser (~2.6 MB) that takes seconds on a full policy, so it runs where policies are
 * written and reviewed: the test suite checks every pack under `policies/`, and a policy under
 * development goes through `parseCheckedPolicy`. The Lambda bundles never import this module.
 */

/** Throws PolicyError when a pattern is not proven safe (`vulnerable` or `unknown`). */
const assertSafePatterns = (policy: Policy): void => {
  for (const pattern of policyPatterns(policy)) {
    const result = checkSync(pattern.source, pattern.flags, { randomSeed: 42, timeout: 10_000 });
    if (result.status !== 'safe') {
      throw new PolicyError(`policy ${policy.id}: regex ${pattern.source} is ${result.status}`);
    }
  }
};

/** `parsePolicy` and then the ReDoS check: for policy data that is not in the repository yet. */
const parseCheckedPolicy = (raw: unknown): Policy => {
  const policy = parsePolicy(raw);
  assertSafePatterns(policy);
  return policy;
};

export { assertSafePatterns, parseCheckedPolicy };
