import { Duration } from 'aws-cdk-lib';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type OfficeHours, WEEKDAYS } from '../../lambdas/core/calendar/schema';
import { PipelineFunction } from './pipeline-function';
import { failedInvocationsQueue, scheduleInvocations } from './scheduled-invocations';

const JST_OFFSET_MINUTES = 9 * 60;

/**
 * When the digest runs: at the policy pack's opening time on its working weekdays. EventBridge cron
 * is in UTC and JST is UTC+9 without daylight saving, so an opening before 09:00 JST falls on the
 * day before in UTC (08:50 JST Monday to Friday is 23:50 UTC Sunday to Thursday). Holidays and the
 * year-end break are left to the function's calendar.
 */
const digestSchedule = (hours: Pick<OfficeHours, 'opens' | 'weekdays'>): Schedule => {
  const jst = hours.opens; // minutes after midnight, JST
  const dayBefore = jst < JST_OFFSET_MINUTES;
  const utc = (jst - JST_OFFSET_MINUTES + 24 * 60) % (24 * 60);
  const days = WEEKDAYS.filter((day) => hours.weekdays.includes(day)).map((day) => {
    const i = WEEKDAYS.indexOf(day);
    return (WEEKDAYS[dayBefore ? (i + 6) % 7 : i] ?? day).toUpperCase();
  });
  return Schedule.cron({
    minute: String(utc % 60),
    hour: String(Math.floor(utc / 60)),
    weekDay: days.join(','),
  });
};

interface DailyDigestProps {
  readonly entry: string;
  readonly prebuiltCode?: Code;
  /** The policy pack whose office hours the digest follows (see PipelineFunction). */
  readonly policyPack: string;
  /** When the digest runs (`digestSchedule` of the pack's office hours). */
  readonly schedule: Schedule;
}

/**
 * The scheduled digest function with its EventBridge rule. Invocations are asynchronous: EventBridge
 * retries delivery, Lambda retries the function, and what still fails lands in `failedInvocations`
 * (alarmed), so a missed digest is seen, not silent.
 */
class DailyDigest extends Construct {
  readonly handler: PipelineFunction;
  readonly failedInvocations: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DailyDigestProps) {
    super(scope, id);
    this.failedInvocations = failedInvocationsQueue(this, 'digest');
    this.handler = new PipelineFunction(this, 'Function', {
      entry: props.entry,
      ...(props.prebuiltCode ? { prebuiltCode: props.prebuiltCode } : {}),
      description: 'Publishes the daily review digest for staff (business days)',
      memorySize: 512,
      timeout: Duration.seconds(60),
      asyncFailureQueue: this.failedInvocations,
      policyPack: props.policyPack,
    });
    this.rule = scheduleInvocations(this, this.handler, this.failedInvocations, {
      schedule: props.schedule,
      description: 'Daily review digest, at the opening of office hours on working days',
    });
  }
}

export type { DailyDigestProps };
export { DailyDigest, digestSchedule };
