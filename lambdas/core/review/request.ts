import { z } from 'zod';
import { CATEGORY_IDS } from '../contracts/decision';

/**
 * A reviewer's submission, as the API receives it. `version` is the `version` the reviewer was
 * shown: the optimistic lock. `reason` is the "why" of the audit trail (staff are asked to write no
 * personal data in it; it is bounded and never logged).
 */
const version = z.number().int().nonnegative().max(1_000_000);
const reason = z.string().trim().min(1).max(500);

const reviewRequestSchema = z.discriminatedUnion('action', [
  /** The comment is fine: restore it if it is hidden, leave it visible otherwise. */
  z.object({ action: z.literal('approve'), version, reason }),
  /** The machine was right: keep it hidden (default) or delete it. */
  z.object({
    action: z.literal('confirm'),
    version,
    reason,
    outcome: z.enum(['hide', 'delete']).default('hide'),
  }),
  /** A person names the categories and the outcome (for corrections and for 6(11) judgements). */
  z
    .object({
      action: z.literal('reclassify'),
      version,
      reason,
      categories: z
        .array(z.enum(CATEGORY_IDS))
        .max(CATEGORY_IDS.length)
        .refine((ids) => new Set(ids).size === ids.length, 'duplicate category'),
      outcome: z.enum(['allow', 'hide', 'delete']),
    })
    .refine((r) => r.outcome === 'allow' || r.categories.length > 0, {
      message: 'hiding or deleting needs at least one article 6 category',
      path: ['categories'],
    }),
]);

type ReviewRequest = z.output<typeof reviewRequestSchema>;

export type { ReviewRequest };
export { reviewRequestSchema };
