import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PipelineFunction } from './pipeline-function';

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
    // Holds only scheduled events (a time stamp), no personal data: SQS-managed encryption lets
    // EventBridge write to it without a key policy.
    this.failedInvocations = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This queue is itself the dead-letter target of the digest schedule and function.',
    });
    this.handler = new PipelineFunction(this, 'Function', {
      entry: props.entry,
      ...(props.prebuiltCode ? { prebuiltCode: props.prebuiltCode } : {}),
      description: 'Publishes the daily review digest for staff (business days)',
      memorySize: 512,
      timeout: Duration.seconds(60),
      asyncFailureQueue: this.failedInvocations,
      policyPack: props.policyPack,
    });
    this.rule = new Rule(this, 'Schedule', {
      description: 'Daily review digest, 08:50 JST on weekdays',
      schedule: props.schedule ?? WEEKDAYS_0850_JST,
      targets: [
        new LambdaFunction(this.handler, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.failedInvocations,
        }),
      ],
    });
  }
}

export type { DailyDigestProps };
export { DailyDigest, WEEKDAYS_0850_JST };
