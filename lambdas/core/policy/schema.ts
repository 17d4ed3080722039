import { z } from 'zod';

/**
 * The policy file contract. PLACEHOLDER shape laid by the lead; the classifier work (issue 4) owns
 * this file and extends it (categories, rules, word lists, thresholds, actions, allowlists).
 */
const policySchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  /** Days a decision and its ledger rows are kept (article 9: no longer than needed). */
  retentionDays: z.number().int().positive(),
});

type Policy = z.infer<typeof policySchema>;

export type { Policy };
export { policySchema };
