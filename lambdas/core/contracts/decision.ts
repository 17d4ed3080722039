import { z } from 'zod';
import {
  ACTION_STATUSES,
  ACTIONS,
  type Action,
  type ActionStatus,
  CATEGORY_IDS,
  type CategoryId,
} from './codes';
import { COMMENT_FIELDS, graphId } from './comment-message';

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
