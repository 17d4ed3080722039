import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The dead-letter queue of a scheduled function (`FailedInvocations` in `scope`): EventBridge puts
 * events it could not deliver there, Lambda those still failing after its retries. It holds only
 * scheduled events (a time stamp, no personal data), so SQS-managed encryption lets EventBridge
 * write to it without a key policy. Alarmed on its first message and on its age.
 */
const failedInvocationsQueue = (scope: Construct, what: string): Queue => {
  const queue = new Queue(scope, 'FailedInvocations', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: `This queue is itself the dead-letter target of the ${what} schedule and function.`,
  });
  return queue;
};

/**
 * The EventBridge rule (`Schedule` in `scope`) that invokes `fn` asynchronously: EventBridge retries
 * delivery, Lambda retries the function, and what still fails lands in `failures`.
 */
const scheduleInvocations = (
  scope: Construct,
  fn: IFunction,
  failures: Queue,
  options: { readonly schedule: Schedule; readonly description: string },
): Rule =>
  new Rule(scope, 'Schedule', {
    description: options.description,
    schedule: options.schedule,
    targets: [
      new LambdaFunction(fn, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: failures,
      }),
    ],
  });

export { failedInvocationsQueue, scheduleInvocations };
