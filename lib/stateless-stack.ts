import { join } from 'node:path';
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { DailyDigest } from './constructs/daily-digest';
import { type CustomCountAlarm, PipelineAlarms } from './constructs/pipeline-alarms';
import {
  PipelineFunction,
  POWERTOOLS_METRIC_IDENTITY,
  PROJECT_ROOT,
} from './constructs/pipeline-function';
import { ReviewApi } from './constructs/review-api';
import { WebhookApi } from './constructs/webhook-api';
import { ENV } from './resources';
import type { StatefulStack } from './stateful-stack';

/** Handler source files, one per function. */
interface HandlerEntries {
  readonly webhook: string;
  readonly classify: string;
  readonly act: string;
  readonly reviewApi: string;
  readonly digest: string;
}

const DEFAULT_ENTRIES: HandlerEntries = {
  webhook: join(PROJECT_ROOT, 'lambdas/handlers/webhook.ts'),
  classify: join(PROJECT_ROOT, 'lambdas/handlers/classify.ts'),
  act: join(PROJECT_ROOT, 'lambdas/handlers/act.ts'),
  reviewApi: join(PROJECT_ROOT, 'lambdas/handlers/review-api.ts'),
  digest: join(PROJECT_ROOT, 'lambdas/handlers/digest.ts'),
};

/**
 * Counts the act stage emits with Powertools Metrics (namespace and `service` dimension come from the
 * POWERTOOLS_* variables every PipelineFunction gets) that page someone from the first one.
 */
const GRAPH_ALARMS: readonly CustomCountAlarm[] = [
  {
    ...POWERTOOLS_METRIC_IDENTITY,
    metricName: 'GraphThrottled',
    description: 'The Graph API throttled moderation calls: actions wait for the window to reopen.',
  },
  {
    ...POWERTOOLS_METRIC_IDENTITY,
    metricName: 'GraphPermanentFailure',
    description:
      'A moderation call failed for good (permissions, token, bad parameter): check the access token and app permissions.',
  },
];

interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  /**
   * `false` (the default) keeps the act stage in dry run: it records what it would do and calls
   * nothing. Turn on after a review period (`cdk deploy -c actionsEnabled=true`).
   */
  readonly actionsEnabled?: boolean;
  /** Override handler files (tests); defaults to `lambdas/handlers/*.ts`. */
  readonly entries?: Partial<HandlerEntries>;
  /** Already-built stand-ins for handlers not written yet (tests only); see PipelineFunction. */
  readonly prebuiltCode?: Partial<Record<keyof HandlerEntries, Code>>;
}

/**
 * Compute, edge and monitoring: the pipeline functions (webhook, classify, act), staff review (API and
 * daily digest), the two REST APIs and the alarms. Holds
 * no data, so it can be replaced at will; it reaches the stateful stack only through the names,
 * ARNs and grants below.
 */
