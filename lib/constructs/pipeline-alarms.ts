import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type PipelineFunction, POWERTOOLS_METRIC_IDENTITY } from './pipeline-function';
import type { WorkQueue } from './work-queue';

/**
 * One alarm: what it watches, when it fires, and what silence means. `id` is the construct id, the
 * end of the alarm's name, and the heading of its runbook entry in the README.
 */
interface AlarmSpec {
  readonly id: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /**
   * BREACHING where silence is the failure (no delivery, no sweep, no token check); otherwise a
   * metric that is only published when something happens, so silence is fine.
   */
  readonly missing: TreatMissingData;
  readonly description: string;
}

/** A count emitted by the handlers (Powertools Metrics) that needs a person from the first one. */
interface CustomCountAlarm {
  readonly metricName: string;
  readonly description: string;
}

/** Counts that page someone from their first occurrence. */
const FIRST_ONE_COUNTS: readonly CustomCountAlarm[] = [
  {
    metricName: 'GraphThrottled',
    description: 'The Graph API throttled moderation calls: actions wait for the window to reopen.',
  },
  {
    metricName: 'GraphPermanentFailure',
    description:
      'A moderation call failed for good (permissions, token, bad parameter): fix the token or permissions, then requeue.',
  },
  {
    metricName: 'GraphRetriesExhausted',
    description:
      'A moderation call kept failing transiently until its attempts ran out: the action is failed; requeue it once Meta answers again.',
  },
  {
    metricName: 'ActionWithoutDecision',
    description:
      'An action message named a comment with no decision (expired or erased): check where the message came from.',
  },
  {
    metricName: 'GraphTokenRefreshFailed',
    description:
      'Meta refused to refresh the Graph token, or the new one could not be stored: renew the token by hand before it expires.',
  },
  {
    metricName: 'ActionsRequeueFailed',
    description:
      'A requeue claimed actions it could not send: they are pending without a message; run requeue again.',
  },
];

interface NamedQueue {
  readonly name: string;
  readonly queue: IQueue;
}

interface PipelineAlarmsProps {
  readonly queues: readonly WorkQueue[];
  /** Dead-letter queues of scheduled functions (failed invocations). */
  readonly extraDeadLetterQueues?: readonly NamedQueue[];
  /** Every function, by the name its alarms carry. */
  readonly functions: Readonly<Record<string, PipelineFunction>>;
  readonly webhookApi: RestApi;
  readonly reviewApi: RestApi;
  /** The data-subject request API (its function also turns unexpected errors into a 500). */
  readonly dataRequestApi?: RestApi;
  /** The classify function, whose latency is watched. */
  readonly classify: PipelineFunction;
  /** The webhook's web ACL (WebhookEdge), whose blocks are watched. */
  readonly edge?: {
    readonly webAclName: string;
    readonly perIpRuleMetric: string;
    readonly bodyRuleMetric: string;
  };
  /** Instagram-login tokens always report an expiry; a silent check is then a failure. */
  readonly graphLoginType: 'instagram' | 'facebook';
  /**
   * Hours without one accepted webhook delivery before someone looks (a broken subscription, or a
   * rotated App Secret answering every delivery 403). A city account can be quiet at night.
   * @default 12
   */
  readonly silenceHours?: number;
  /** @default 900 seconds: the pipeline normally drains in seconds. */
  readonly oldestMessageAgeSeconds?: number;
}

const FIVE_MINUTES = Duration.minutes(5);
const FIFTEEN_MINUTES = Duration.minutes(15);
const HOUR = Duration.hours(1);
const DAY = Duration.days(1);

const custom = (metricName: string, statistic: string, period: Duration): Metric =>
  new Metric({
    namespace: POWERTOOLS_METRIC_IDENTITY.namespace,
    metricName,
    dimensionsMap: { ...POWERTOOLS_METRIC_IDENTITY.dimensions },
    statistic,
    period,
  });

const GTE = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const LT = ComparisonOperator.LESS_THAN_THRESHOLD;
const FINE = TreatMissingData.NOT_BREACHING;
const SILENCE_IS_FAILURE = TreatMissingData.BREACHING;

