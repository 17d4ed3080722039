/**
 * The decision codes, apart from the zod contracts so that the staff console can bundle them
 * without a validation library. `decision.ts` re-exports them.
 */

/** What the pipeline does with a comment, from least to most intrusive. */
const ACTIONS = ['allow', 'review', 'hide', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

/** Policy article 6 categories, "1".."11". */
const CATEGORY_IDS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'] as const;
type CategoryId = (typeof CATEGORY_IDS)[number];

/**
 * Action status on a decision. `none` for allow/review; `pending` until the act stage finishes;
 * `dry_run` when actions are disabled; `skipped_live` for live-video comments that Meta cannot hide.
 */
const ACTION_STATUSES = ['none', 'pending', 'done', 'failed', 'dry_run', 'skipped_live'] as const;
type ActionStatus = (typeof ACTION_STATUSES)[number];

export type { Action, ActionStatus, CategoryId };
export { ACTION_STATUSES, ACTIONS, CATEGORY_IDS };