class StatelessStack extends Stack {
  readonly webhook: PipelineFunction;
  readonly classify: PipelineFunction;
  readonly act: PipelineFunction;
  readonly reviewApiFunction: PipelineFunction;
  readonly digest: DailyDigest;
  readonly webhookApi: WebhookApi;
  readonly reviewApi: ReviewApi;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, {
      description: 'instagram-policy-guard: functions, webhook API, alarms',
      ...props,
    });
    // Producer-protecting references (Fn::ImportValue): the stateful stack cannot be deleted, nor a
    // referenced resource replaced, while these functions still use it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { tables, queues, secrets, digestTopic } = props.stateful;
    const entries: HandlerEntries = { ...DEFAULT_ENTRIES, ...props.entries };
    const source = (name: keyof HandlerEntries): { entry: string; prebuiltCode?: Code } => {
      const prebuiltCode = props.prebuiltCode?.[name];
      return prebuiltCode ? { entry: entries[name], prebuiltCode } : { entry: entries[name] };
    };

    // Meta wants an answer within 5 s; a slower acknowledgement is retried anyway, so give up early.
    this.webhook = new PipelineFunction(this, 'Webhook', {
      ...source('webhook'),
      description: 'Verifies Meta webhook deliveries and enqueues one message per comment change',
      memorySize: 512,
      timeout: Duration.seconds(4),
    })
      .bindQueueSender(queues.comments, ENV.commentsQueueUrl)
      .bindSecret(secrets.webhook, ENV.webhookSecretArn);

    // Measured: resident memory goes from ~80 MB to ~410 MB when the IPADIC dictionary loads (1.5-2.5 s
    // on one busy core). 1536 MB leaves headroom for a batch and buys the CPU share (~0.9 vCPU) that
    // keeps that cold start short.
    this.classify = new PipelineFunction(this, 'Classify', {
      ...source('classify'),
      description: 'Classifies comments against the city policy and records redacted decisions',
      memorySize: 1536,
      timeout: Duration.seconds(30),
      withDictionary: true,
      withTextModel: true,
    })
      .bindTable(tables.decisions, ENV.decisionsTable, 'readWrite')
      .bindTable(tables.piiLedger, ENV.piiLedgerTable, 'readWrite')
      // Appends the audit event of an off-hours interim hide (conditional put, never an update).
      .bindTable(tables.audit, ENV.auditTable, 'append')
      .bindQueueSender(queues.actions, ENV.actionsQueueUrl)
      .bindSecret(secrets.pseudonym, ENV.pseudonymSecretArn)
      .consume(queues.comments, { maxConcurrency: 5 });

    this.act = new PipelineFunction(this, 'Act', {
      ...source('act'),
      description: 'Hides or deletes comments through the Graph API (dry run unless enabled)',
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: { [ENV.actionsEnabled]: props.actionsEnabled === true ? 'true' : 'false' },
    })
      .bindTable(tables.decisions, ENV.decisionsTable, 'readWrite')
      .bindTable(tables.circuitBreaker, ENV.breakerTable, 'readWrite')
      .bindSecret(secrets.graphToken, ENV.graphTokenSecretArn)
      // Deferred messages (rate limit, open breaker) go back on the queue with a delay.
      .bindQueueSender(queues.actions, ENV.actionsQueueUrl)
      // Two at a time: the Graph API budget is per app, and the breaker is shared through DynamoDB.
      .consume(queues.actions, { maxConcurrency: 2, queueUrlEnv: ENV.actionsQueueUrl });

    // Staff decisions: the review state on decisions, the audit trail, and a confirmed removal
    // becomes an action message like the classifier's.
    this.reviewApiFunction = new PipelineFunction(this, 'ReviewApiFunction', {
      ...source('reviewApi'),
      description: 'Staff review API: review queue, inquiries, audit trail, review decisions',
      memorySize: 512,
      timeout: Duration.seconds(10),
    })
      .bindTable(tables.decisions, ENV.decisionsTable, 'readWrite', ['byReviewState', 'byAction'])
      .bindTable(tables.audit, ENV.auditTable, 'readWrite')
      .bindQueueSender(queues.actions, ENV.actionsQueueUrl);

    this.digest = new DailyDigest(this, 'DailyDigest', source('digest'));
    this.digest.handler
      .bindTable(tables.decisions, ENV.decisionsTable, 'read', ['byReviewState', 'byAction'])
      .bindTable(tables.audit, ENV.auditTable, 'readWrite')
      .bindTopicPublisher(digestTopic, ENV.digestTopicArn);

    this.webhookApi = new WebhookApi(this, 'WebhookApi', { handler: this.webhook });
    this.reviewApi = new ReviewApi(this, 'ReviewApi', { handler: this.reviewApiFunction });
    // The webhook API owns the account's API Gateway logging role; stage logging here needs it first.
    this.reviewApi.node.addDependency(this.webhookApi);

    this.alarms = new PipelineAlarms(this, 'Monitoring', {
      queues: [queues.comments, queues.actions],
      extraDeadLetterQueues: [{ name: 'DigestFailures', queue: this.digest.failedInvocations }],
      functions: [
        this.webhook,
        this.classify,
        this.act,
        this.reviewApiFunction,
        this.digest.handler,
      ],
      api: this.webhookApi.api,
      customCounts: GRAPH_ALARMS,
    });

    new CfnOutput(this, 'WebhookUrl', {
      value: this.webhookApi.webhookUrl,
      description: 'Callback URL for the Meta app dashboard (Webhooks > Instagram)',
    });
    new CfnOutput(this, 'ReviewApiUrl', {
      value: this.reviewApi.api.url,
      description: 'Staff review API (IAM-authorized: grant execute-api:Invoke on it)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe the on-call address to this topic',
    });
  }
}

export type { HandlerEntries, StatelessStackProps };
export { DEFAULT_ENTRIES, GRAPH_ALARMS, StatelessStack };
