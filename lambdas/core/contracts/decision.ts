import { z } from 'zod';
import { COMMENT_FIELDS, graphId } from './comment-message';

/** What the pipeline does with a comment, from least to most intrusive. */
const ACTIONS = ['allow', 'review', 'hide', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

/** Policy article 6 categories, "1".."11". */
const CATEGORY_IDS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'] as const;
type CategoryId = (typeof CATEGORY_IDS)[number];

/**
 * A rule that fired, located in the ORIGINAL text (JavaScript string indices, end exclusive). When
 * the learned second opinion took part, its evidence spans the whole comment and names the model
 * (`name@version`) and its score, so a person can tell a model's judgement from a rule's.
 */
interface Evidence {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
  readonly model?: string;
  readonly score?: number;
}

interface CategoryFinding {
  readonly id: CategoryId;
  /** 0..1 */
  readonly score: number;
  readonly evidence: readonly Evidence[];
}

/**
 * Action status on a decision. `none` for allow/review; `pending` until the act stage finishes;
 * `dry_run` when actions are disabled; `skipped_live` for live-video comments that Meta cannot hide.
 */
const ACTION_STATUSES = ['none', 'pending', 'done', 'failed', 'dry_run', 'skipped_live'] as const;
type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * What the act stage may ask of Instagram: hide and delete from the classify stage (and staff
 * review), unhide from a staff review that restores a comment the machine hid. None creates
 * content.
 */
const MODERATION_ACTIONS = ['hide', 'delete', 'unhide'] as const;

/** Message to the act stage (classify stage or staff review). Carries no text and no author. */
const actionMessageSchema = z.object({
  commentId: graphId,
  accountId: graphId,
  field: z.enum(COMMENT_FIELDS),
  action: z.enum(MODERATION_ACTIONS),
  mediaProductType: z.string().max(64).optional(),
  policyVersion: z.string().min(1).max(64),
  decidedAt: z.iso.datetime(),
});
type ActionMessage = z.infer<typeof actionMessageSchema>;

export type { Action, ActionMessage, ActionStatus, CategoryFinding, CategoryId, Evidence };
export { ACTION_STATUSES, ACTIONS, actionMessageSchema, CATEGORY_IDS, MODERATION_ACTIONS };
