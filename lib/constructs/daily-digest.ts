import { Duration } from 'aws-cdk-lib';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PipelineFunction } from './pipeline-function';
import { failedInvocationsQueue, scheduleInvocations } from './scheduled-invocations';

/**
 * 08:50 JST (UTC+9, no daylight saving) is 23:50 UTC the day before, so Monday to Friday in Japan is
 * Sunday to Thursday in UTC. Holidays and the year-end break are left to the function's calendar.
 */
const WEEKDAYS_0850_JST = Schedule.cron({ minute: '50', hour: '23', weekDay: 'SUN-THU' });

interface DailyDigestProps {
  readonly entry: string;
  readonly prebuiltCode?: Code;
  /** The policy pack whose office hours the digest follows (see PipelineFunction). */
  readonly policyPack: string;
  /** @default 08:50 JST Monday to Friday */
  readonly schedule?: Schedule;
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
      schedule: props.schedule ?? WEEKDAYS_0850_JST,
      description: 'Daily review digest, 08:50 JST on weekdays',
    });
  }
}

export type { DailyDigestProps };
export { DailyDigest, WEEKDAYS_0850_JST };
