import { z } from 'zod';
import { ACTIONS, CATEGORY_IDS } from '../contracts/decision';

/**
 * The policy file contract: a city's article 6 as data. Another city adopts the product by writing
 * its own `policies/<city>/policy.json` against this schema.
 *
 * Rules match on normalised text (see `text/normalize.ts`); word-list entries are normalised with the
 * same pipeline at load, so authors write words as people do (カタカナ, ひらがな, 漢字 alike).
 *
 * A rule fires when every group in `all` has an occurrence (within `window` characters of the first
 * group's occurrence, when given) and no `unless` item occurs near it. A group item is:
 * - a word: `"大麻"`; `|` at either end asks for a kuromoji word boundary there (`"|ないふ"`), a
 *   left `|` also refuses a start on a particle (面白い**しね**);
 * - a word list: `"@insult"` (see `lexicons`);
 * - a signal computed by the classifier: `"$link.shortener"`, `"$pii.phone"`, `"$text.flood"` …;
 * - a regular expression `{ "re": "…", "view": "folded" | "compact" }` (checked for ReDoS at load).
 */

/** Signals the classifier computes, usable as group items (`$name`). */
const SIGNALS = [
  'link.any',
  'link.unknown',
  'link.allowlisted',
  'link.shortener',
  'link.ip',
  'link.lookalike',
  'link.executable',
  'link.suspicious_tld',
  'link.credential',
  'link.obfuscated',
  'text.flood',
  /** A flood longer than a cheer: six copies or more, or a run of one character past 24. */
  'text.flood.long',
  'text.repeat',
  'text.mention',
  'text.question',
  'pii.any',
  'pii.contact',
  'pii.sensitive',
  'pii.person_name',
  'pii.phone',
  'pii.email',
  'pii.postal_code',
  'pii.address',
  'pii.my_number',
  'pii.credit_card',
  'pii.bank_account',
  'pii.passport',
  'pii.drivers_license',
  'pii.birth_date',
  'pii.license_plate',
] as const;
type Signal = (typeof SIGNALS)[number];

const ID = /^[a-z0-9][a-z0-9._-]{0,80}$/;

const regexItemSchema = z.object({
  re: z.string().min(1).max(400),
  flags: z
    .string()
    .regex(/^[imsu]*$/)
    .optional(),
  view: z.enum(['folded', 'compact']).default('folded'),
  /** The regex runs only when one of these strings occurs in the view: keeps the hot path cheap. */
  gate: z.array(z.string().min(1)).min(1).optional(),
});

const itemSchema = z.union([z.string().min(1).max(80), regexItemSchema]);
const groupSchema = z.array(itemSchema).min(1);

const ruleSchema = z.object({
  id: z.string().regex(ID),
  /** Contribution to the category score (noisy-or of the rules that fire). */
  weight: z.number().gt(0).max(1),
  all: z.array(groupSchema).min(1).max(6),
  /** Max characters between the first group's occurrence and every other group's. */
  window: z.number().int().positive().max(2000).optional(),
  unless: groupSchema.optional(),
  /** Max characters between the anchor and an `unless` item; the whole comment when absent. */
  unlessWindow: z.number().int().nonnegative().max(2000).optional(),
  note: z.string().max(300).optional(),
});

const actionStepSchema = z.object({
  minScore: z.number().gt(0).max(1),
  action: z.enum(ACTIONS).exclude(['allow']),
});

const categorySchema = z.object({
  id: z.enum(CATEGORY_IDS),
  /** The article 6 wording, in Japanese. */
  title: z.string().min(1),
  /** From least to most severe; the highest step reached is the category's action. */
  actions: z.array(actionStepSchema).min(1),
  rules: z.array(ruleSchema),
});

/**
 * How the learned second opinion (`classifier/model.ts`) joins the rules. The model alone can only
 * ever ask a person to look (`review`, and not even an interim hide off hours); hiding or deleting
 * needs a rule, or a rule the model corroborates where `corroborate` says so.
 */
