import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PipelineFunction } from './pipeline-function';
import type { WorkQueue } from './work-queue';

/** A count the handlers emit through Powertools Metrics that needs a person from its first one. */
interface CustomCountAlarm {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly description: string;
}

interface PipelineAlarmsProps {
  readonly queues: readonly WorkQueue[];
  /** Other dead-letter queues (failed scheduled invocations), alarmed on their first message. */
  readonly extraDeadLetterQueues?: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly functions: readonly PipelineFunction[];
  readonly api: RestApi;
  /** e.g. Graph API throttling and permanent failures reported by the act stage. */
  readonly customCounts: readonly CustomCountAlarm[];
  /**
   * Oldest message in a work queue before someone should look: the pipeline normally drains in
   * seconds, so a quarter of an hour means a stuck consumer, not a burst.
   * @default 900 seconds
   */
  readonly oldestMessageAgeSeconds?: number;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms for what needs a person, all sent to one topic (subscribe the on-call address to it), and
 * a dashboard of the same signals. Every DLQ alarms on its first message: a message there is a
 * comment nobody decided on.
 */
class PipelineAlarms extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'instagram-policy-guard alarms',
      enforceSSL: true,
    });
    const action = new SnsAction(this.topic);
    const alarm = (
      alarmId: string,
      metric: IMetric,
      threshold: number,
      description: string,
    ): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const ageLimit = props.oldestMessageAgeSeconds ?? 900;
    for (const q of props.queues) {
      const name = q.definition.id;
      alarm(
        `${name}DeadLetters`,
        q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        1,
        `Messages in ${q.definition.deadLetterId}: inspect, fix, then redrive.`,
      );
      alarm(
        `${name}OldestMessage`,
        q.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        ageLimit,
        `Oldest message in ${name} is older than ${ageLimit}s: the consumer is stuck or throttled.`,
      );
    }
    for (const { name, queue } of props.extraDeadLetterQueues ?? []) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        1,
        `Messages in ${name}: an invocation failed after every retry.`,
      );
    }
    for (const fn of props.functions) {
      alarm(
        `${fn.node.id}Errors`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.node.id} function errors (failed invocations, not per-record failures).`,
      );
    }
    const customMetrics = props.customCounts.map((c) => {
      const metric = new Metric({
        namespace: c.namespace,
        metricName: c.metricName,
        dimensionsMap: { ...c.dimensions },
        period: FIVE_MINUTES,
        statistic: 'Sum',
      });
      alarm(c.metricName, metric, 1, c.description);
      return metric;
    });
    const api5xx = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm('Webhook5xx', api5xx, 1, 'The webhook answered 5xx: Meta retries, but look why.');

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new GraphWidget({
            title: 'Webhook requests and errors',
            left: [props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' })],
            right: [
              api5xx,
              props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' }),
            ],
          }),
          new GraphWidget({
            title: 'Queue depth (visible)',
            left: props.queues.flatMap((q) => [
              q.queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
              q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
            ]),
          }),
          new GraphWidget({
            title: 'Oldest message age (s)',
            left: props.queues.map((q) =>
              q.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES }),
            ),
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: props.functions.map((f) => f.metricErrors({ period: FIVE_MINUTES })),
          }),
          new GraphWidget({
            title: 'Function duration p99 (ms)',
            left: props.functions.map((f) =>
              f.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' }),
            ),
          }),
          new GraphWidget({
            title: 'Lambda throttles; Graph API signals',
            left: props.functions.map((f) => f.metricThrottles({ period: FIVE_MINUTES })),
            right: customMetrics,
          }),
        ],
      ],
    });
  }
}

export type { CustomCountAlarm, PipelineAlarmsProps };
export { PipelineAlarms };
