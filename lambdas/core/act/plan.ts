/**
 * What to do with an action message before anything is called, and what a failed call means.
 */
import type { ActionMessage } from '../contracts/decision';
import { type BackoffConfig, fullJitterDelay, type RandomSource } from './backoff';
import { classifyGraphFailure, type ErrorClass, type GraphFailure } from './graph-errors';

type Plan = 'skip_live' | 'dry_run' | 'call';

/** Meta cannot hide, unhide or delete comments on live video. */
const isLiveComment = (message: ActionMessage): boolean =>
  message.field === 'live_comments' || message.mediaProductType?.toUpperCase() === 'LIVE';

const planAction = (message: ActionMessage, actionsEnabled: boolean): Plan => {
  // Live first: even a live run could not act on it, so "would have hidden" would be untrue.
  if (isLiveComment(message)) return 'skip_live';
  if (!actionsEnabled) return 'dry_run';
  return 'call';
};

type FailurePlan =
  | { readonly next: 'done'; readonly errorClass: ErrorClass }
  | { readonly next: 'fail'; readonly errorClass: ErrorClass }
  | { readonly next: 'wait_for_window'; readonly errorClass: ErrorClass }
  | { readonly next: 'retry'; readonly errorClass: ErrorClass; readonly delaySeconds: number };

/**
 * `attempt` is the 1-based number of the call that failed. A transient failure on the last
 * allowed attempt is final: SQS redelivery is the only retry layer and it has been used up.
 */
const planAfterFailure = (
  failure: GraphFailure,
  attempt: number,
  maxAttempts: number,
  backoff: BackoffConfig,
  random: RandomSource,
): FailurePlan => {
  const errorClass = classifyGraphFailure(failure);
  switch (errorClass) {
    case 'not_found':
      return { next: 'done', errorClass };
    case 'permanent':
      return { next: 'fail', errorClass };
    case 'throttled':
      return { next: 'wait_for_window', errorClass };
    case 'transient':
      if (attempt >= maxAttempts) return { next: 'fail', errorClass };
      return {
        next: 'retry',
        errorClass,
        delaySeconds: fullJitterDelay(backoff, attempt - 1, random),
      };
  }
};

export type { FailurePlan, Plan };
export { isLiveComment, planAction, planAfterFailure };