/** A category head of the model: where its score reaches `minScore`, `rule` names it in evidence. */
const modelHeadSchema = z.object({
  id: z.enum(CATEGORY_IDS),
  rule: z.string().regex(ID),
  minScore: z.number().gt(0).lt(1),
});

const secondOpinionSchema = z.object({
  /** The model these thresholds were chosen for: any other model fails at load. */
  model: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  /** A comment no rule flags, but the model's `any` head scores at least `minScore`. */
  alone: z.object({
    rule: z.string().regex(ID),
    minScore: z.number().gt(0).lt(1),
    /**
     * ...and the comment holds at least this many letters or digits: on a word or two the model's
     * score is a guess (it learned from sentences), so a short comment is flagged by rules only.
     */
    minLetters: z.number().int().min(0).max(100).default(0),
    action: z.literal('review'),
    /** Off hours a model-only review stays visible: the model never hides, even for a night. */
    offHours: z.literal('review'),
    /** Filed under this category when no head below names one (article 6(11): the city judges). */
    category: z.enum(CATEGORY_IDS),
    /**
     * Heads that name the category of a comment the model alone flags: chosen by cross-validation
     * on the comments the model flags, where each was right often enough about its category.
     */
    categories: z.array(modelHeadSchema).default([]),
    note: z.string().max(300).optional(),
  }),
  /**
   * Category heads that beat the rules out of sample (cross-validated at training): on a comment the
   * rules or the `any` head flag, a head at or above `minScore` asserts its category, with the model
   * named in the evidence. A head never flags a comment by itself.
   */
  categories: z.array(modelHeadSchema).default([]),
  /**
   * Rule checked by model: a rule's `hide` or `delete` stands only when the model's `any` head
   * reaches `minScore`; below it the comment goes to `review` (still hidden off hours, as any rule
   * review), so removing a comment without a person takes two independent signals. `minScore` is
   * chosen at training, on held-back scores, to keep nearly all of the rules' right removals.
   */
  confirm: z
    .object({
      rule: z.string().regex(ID),
      minScore: z.number().gt(0).lt(1),
      /**
       * Rules whose removal stands without the model: a threat to someone's life or body aimed at
       * a person. Such a comment must come down at once; a wrong removal is restored by a person,
       * a threat left up while the model hesitates is not undone.
       */
      standsAlone: z.array(z.string().regex(ID)).default([]),
    })
    .optional(),
  /**
   * Rule plus model: a category the rules assert with a score of at least `ruleMinScore` takes
   * `action` when the model's `any` head also reaches `modelMinScore`.
   */
  corroborate: z
    .array(
      z.object({
        category: z.enum(CATEGORY_IDS),
        rule: z.string().regex(ID),
        ruleMinScore: z.number().gt(0).max(1),
        modelMinScore: z.number().gt(0).lt(1),
        action: z.enum(['hide']),
      }),
    )
    .default([]),
});

const linksSchema = z.object({
  allowlist: z.array(z.string().min(3)).min(1),
  shorteners: z.array(z.string().min(3)),
  suspiciousTlds: z.array(z.string().min(2)),
  executableExtensions: z.array(z.string().min(2)),
  knownTlds: z.array(z.string().min(2)),
  brands: z.array(z.object({ token: z.string().min(2), domains: z.array(z.string().min(3)) })),
  credentialWords: z.array(z.string().min(3)),
});

const policySchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    /** Days a decision and its ledger rows are kept (article 9: no longer than needed). */
    retentionDays: z.number().int().positive(),
    name: z.string().optional(),
    source: z.string().optional(),
    lexicons: z.record(z.string().regex(ID), z.array(z.string().min(1).max(80)).min(1)),
    links: linksSchema,
    categories: z.array(categorySchema).length(CATEGORY_IDS.length),
    /** Questions, opinions and requests addressed to the city: flagged for staff, never a violation. */
    inquiry: z.object({
      minScore: z.number().gt(0).max(1),
      /** Categories whose presence means the comment is not talking to the city (spam, threats…). */
      notWith: z.array(z.enum(CATEGORY_IDS)).default([]),
      rules: z.array(ruleSchema),
    }),
    secondOpinion: secondOpinionSchema.optional(),
    /**
     * A quotation reported as received (「荷物を受け取るだけで3万」ってDMが来た): the words inside are
     * what someone else sent, quoted to warn others. A category whose every piece of evidence lies
     * inside such quotations is not hidden or deleted by the rules: it goes to `review`, with `rule`
     * in its evidence. The quotation must close, be followed by a quoting particle (って, と,
     * みたいな, なんて), and one of `reportedBy` must follow within `window` characters.
     */
    quotedReport: z
      .object({
        rule: z.string().regex(ID),
        reportedBy: z.array(z.string().min(1).max(40)).min(1),
        window: z.number().int().positive().max(100),
        note: z.string().max(300).optional(),
      })
      .optional(),
  })
  .superRefine((policy, ctx) => {
    const seenCategories = new Set(policy.categories.map((c) => c.id));
    if (seenCategories.size !== CATEGORY_IDS.length) {
      ctx.addIssue({ code: 'custom', message: 'every category 1..11 exactly once' });
    }
    const ruleIds = new Set<string>();
    const rules = [...policy.categories.flatMap((c) => c.rules), ...policy.inquiry.rules];
    const signals = new Set<string>(SIGNALS);
    const check = (item: z.infer<typeof itemSchema>, ruleId: string): void => {
      if (typeof item !== 'string') {
        try {
          new RegExp(item.re, item.flags);
        } catch {
          ctx.addIssue({ code: 'custom', message: `rule ${ruleId}: invalid regex` });
        }
        return;
      }
      if (item.startsWith('@') && !(item.slice(1) in policy.lexicons)) {
        ctx.addIssue({ code: 'custom', message: `rule ${ruleId}: unknown lexicon ${item}` });
      }
      if (item.startsWith('$') && !signals.has(item.slice(1))) {
        ctx.addIssue({ code: 'custom', message: `rule ${ruleId}: unknown signal ${item}` });
      }
    };
    const modelRules = policy.secondOpinion
      ? [
          policy.secondOpinion.alone.rule,
          ...policy.secondOpinion.alone.categories.map((c) => c.rule),
          ...policy.secondOpinion.categories.map((c) => c.rule),
          ...policy.secondOpinion.corroborate.map((c) => c.rule),
          ...(policy.secondOpinion.confirm ? [policy.secondOpinion.confirm.rule] : []),
        ]
      : [];
    const contextRules = policy.quotedReport ? [policy.quotedReport.rule] : [];
    for (const id of [...rules.map((r) => r.id), ...modelRules, ...contextRules]) {
      if (ruleIds.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${id}` });
      ruleIds.add(id);
    }
    for (const id of policy.secondOpinion?.confirm?.standsAlone ?? []) {
      if (!rules.some((r) => r.id === id)) {
        ctx.addIssue({ code: 'custom', message: `secondOpinion.confirm: unknown rule ${id}` });
      }
    }
    for (const rule of rules) {
      for (const group of rule.all) for (const item of group) check(item, rule.id);
      for (const item of rule.unless ?? []) check(item, rule.id);
    }
    for (const category of policy.categories) {
      const scores = category.actions.map((a) => a.minScore);
      if (scores.some((s, i) => i > 0 && s <= (scores[i - 1] ?? 0))) {
        ctx.addIssue({ code: 'custom', message: `category ${category.id}: actions out of order` });
      }
    }
  });

type Policy = z.infer<typeof policySchema>;
type PolicyRule = z.infer<typeof ruleSchema>;
type PolicyItem = z.infer<typeof itemSchema>;
type PolicyCategory = z.infer<typeof categorySchema>;
type SecondOpinion = z.infer<typeof secondOpinionSchema>;

export type { Policy, PolicyCategory, PolicyItem, PolicyRule, SecondOpinion, Signal };
export { policySchema, SIGNALS };
