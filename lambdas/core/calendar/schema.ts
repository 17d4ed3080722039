import { z } from 'zod';

/**
 * The office-hours policy file (`policies/<city>/office-hours.json`): when people work (article 5(1))
 * and what the machine does with a `review` decision while nobody is there. Times are JST: every
 * Japanese municipality works in JST and Japan has no daylight saving time, so the file names the
 * zone only for the reader.
 */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)')
  .transform((value) => {
    const [hours, minutes] = value.split(':').map(Number);
    return (hours ?? 0) * 60 + (minutes ?? 0);
  });

const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD')
  .transform((value) => {
    const [month, day] = value.split('-').map(Number);
    return { month: month ?? 1, day: day ?? 1 };
  });

/** What a `review` decision becomes while the office is closed. */
const OFF_HOURS_REVIEW_ACTIONS = ['hide', 'review'] as const;
type OffHoursReviewAction = (typeof OFF_HOURS_REVIEW_ACTIONS)[number];

const offHoursRuleSchema = z.object({
  /**
   * `hide`: hide the comment until a person looks (approve restores it). `review`: leave it visible
   * and wait for the next business day.
   */
  review: z.enum(OFF_HOURS_REVIEW_ACTIONS),
  why: z.string().min(1).max(500),
});
type OffHoursRule = z.infer<typeof offHoursRuleSchema>;

const officeHoursSchema = z
  .object({
    policyId: z.string().min(1).max(64),
    version: z.string().min(1).max(64),
    source: z.string().min(1).max(500),
    timeZone: z.literal('JST'),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    /** Minutes after JST midnight; the office is open on [opens, closes). */
    opens: clockTime,
    closes: clockTime,
    closedOnNationalHolidays: z.boolean(),
    /** Inclusive, wrapping over the year end (Dec 29 – Jan 3 in most municipalities). */
    yearEndBreak: z.object({ from: monthDay, to: monthDay }).optional(),
    offHours: offHoursRuleSchema,
    review: z.object({
      /** Days an audit event is kept; longer than a decision, so a review can be explained later. */
      auditRetentionDays: z.number().int().positive().max(3660),
    }),
  })
  .refine((hours) => hours.opens < hours.closes, {
    message: 'opens must be before closes',
    path: ['closes'],
  });

type OfficeHoursInput = z.input<typeof officeHoursSchema>;
type OfficeHours = z.output<typeof officeHoursSchema>;

export type { OffHoursReviewAction, OffHoursRule, OfficeHours, OfficeHoursInput, Weekday };
export { OFF_HOURS_REVIEW_ACTIONS, offHoursRuleSchema, officeHoursSchema, WEEKDAYS };
