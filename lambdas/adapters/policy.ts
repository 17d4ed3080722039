import rumoi from '../../policies/rumoi/policy.json';
import { type Policy, policySchema } from '../core/policy/schema';

/**
 * Policies are bundled with the code (esbuild inlines the JSON), validated once at cold start.
 * PLACEHOLDER laid by the lead; the classifier work (issue 4) owns it.
 */
const BUNDLED: Record<string, unknown> = { rumoi };

const loadPolicy = (id: string): Policy => {
  const raw = BUNDLED[id];
  if (raw === undefined) throw new Error(`unknown policy ${id}`);
  return policySchema.parse(raw);
};

export { loadPolicy };
