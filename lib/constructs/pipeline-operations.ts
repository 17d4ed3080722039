import { Duration } from 'aws-cdk-lib';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../resources';
import type { StatefulStack } from '../stateful-stack';
import { PipelineFunction } from './pipeline-function';
import { failedInvocationsQueue, scheduleInvocations } from './scheduled-invocations';

interface Source {
  readonly entry: string;
  readonly prebuiltCode?: Code;
}

interface PipelineOperationsProps {
  readonly stateful: StatefulStack;
  readonly sweep: Source;
  readonly tokenRefresh: Source;
  readonly requeue: Source;
  /** Which Graph host the token belongs to (context `graphLoginType`). */
  readonly graphLoginType: 'instagram' | 'facebook';
  /** The city's Instagram account id (context `instagramAccountId`); needed with Facebook Login. */
  readonly instagramAccountId?: string;
  /** Reserve one concurrent execution for the sweep and the refresh, so runs never overlap. */
  readonly reserveConcurrency: boolean;
}

/** A function with its failed-invocations queue and schedule, under one construct. */
class ScheduledOperation extends Construct {
  readonly handler: PipelineFunction;
  readonly failedInvocations: Queue;
  readonly rule: Rule;

  constructor(
    scope: Construct,
    id: string,
    props: Omit<ConstructorParameters<typeof PipelineFunction>[2], 'asyncFailureQueue'> & {
      readonly schedule: Schedule;
      readonly scheduleDescription: string;
    },
  ) {
    super(scope, id);
    const { schedule, scheduleDescription, ...fn } = props;
    this.failedInvocations = failedInvocationsQueue(this, id);
    this.handler = new PipelineFunction(this, 'Function', {
      ...fn,
      asyncFailureQueue: this.failedInvocations,
    });
    this.rule = scheduleInvocations(this, this.handler, this.failedInvocations, {
      schedule,
      description: scheduleDescription,
    });
  }
}

/**
 * The operations functions: the sweep (every 15 minutes and on demand), the token refresh (twice a
 * day), and requeue (on demand, by an operator). Each role gets exactly its adapters' calls.
 */
class PipelineOperations extends Construct {
  readonly sweep: ScheduledOperation;
  readonly tokenRefresh: ScheduledOperation;
  readonly requeue: PipelineFunction;

  constructor(scope: Construct, id: string, props: PipelineOperationsProps) {
    super(scope, id);
    const { tables, queues, secrets } = props.stateful;
    const graph = {
      [ENV.graphLoginType]: props.graphLoginType,
      ...(props.instagramAccountId ? { [ENV.instagramAccountId]: props.instagramAccountId } : {}),
    };
    const one = props.reserveConcurrency ? { reservedConcurrentExecutions: 1 } : {};

    this.sweep = new ScheduledOperation(this, 'Sweep', {
      ...props.sweep,
      description:
        'Finds comments the webhook missed or delivered without text and queues them for classification',
      memorySize: 512,
      // 300 Graph reads at most, each well under a second, plus a decision lookup per comment.
      timeout: Duration.minutes(5),
      environment: graph,
      schedule: Schedule.rate(Duration.minutes(15)),
      scheduleDescription: 'Sweep for missed comments every 15 minutes',
      ...one,
    });
    this.sweep.handler
      .bindTable(tables.decisions, ENV.decisionsTable, ['GetItem'], ['byAction'])
      .bindTable(tables.circuitBreaker, ENV.breakerTable, ['GetItem', 'PutItem'])
      .bindQueueSender(queues.comments, ENV.commentsQueueUrl)
      .bindSecret(secrets.graphToken, ENV.graphTokenSecretArn);

    this.tokenRefresh = new ScheduledOperation(this, 'TokenRefresh', {
      ...props.tokenRefresh,
      description: 'Refreshes the Instagram-login Graph token when due and reports its expiry',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: graph,
      schedule: Schedule.rate(Duration.hours(12)),
      scheduleDescription: 'Graph token check and refresh, twice a day',
      ...one,
    });
    this.tokenRefresh.handler.bindSecretWriter(secrets.graphToken, ENV.graphTokenSecretArn);

    this.requeue = new PipelineFunction(this, 'Requeue', {
      ...props.requeue,
      description:
        'Re-sends failed or stuck moderation actions once (run by an operator after a fix)',
      memorySize: 512,
      timeout: Duration.minutes(5),
    })
      .bindTable(tables.decisions, ENV.decisionsTable, ['GetItem', 'UpdateItem'], ['byAction'])
      .bindQueueSender(queues.actions, ENV.actionsQueueUrl);
  }
}

export type { PipelineOperationsProps };
export { PipelineOperations, ScheduledOperation };
