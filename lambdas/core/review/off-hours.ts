import type { BusinessCalendar } from '../calendar/calendar';
import type { OffHoursRule } from '../calendar/schema';
import type { Action } from '../contracts/decision';

/**
 * The off-hours rule: a `review` decision needs a person, and outside office hours nobody is there.
 * With `review: hide` the comment is hidden in the meantime (a temporary, reversible measure: approve
 * unhides it) so that a borderline comment does not stand all weekend. Allow, hide and delete are
 * the machine's own answer and never change with the clock.
 */
interface EffectiveAction {
  /** What to do on Instagram now. */
  readonly action: Action;
  /** True when `action` is a stand-in until a person reviews: approve must undo it. */
  readonly interim: boolean;
  /** The decision waits for a person (the item carries `reviewState: 'pending'`). */
  readonly reviewPending: boolean;
  /** Epoch ms from which a person can look: the next opening of the office. */
  readonly reviewableFrom?: number;
  /** Rule id for logs and the audit trail. */
  readonly rule?: string;
}

const OFF_HOURS_RULE_ID = 'office-hours/off-hours-hide';

const effectiveAction = (
  decidedAction: Action,
  instant: number,
  calendar: BusinessCalendar,
  rule: OffHoursRule,
): EffectiveAction => {
  if (decidedAction !== 'review') {
    return { action: decidedAction, interim: false, reviewPending: false };
  }
  const reviewableFrom = calendar.nextOpening(instant);
  if (reviewableFrom === instant || rule.review === 'review') {
    return { action: 'review', interim: false, reviewPending: true, reviewableFrom };
  }
  return {
    action: 'hide',
    interim: true,
    reviewPending: true,
    reviewableFrom,
    rule: OFF_HOURS_RULE_ID,
  };
};

export type { EffectiveAction };
export { effectiveAction, OFF_HOURS_RULE_ID };