/**
 * Every alarm that needs a person, sent to one topic (subscribe the on-call address), with a
 * dashboard of the same signals and the alarms' states. The README's runbook has an entry per
 * alarm id: what it means and the command that fixes it.
 */
class PipelineAlarms extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  readonly specs: AlarmSpec[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'instagram-policy-guard alarms',
      enforceSSL: true,
    });
    const stackName = Stack.of(this).stackName;
    const action = new SnsAction(this.topic);
    const add = (spec: AlarmSpec): void => {
      const alarm = new Alarm(this, spec.id, {
        alarmName: `${stackName}-${spec.id}`,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: spec.comparison,
        evaluationPeriods: spec.evaluationPeriods ?? 1,
        datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 1,
        treatMissingData: spec.missing,
        alarmDescription: `${spec.description} Runbook: README, "Operations runbook", ${spec.id}.`,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
      this.specs.push(spec);
    };

    // --- queues -------------------------------------------------------------------------------
    const ageLimit = props.oldestMessageAgeSeconds ?? 900;
    const deadLetterAlarms = (name: string, dlq: IQueue, what: string) => {
      add({
        id: `${name}DeadLetters`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description: `${what} is in a dead-letter queue: inspect, fix, then redrive.`,
      });
      // Standard queues keep a message's first enqueue time: it expires from the DLQ counted
      // from then, so a day-old dead letter has at most a few days left.
      add({
        id: `${name}DeadLetterAge`,
        metric: dlq.metricApproximateAgeOfOldestMessage({
          period: FIFTEEN_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 86_400,
        comparison: GTE,
        missing: FINE,
        description: `A dead letter in ${name} is over a day old and will expire unless redriven.`,
      });
    };
    for (const q of props.queues) {
      const name = q.definition.id;
      deadLetterAlarms(name, q.deadLetterQueue, `A message of ${name} that failed every delivery`);
      add({
        id: `${name}OldestMessage`,
        metric: q.queue.metricApproximateAgeOfOldestMessage({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: ageLimit,
        comparison: GTE,
        missing: FINE,
        description: `The oldest message in ${name} is over ${ageLimit}s old: its consumer is stuck or throttled.`,
      });
    }
    for (const { name, queue } of props.extraDeadLetterQueues ?? []) {
      deadLetterAlarms(name, queue, `An invocation of ${name} that failed after every retry`);
    }

    // --- functions ----------------------------------------------------------------------------
    for (const [name, fn] of Object.entries(props.functions)) {
      add({
        id: `${name}Errors`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description: `${name} function errors (failed invocations, not per-record failures).`,
      });
      add({
        id: `${name}Throttles`,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description: `Lambda throttled ${name}: its reserved concurrency or the account's is used up.`,
      });
    }
    add({
      id: 'ClassifyLatency',
      metric: props.classify.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' }),
      threshold: 15_000,
      comparison: GTE,
      evaluationPeriods: 3,
      missing: FINE,
      description:
        'Classify batches take over 15 s at p99 for 15 minutes (the timeout is 30 s): comments wait.',
    });

    // --- APIs (each named after its job, so ApiName tells them apart) ---------------------------
    const webhookRequests = props.webhookApi.metricCount({
      period: FIVE_MINUTES,
      statistic: 'Sum',
    });
    const webhook4xx = props.webhookApi.metricClientError({
      period: FIVE_MINUTES,
      statistic: 'Sum',
    });
    const webhook5xx = props.webhookApi.metricServerError({
      period: FIVE_MINUTES,
      statistic: 'Sum',
    });
    add({
      id: 'WebhookApi5xx',
      metric: webhook5xx,
      threshold: 1,
      comparison: GTE,
      missing: FINE,
      description: 'The webhook answered 5xx: Meta retries for 36 hours, but find out why.',
    });
    add({
      id: 'WebhookApi4xxRate',
      metric: new MathExpression({
        expression: 'IF(requests >= 10, refused / requests, 0)',
        usingMetrics: { requests: webhookRequests, refused: webhook4xx },
        period: FIVE_MINUTES,
        label: 'Webhook 4xx rate',
      }),
      threshold: 0.5,
      comparison: GTE,
      evaluationPeriods: 3,
      missing: FINE,
      description:
        'Half or more of the webhook requests were refused for 15 minutes: a rotated App Secret (every delivery 403) or a flood.',
    });
    const hourly = (m: Metric) => m.with({ period: HOUR, statistic: 'Sum' });
    const silenceHours = props.silenceHours ?? 12;
    add({
      id: 'WebhookSilent',
      metric: new MathExpression({
        expression: 'FILL(requests, 0) - FILL(refused, 0) - FILL(failed, 0)',
        usingMetrics: {
          requests: hourly(webhookRequests),
          refused: hourly(webhook4xx),
          failed: hourly(webhook5xx),
        },
        period: HOUR,
        label: 'Webhook deliveries accepted',
      }),
      threshold: 1,
      comparison: LT,
      evaluationPeriods: silenceHours,
      missing: SILENCE_IS_FAILURE,
      description: `No webhook delivery accepted for ${silenceHours} hours: the subscription may be broken (Meta disables a failing webhook).`,
    });
    add({
      id: 'ReviewApi5xx',
      metric: props.reviewApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
      comparison: GTE,
      missing: FINE,
      description:
        'The review API answered 5xx (its function turns every unexpected error into a 500): staff cannot review.',
    });
    if (props.dataRequestApi) {
      add({
        id: 'DataRequestApi5xx',
        metric: props.dataRequestApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description:
          "The data-subject request API answered 5xx: a resident's disclosure or erasure was not served.",
      });
    }

    // --- edge ---------------------------------------------------------------------------------
    const edge = props.edge;
    const blocked = (rule: string) =>
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: {
          WebACL: edge?.webAclName ?? '',
          Region: Stack.of(this).region,
          Rule: rule,
        },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    if (edge) {
      add({
        id: 'WebhookFloodBlocked',
        metric: blocked(edge.perIpRuleMetric),
        threshold: 100,
        comparison: GTE,
        missing: FINE,
        description:
          'The web ACL is blocking a flood from single addresses: check that none of them is Meta.',
      });
      add({
        id: 'WebhookOversizeBlocked',
        metric: blocked(edge.bodyRuleMetric),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description:
          'A request over the webhook body limit was refused at the edge: if it came from Meta, that batch is lost.',
      });
    }

    // --- Graph API, act stage -----------------------------------------------------------------
    for (const c of FIRST_ONE_COUNTS) {
      add({
        id: c.metricName,
        metric: custom(c.metricName, 'Sum', FIVE_MINUTES),
        threshold: 1,
        comparison: GTE,
        missing: FINE,
        description: c.description,
      });
    }
    add({
      id: 'GraphDeferredSustained',
      metric: custom('GraphDeferred', 'Sum', FIFTEEN_MINUTES),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 4,
      missing: FINE,
      description:
        'Actions have been deferred (rate limit or open breaker) in every quarter-hour for an hour.',
    });
    add({
      id: 'ActionDeferredTooLong',
      metric: custom('ActionDeferredAgeSeconds', 'Maximum', FIVE_MINUTES),
      threshold: 3600,
      comparison: GTE,
      missing: FINE,
      description:
        'An action has been waiting over an hour since its first deferral (re-sent copies reset the queue age, this does not).',
    });

    // --- sweep --------------------------------------------------------------------------------
    add({
      id: 'SweepFoundMissedComments',
      metric: custom('SweepMissedComments', 'Sum', HOUR),
      threshold: 5,
      comparison: GTE,
      missing: FINE,
      description:
        'The sweep found 5 or more comments in an hour that the webhook never delivered: the webhook is failing.',
    });
    add({
      id: 'SweepNotRunning',
      metric: custom('SweepRuns', 'Sum', HOUR),
      threshold: 1,
      comparison: LT,
      missing: SILENCE_IS_FAILURE,
      description: 'No sweep finished in the last hour: missed comments are not being caught.',
    });
    add({
      id: 'SweepIncomplete',
      metric: custom('SweepIncomplete', 'Sum', FIFTEEN_MINUTES),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 4,
      missing: FINE,
      description:
        'Every sweep for an hour stopped early (token, permission, rate limit, breaker or call budget).',
    });

    // --- token --------------------------------------------------------------------------------
    add({
      id: 'GraphTokenExpiringSoon',
      metric: custom('GraphTokenDaysLeft', 'Minimum', DAY),
      threshold: 10,
      comparison: LT,
      // An Instagram-login token is checked twice a day and always has a known expiry.
      missing: props.graphLoginType === 'instagram' ? SILENCE_IS_FAILURE : FINE,
      description: 'The Graph token expires in under 10 days, or its daily check did not report.',
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new AlarmStatusWidget({
            title: 'Alarms (runbook: README, Operations runbook)',
            alarms: this.alarms,
            width: 24,
            height: 6,
          }),
        ],
        [
          new GraphWidget({
            title: 'Webhook requests, 4xx, 5xx; review API 5xx',
            left: [webhookRequests],
            right: [
              webhook4xx,
              webhook5xx,
              props.reviewApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
              ...(props.dataRequestApi
                ? [
                    props.dataRequestApi.metricServerError({
                      period: FIVE_MINUTES,
                      statistic: 'Sum',
                    }),
                  ]
                : []),
            ],
          }),
          new GraphWidget({
            title: 'Queue depth (visible) and oldest message (s)',
            left: props.queues.flatMap((q) => [
              q.queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
              q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
            ]),
            right: props.queues.map((q) =>
              q.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES }),
            ),
          }),
          new GraphWidget({
            title: 'Dead letter age (s)',
            left: [
              ...props.queues.map((q) => q.deadLetterQueue),
              ...(props.extraDeadLetterQueues ?? []).map((q) => q.queue),
            ].map((q) => q.metricApproximateAgeOfOldestMessage({ period: FIFTEEN_MINUTES })),
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors and throttles',
            left: Object.values(props.functions).map((f) =>
              f.metricErrors({ period: FIVE_MINUTES }),
            ),
            right: Object.values(props.functions).map((f) =>
              f.metricThrottles({ period: FIVE_MINUTES }),
            ),
          }),
          new GraphWidget({
            title: 'Function duration p99 (ms)',
            left: Object.values(props.functions).map((f) =>
              f.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' }),
            ),
          }),
          new GraphWidget({
            title: 'Graph API: moderation signals',
            left: [...FIRST_ONE_COUNTS.map((c) => c.metricName), 'GraphDeferred'].map((m) =>
              custom(m, 'Sum', FIVE_MINUTES),
            ),
            right: [custom('ActionDeferredAgeSeconds', 'Maximum', FIVE_MINUTES)],
          }),
        ],
        [
          new GraphWidget({
            title: 'Sweep: missed, completed, seen',
            left: ['SweepMissedComments', 'SweepPendingCompleted'].map((m) =>
              custom(m, 'Sum', FIFTEEN_MINUTES),
            ),
            right: ['SweepCommentsSeen', 'SweepGraphCalls', 'SweepIncomplete'].map((m) =>
              custom(m, 'Sum', FIFTEEN_MINUTES),
            ),
          }),
          new GraphWidget({
            title: 'Graph token: days left',
            left: [custom('GraphTokenDaysLeft', 'Minimum', HOUR)],
            leftYAxis: { min: 0 },
          }),
          new GraphWidget({
            title: 'Webhook edge: blocked requests',
            left: edge ? [blocked(edge.perIpRuleMetric), blocked(edge.bodyRuleMetric)] : [],
          }),
        ],
      ],
    });
  }
}

export type { AlarmSpec, CustomCountAlarm, NamedQueue, PipelineAlarmsProps };
export { FIRST_ONE_COUNTS, PipelineAlarms };
