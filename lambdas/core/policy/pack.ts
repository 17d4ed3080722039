import { z } from 'zod';
import { ACTIONS, CATEGORY_IDS } from '../contracts/decision';

/**
 * A policy pack is a folder `policies/<name>/` with `policy.json` and `office-hours.json`. A
 * city's `policy.json` is either a whole policy (see `schema.ts`) or a small overlay on another
 * pack: `{ "extends": "rumoi", ... }` naming only what differs (its own id, version and name,
 * links it trusts, categories whose actions it sets). The merged result is then validated by the
 * same schema as any whole policy, so an overlay inherits every field a newer schema adds.
 */

const PACK_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const actionStepSchema = z.object({
  minScore: z.number().gt(0).max(1),
  action: z.enum(ACTIONS).exclude(['allow']),
});

const categoryOverlaySchema = z
  .strictObject({
    /** Replaces the category's action steps. */
    actions: z.array(actionStepSchema).min(1).optional(),
    /** Keeps the steps' thresholds but never acts alone: every step becomes `review`. */
    reviewOnly: z.literal(true).optional(),
  })
  .refine((c) => !(c.actions && c.reviewOnly), {
    message: 'set either actions or reviewOnly, not both',
  });

const policyOverlaySchema = z.strictObject({
  extends: z.string().regex(PACK_NAME, 'extends: the name of another pack folder'),
  id: z.string().min(1),
  version: z.string().min(1),
  name: z.string().optional(),
  source: z.string().optional(),
  retentionDays: z.number().int().positive().optional(),
  links: z
    .strictObject({
      /** Hosts (or host/path prefixes) added to the base pack's allowlist. */
      allowlistAdd: z.array(z.string().min(3)).min(1),
    })
    .optional(),
  categories: z.partialRecord(z.enum(CATEGORY_IDS), categoryOverlaySchema).optional(),
});

type PolicyOverlay = z.infer<typeof policyOverlaySchema>;

/** Whether raw `policy.json` data is an overlay (it names the pack it extends). */
const isOverlay = (raw: unknown): raw is { extends: unknown } =>
  typeof raw === 'object' && raw !== null && 'extends' in raw;

type Json = Record<string, unknown>;

/**
 * The base pack's raw policy with the overlay applied. Pure data in, data out; the caller
 * validates the result with the policy schema. Throws a ZodError on a malformed overlay.
 */
const applyOverlay = (base: Json, rawOverlay: unknown): Json => {
  const overlay = policyOverlaySchema.parse(rawOverlay);
  const { extends: _base, links, categories, ...fields } = overlay;
  const merged: Json = { ...base, ...fields };
  if (links) {
    const baseLinks = (base.links ?? {}) as Json;
    const allowlist = Array.isArray(baseLinks.allowlist) ? (baseLinks.allowlist as unknown[]) : [];
    merged.links = {
      ...baseLinks,
      allowlist: [...new Set([...allowlist, ...links.allowlistAdd])],
    };
  }
  if (categories) {
    const baseCategories = Array.isArray(base.categories) ? (base.categories as Json[]) : [];
    merged.categories = baseCategories.map((category) => {
      const change = categories[String(category.id) as keyof typeof categories];
      if (!change) return category;
      if (change.actions) return { ...category, actions: change.actions };
      const steps = Array.isArray(category.actions) ? (category.actions as Json[]) : [];
      return { ...category, actions: steps.map((step) => ({ ...step, action: 'review' })) };
    });
  }
  return merged;
};

export type { PolicyOverlay };
export { applyOverlay, isOverlay, PACK_NAME, policyOverlaySchema };
