import { join } from 'node:path';
import {
  Aspects,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { loadOfficeHours } from '../lambdas/adapters/policy';
import { DailyDigest, digestSchedule } from './constructs/daily-digest';
import { DataRequestApi } from './constructs/data-request-api';
import { EncryptLogGroups } from './constructs/encrypt-log-groups';
import { PipelineAlarms } from './constructs/pipeline-alarms';
import { PipelineFunction, PROJECT_ROOT } from './constructs/pipeline-function';
import { PipelineOperations } from './constructs/pipeline-operations';
import { ReviewApi } from './constructs/review-api';
import { StaffConsole } from './constructs/staff-console';
import { WebhookApi } from './constructs/webhook-api';
import { EDGE_METRICS } from './constructs/webhook-edge';
import { ENV } from './resources';
import type { StatefulStack } from './stateful-stack';

/** Handler source files, one per function. */
interface HandlerEntries {
  readonly webhook: string;
  readonly classify: string;
  readonly act: string;
  readonly reviewApi: string;
  readonly digest: string;
  readonly dataRequest: string;
  readonly sweep: string;
  readonly tokenRefresh: string;
  readonly requeue: string;
}

const DEFAULT_ENTRIES: HandlerEntries = {
  webhook: join(PROJECT_ROOT, 'lambdas/handlers/webhook.ts'),
  classify: join(PROJECT_ROOT, 'lambdas/handlers/classify.ts'),
  act: join(PROJECT_ROOT, 'lambdas/handlers/act.ts'),
  reviewApi: join(PROJECT_ROOT, 'lambdas/handlers/review-api.ts'),
  digest: join(PROJECT_ROOT, 'lambdas/handlers/digest.ts'),
  dataRequest: join(PROJECT_ROOT, 'lambdas/handlers/data-request.ts'),
  sweep: join(PROJECT_ROOT, 'lambdas/handlers/sweep.ts'),
  tokenRefresh: join(PROJECT_ROOT, 'lambdas/handlers/token-refresh.ts'),
  requeue: join(PROJECT_ROOT, 'lambdas/handlers/requeue.ts'),
};

/** Operations settings from the CDK context (see `operationsSettingsFromContext`). */
interface OperationsSettings {
  /** The Graph token's login: it decides the Graph host (context `graphLoginType`). */
  readonly graphLoginType: 'instagram' | 'facebook';
  /** The city's Instagram account id (context `instagramAccountId`); required with Facebook Login. */
  readonly instagramAccountId?: string;
  /**
   * Reserved concurrency (webhook 20, sweep and refresh 1 each). Accounts whose concurrency quota
   * is still at a new account's 10 cannot reserve any: context `reservedConcurrency: false`.
   */
  readonly reserveConcurrency: boolean;
  /** Meta's webhook delivery ranges (context `metaWebhookCidrs`), a higher limit at the edge. */
  readonly metaWebhookCidrs?: readonly string[];
  /** Requests per 5 minutes from one address (context `webhookRateLimitPerIp`). */
  readonly webhookRateLimitPerIp?: number;
  /** Hours without an accepted delivery before the silence alarm (context `webhookSilenceHours`). */
  readonly webhookSilenceHours?: number;
}

const DEFAULT_OPERATIONS: OperationsSettings = {
  graphLoginType: 'instagram',
  reserveConcurrency: true,
};

/** Concurrency set aside for the webhook: far above Meta's few requests a second. */
const WEBHOOK_RESERVED_CONCURRENCY = 20;

interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  /**
   * `false` (the default) keeps the act stage in dry run: it records what it would do and calls
   * nothing. Turn on after a review period (`cdk deploy -c actionsEnabled=true`).
   */
  readonly actionsEnabled?: boolean;
  /** The policy pack (a folder of `policies/`) the classify, review and digest functions apply. */
  readonly policyPack: string;
  /** Override handler files (tests); defaults to `lambdas/handlers/*.ts`. */
  readonly entries?: Partial<HandlerEntries>;
  /** Already-built stand-ins for handlers not written yet (tests only); see PipelineFunction. */
  readonly prebuiltCode?: Partial<Record<keyof HandlerEntries, Code>>;
  /** @default instagram login, reserved concurrency on, no Meta ranges */
  readonly operations?: OperationsSettings;
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
  readonly dataRequestFunction: PipelineFunction;
  readonly dataRequestApi: DataRequestApi;
  readonly staffConsole: StaffConsole;
  readonly operations: PipelineOperations;
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
    const ops = props.operations ?? DEFAULT_OPERATIONS;
    // Every log group of this stack (functions, API access logs) is encrypted with the data key.
    Aspects.of(this).add(new EncryptLogGroups(props.stateful.key));
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
      // A flood can use these and no more: classify and act keep the rest of the account's pool.
      ...(ops.reserveConcurrency
        ? { reservedConcurrentExecutions: WEBHOOK_RESERVED_CONCURRENCY }
        : {}),
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
      policyPack: props.policyPack,
      withTextModel: true,
    })
      // Exactly the adapters' calls: decision get/put/update, ledger and audit puts.
      .bindTable(tables.decisions, ENV.decisionsTable, ['GetItem', 'PutItem', 'UpdateItem'])
      .bindTable(tables.piiLedger, ENV.piiLedgerTable, ['PutItem'])
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
      environment: {
        [ENV.actionsEnabled]: props.actionsEnabled === true ? 'true' : 'false',
        [ENV.graphLoginType]: ops.graphLoginType,
      },
    })
      // The action status is moved by conditional updates; the breaker is read and put whole.
      .bindTable(tables.decisions, ENV.decisionsTable, ['GetItem', 'UpdateItem'])
      .bindTable(tables.circuitBreaker, ENV.breakerTable, ['GetItem', 'PutItem'])
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
      policyPack: props.policyPack,
    })
      // Reviews and inquiry marks update decisions (never put one); the audit trail is appended to.
      .bindTable(
        tables.decisions,
        ENV.decisionsTable,
        ['GetItem', 'UpdateItem'],
        ['byReviewState', 'byAction'],
      )
      .bindTable(tables.audit, ENV.auditTable, ['GetItem', 'Query', 'PutItem'])
      .bindQueueSender(queues.actions, ENV.actionsQueueUrl)
      // The console's health page: message counts of the queues and their DLQs, and the act mode.
      .bindQueueDepthReader(queues.comments, ENV.commentsQueueUrl, ENV.commentsDlqUrl)
      .bindQueueDepthReader(queues.actions, ENV.actionsQueueUrl, ENV.actionsDlqUrl);
    this.reviewApiFunction.addEnvironment(
      ENV.actionsEnabled,
      props.actionsEnabled === true ? 'true' : 'false',
    );

    this.digest = new DailyDigest(this, 'DailyDigest', {
      ...source('digest'),
      policyPack: props.policyPack,
      schedule: digestSchedule(loadOfficeHours(props.policyPack)),
    });
    this.digest.handler
      // The digest reads decisions through the indexes only, and appends its own audit event.
      .bindTable(tables.decisions, ENV.decisionsTable, [], ['byReviewState', 'byAction'])
      .bindTable(tables.audit, ENV.auditTable, ['Query', 'PutItem'])
      .bindTopicPublisher(digestTopic, ENV.digestTopicArn);

    this.webhookApi = new WebhookApi(this, 'WebhookApi', {
      handler: this.webhook,
      edge: {
        ...(ops.metaWebhookCidrs ? { metaCidrs: ops.metaWebhookCidrs } : {}),
        ...(ops.webhookRateLimitPerIp ? { perIpLimit: ops.webhookRateLimitPerIp } : {}),
      },
    });
    this.reviewApi = new ReviewApi(this, 'ReviewApi', {
      handler: this.reviewApiFunction,
      userPool: props.stateful.staff.userPool,
    });
    // The webhook API owns the account's API Gateway logging role; stage logging here needs it first.
    this.reviewApi.node.addDependency(this.webhookApi);
    // Data-subject requests: reads and deletes the subject's items, sweeps the queues and DLQs,
    // and needs the dictionary to recognise a personal value in a queued comment's text.
    // Under API Gateway's 29 s integration limit (the sweeps have a budget of their own).
    this.dataRequestFunction = new PipelineFunction(this, 'DataRequestFunction', {
      ...source('dataRequest'),
      description: 'Data-subject requests: disclose or erase what is held about a person',
      memorySize: 1536,
      timeout: Duration.seconds(28),
      withDictionary: true,
      policyPack: props.policyPack,
    })
      .bindTableForErasure(tables.decisions, ENV.decisionsTable, {
        indexes: ['byAuthorRef', 'byUsernameRef'],
      })
      .bindTableForErasure(tables.piiLedger, ENV.piiLedgerTable, { indexes: ['byValueRef'] })
      .bindTableForErasure(tables.audit, ENV.auditTable, { append: true })
      .bindQueueSweeper(queues.comments, ENV.commentsQueueUrl, ENV.commentsDlqUrl)
      .bindQueueSweeper(queues.actions, ENV.actionsQueueUrl, ENV.actionsDlqUrl)
      .bindSecret(secrets.pseudonym, ENV.pseudonymSecretArn);
    this.dataRequestApi = new DataRequestApi(this, 'DataRequestApi', {
      handler: this.dataRequestFunction,
    });
    this.dataRequestFunction.addEnvironment(
      ENV.dataOfficerRoleName,
      this.dataRequestApi.officerRole.roleName,
    );
    this.dataRequestApi.node.addDependency(this.webhookApi);
    this.staffConsole = new StaffConsole(this, 'StaffConsole', {
      api: this.reviewApi.api,
      userPool: props.stateful.staff.userPool,
      authBaseUrl: props.stateful.staff.authBaseUrl,
    });

    this.operations = new PipelineOperations(this, 'Operations', {
      stateful: props.stateful,
      sweep: source('sweep'),
      tokenRefresh: source('tokenRefresh'),
      requeue: source('requeue'),
      graphLoginType: ops.graphLoginType,
      ...(ops.instagramAccountId ? { instagramAccountId: ops.instagramAccountId } : {}),
      reserveConcurrency: ops.reserveConcurrency,
    });

    this.alarms = new PipelineAlarms(this, 'Monitoring', {
      queues: [queues.comments, queues.actions],
      extraDeadLetterQueues: [
        { name: 'DigestFailures', queue: this.digest.failedInvocations },
        { name: 'SweepFailures', queue: this.operations.sweep.failedInvocations },
        { name: 'TokenRefreshFailures', queue: this.operations.tokenRefresh.failedInvocations },
      ],
      functions: {
        Webhook: this.webhook,
        Classify: this.classify,
        Act: this.act,
        ReviewApi: this.reviewApiFunction,
        Digest: this.digest.handler,
        Sweep: this.operations.sweep.handler,
        TokenRefresh: this.operations.tokenRefresh.handler,
        Requeue: this.operations.requeue,
        DataRequest: this.dataRequestFunction,
      },
      webhookApi: this.webhookApi.api,
      reviewApi: this.reviewApi.api,
      dataRequestApi: this.dataRequestApi.api,
      classify: this.classify,
      edge: {
        webAclName: this.webhookApi.edge.webAclName,
        perIpRuleMetric: EDGE_METRICS.perIp,
        bodyRuleMetric: EDGE_METRICS.bodyTooLarge,
      },
      graphLoginType: ops.graphLoginType,
      ...(ops.webhookSilenceHours ? { silenceHours: ops.webhookSilenceHours } : {}),
    });

    new CfnOutput(this, 'WebhookUrl', {
      value: this.webhookApi.webhookUrl,
      description: 'Callback URL for the Meta app dashboard (Webhooks > Instagram)',
    });
    new CfnOutput(this, 'ReviewApiUrl', {
      value: this.reviewApi.api.url,
      description: 'Staff review API (Cognito-authorized; the console reaches it under /api/)',
    });
    new CfnOutput(this, 'DataRequestUrl', {
      value: this.dataRequestApi.requestUrl,
      description: 'Data-subject requests: POST here, signed as the DataOfficerRoleArn role',
    });
    new CfnOutput(this, 'DataOfficerRoleArn', {
      value: this.dataRequestApi.officerRole.roleArn,
      description:
        'The one role allowed to serve data-subject requests (grant sts:AssumeRole on it)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe the on-call address to this topic',
    });
    new CfnOutput(this, 'SweepFunctionName', {
      value: this.operations.sweep.handler.functionName,
      description:
        'Run a sweep now: aws lambda invoke --function-name <this> --payload {} out.json',
    });
    new CfnOutput(this, 'RequeueFunctionName', {
      value: this.operations.requeue.functionName,
      description: 'Re-send failed or stuck actions after a fix (README, Operations runbook)',
    });
    new CfnOutput(this, 'TokenRefreshFunctionName', {
      value: this.operations.tokenRefresh.handler.functionName,
      description: 'Check and refresh the Graph token now',
    });
  }
}

/** Every function of the stack, by construct: the data key's policy names their roles. */
const pipelineFunctionsIn = (scope: Construct): PipelineFunction[] =>
  scope.node.findAll().filter((c): c is PipelineFunction => c instanceof PipelineFunction);

export type { HandlerEntries, OperationsSettings, StatelessStackProps };
export {
  DEFAULT_ENTRIES,
  DEFAULT_OPERATIONS,
  pipelineFunctionsIn,
  StatelessStack,
  WEBHOOK_RESERVED_CONCURRENCY,
};
