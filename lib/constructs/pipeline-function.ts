import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, type Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type CfnRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type Code,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  DataIdentifier,
  DataProtectionPolicy,
  LogGroup,
  RetentionDays,
} from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { packChain, packDir } from '../../lambdas/adapters/policy';
import { ESM_BUNDLE_BANNER } from '../esm-banner';
import { ENV } from '../resources';
import type { PipelineSecret } from './pipeline-secret';
import type { PipelineTable } from './pipeline-table';
import type { WorkQueue } from './work-queue';

/** The repository root: bundling resolves `package-lock.json` and `node_modules` from here. */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** kuromoji's IPADIC files, wherever the package manager put kuromoji. */
const DICTIONARY_DIR = join(
  dirname(createRequire(import.meta.url).resolve('kuromoji/package.json')),
  'dict',
);

/** The learned second opinion's weights and manifest (`npm run train`), committed in the repository. */
const TEXT_MODEL_DIR = join(PROJECT_ROOT, 'models', 'comment-classifier');

/** Newest Node.js runtime aws-cdk-lib knows (AwsSolutions-L1 asks for the latest of the family). */
const RUNTIME = Runtime.NODEJS_24_X;

/** The DynamoDB item calls the adapters make; a function is granted exactly the ones it uses. */
type TableCall = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem';

/**
 * `append`: conditional puts only, for an append-only log such as the audit trail. Or the exact
 * list of calls the function's adapters make (e.g. `['GetItem', 'UpdateItem']`).
 */
type TableAccess = 'read' | 'readWrite' | 'append' | readonly TableCall[];

const TABLE_ACCESS = {
  read: ['GetItem', 'Query'],
  readWrite: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  append: ['PutItem'],
} as const satisfies Record<string, readonly TableCall[]>;

/** Where every function's Powertools Metrics land: namespace plus the default `service` dimension. */
const POWERTOOLS_METRIC_IDENTITY = {
  namespace: 'InstagramPolicyGuard',
  dimensions: { service: 'instagram-policy-guard' },
} as const;

interface PipelineFunctionProps {
  /** Handler source file (`export const handler`). */
  readonly entry: string;
  /**
   * Already-built code (`index.mjs` exporting `handler`) used instead of bundling `entry`: for tests
   * that stand in for a handler not written yet. Production code never sets it.
   */
  readonly prebuiltCode?: Code;
  readonly description: string;
  /** MB; sized from what the handler loads (the classifier's dictionary needs ~330 MB). */
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Plain settings only: resource names and flags, never secret values. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Copy kuromoji's IPADIC files next to the bundle (`./dict`), where the tokenizer adapter looks. */
  readonly withDictionary?: boolean;
  /** Copy the learned classifier model next to the bundle (`./model`), where its adapter looks. */
  readonly withTextModel?: boolean;
  /**
   * The policy pack the function applies: `POLICY_PACK` is set to it, and the pack's folder (with
   * the packs it extends) is copied next to the bundle (`./policies/<name>`), where the policy
   * adapter looks.
   */
  readonly policyPack?: string;
  /**
   * For asynchronously invoked functions (schedules): where Lambda puts events that still fail after
   * its retries. Functions invoked synchronously or by an event source mapping leave it unset.
   */
  readonly asyncFailureQueue?: IQueue;
  /** @default three months: long enough to investigate an incident reported a month later */
  readonly logRetention?: RetentionDays;
  /**
   * Concurrency set aside for (and capping) this function, so a flood on it cannot take the
   * account's concurrency from the others. @default none
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The house Lambda function: Node.js (latest), arm64, ESM bundle from the local esbuild with source
 * maps, active tracing, JSON logs into an explicit log group with retention, and its own role with no
 * managed policies. The `bind*`/`consume` methods set the environment variable and grant exactly the
 * actions that use needs, together, so a function cannot get a name without the right or vice versa.
 */
class PipelineFunction extends NodejsFunction {
  readonly functionRole: Role;
  /** The role's physical name, known at synthesis (the data key's policy names it). */
  readonly roleName: string;
  readonly timeoutSeconds: number;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    if (!props.prebuiltCode && !existsSync(props.entry)) {
      throw new Error(`${id}: handler entry ${props.entry} not found`);
    }
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      // Handlers never log personal data; should one slip through, CloudWatch masks e-mail addresses
      // at ingestion (the only managed identifier here that fits Japanese comments).
      dataProtectionPolicy: new DataProtectionPolicy({
        name: `${id}-mask-personal-data`,
        identifiers: [DataIdentifier.EMAILADDRESS],
      }),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // One role per function, built here rather than by the Function construct, which would attach the
    // AWSLambdaBasicExecutionRole managed policy (logs on every group in the account). Its name is
    // fixed at synthesis, so the data key's policy (another stack) can name it without a reference;
    // the region keeps it unique in an account that runs the app in two regions (IAM is global).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function only`,
    });
    const roleName = `${Names.uniqueResourceName(role, { maxLength: 48, separator: '-' })}-${Aws.REGION}`;
    (role.node.defaultChild as CfnRole).roleName = roleName;
    logGroup.grantWrite(role);
    const withDictionary = props.withDictionary ?? false;
    const packCopies = props.policyPack
      ? packChain(props.policyPack).map(
          (name) => (outputDir: string) =>
            `mkdir -p "${outputDir}/policies" && cp -R "${packDir(name)}" "${outputDir}/policies/${name}"`,
        )
      : [];
    const withTextModel = props.withTextModel ?? false;

    super(scope, id, {
      ...(props.prebuiltCode
        ? { code: props.prebuiltCode, handler: 'index.handler' }
        : { entry: props.entry, handler: 'handler' }),
      description: props.description,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.asyncFailureQueue ? { deadLetterQueue: props.asyncFailureQueue } : {}),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: POWERTOOLS_METRIC_IDENTITY.dimensions.service,
        POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_METRIC_IDENTITY.namespace,
        ...(props.policyPack ? { [ENV.policyPack]: props.policyPack } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_BUNDLE_BANNER,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundle the pinned SDK instead of the runtime's copy, so what runs is what the tests ran.
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string): string[] => [
            ...(withDictionary ? [`cp -R "${DICTIONARY_DIR}" "${outputDir}/dict"`] : []),
            ...packCopies.map((copy) => copy(outputDir)),
            ...(withTextModel
              ? [
                  `mkdir -p "${outputDir}/model"`,
                  `cp "${TEXT_MODEL_DIR}/manifest.json" "${TEXT_MODEL_DIR}/weights.bin" "${outputDir}/model/"`,
                ]
              : []),
          ],
        },
      },
    });
    this.functionRole = role;
    this.roleName = roleName;
    this.timeoutSeconds = props.timeout.toSeconds();

    if (!props.asyncFailureQueue) {
      Validations.of(this).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously (API Gateway) or by an SQS event source mapping: a function DLQ only catches asynchronous invocations; queue messages that fail go to the queue DLQ.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords use "*": X-Ray has no resource-level permissions for them.',
    });
  }

  /**
   * Sets `envName` to the table name and grants exactly the item calls `access` names on it, and
   * `Query` on the named indexes.
   */
  bindTable(
    table: PipelineTable,
    envName: string,
    access: TableAccess,
    indexes: readonly string[] = [],
  ): this {
    this.addEnvironment(envName, table.table.tableName);
    const calls: readonly TableCall[] = typeof access === 'string' ? TABLE_ACCESS[access] : access;
    if (calls.length === 0 && indexes.length === 0) {
      throw new Error(`${this.node.id}: bindTable(${envName}) grants nothing`);
    }
    if (calls.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [...new Set(calls)].sort().map((c) => `dynamodb:${c}`),
          resources: [table.table.tableArn],
        }),
      );
    }
    if (indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: table.indexArns(indexes) }),
      );
    }
    const writes = calls.includes('PutItem') || calls.includes('UpdateItem');
    this.#useKey(
      table.encryptionKey.keyArn,
      'dynamodb',
      writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
    );
    return this;
  }

  /** Sets `envName` to the queue URL and grants `sqs:SendMessage` (batch included) on that queue only. */
  bindQueueSender(queue: WorkQueue, envName: string): this {
    this.addEnvironment(envName, queue.queue.queueUrl);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queue.queueArn] }),
    );
    this.#useKey(queue.encryptionKey.keyArn, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return this;
  }

  /**
   * For the staff console's health page: sets the queue's and its dead-letter queue's URLs and
   * grants reading their attributes (message counts) only, never a message.
   */
  bindQueueDepthReader(queue: WorkQueue, urlEnv: string, deadLetterUrlEnv: string): this {
    this.addEnvironment(urlEnv, queue.queue.queueUrl);
    this.addEnvironment(deadLetterUrlEnv, queue.deadLetterQueue.queueUrl);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: [queue.queue.queueArn, queue.deadLetterQueue.queueArn],
      }),
    );
    return this;
  }

  /** Sets `envName` to the secret's ARN (never its value) and grants reading that secret only. */
  bindSecret(secret: PipelineSecret, envName: string): this {
    this.addEnvironment(envName, secret.secret.secretArn);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secret.secretArn],
      }),
    );
    this.#useKey(secret.encryptionKey.keyArn, 'secretsmanager', ['kms:Decrypt']);
    return this;
  }

  /**
   * Sets `envName` to the secret's ARN and grants reading it and storing a new version of it (the
   * token refresh), on that secret only.
   */
  bindSecretWriter(secret: PipelineSecret, envName: string): this {
    this.addEnvironment(envName, secret.secret.secretArn);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        resources: [secret.secret.secretArn],
      }),
    );
    this.#useKey(secret.encryptionKey.keyArn, 'secretsmanager', [
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    return this;
  }

  /** Sets `envName` to the topic ARN and grants publishing to that topic (and its key) only. */
  bindTopicPublisher(topic: ITopic, envName: string): this {
    this.addEnvironment(envName, topic.topicArn);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    if (topic.masterKey) {
      this.#useKey(topic.masterKey.keyArn, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    }
    return this;
  }

  /**
   * Data-subject erasure: sets `envName` to the table name and grants reading and deleting items
   * (never updating them) on the table and querying the named indexes; `append` adds the
   * conditional put of the audit trail's own record of the request.
   */
  bindTableForErasure(
    table: PipelineTable,
    envName: string,
    options: { readonly indexes?: readonly string[]; readonly append?: boolean } = {},
  ): this {
    this.addEnvironment(envName, table.table.tableName);
    const actions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem'];
    if (options.append) actions.push('dynamodb:PutItem');
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [table.table.tableArn] }));
    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: table.indexArns(indexes) }),
      );
    }
    this.#useKey(table.encryptionKey.keyArn, 'dynamodb', ['kms:Decrypt', 'kms:GenerateDataKey']);
    return this;
  }

  /**
   * Data-subject erasure: sets both URLs and grants reading messages of the work queue and its
   * DLQ, deleting them and changing their visibility (to give back what it does not delete), plus
   * sending to the work queue alone (a fresh copy of a message the sweep brought to its receive
   * limit; see `queue-sweeper.ts`).
   */
  bindQueueSweeper(queue: WorkQueue, envName: string, deadLetterEnvName: string): this {
    this.addEnvironment(envName, queue.queue.queueUrl);
    this.addEnvironment(deadLetterEnvName, queue.deadLetterQueue.queueUrl);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [queue.queue.queueArn, queue.deadLetterQueue.queueArn],
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queue.queueArn] }),
    );
    this.#useKey(queue.encryptionKey.keyArn, 'sqs', ['kms:Decrypt', 'kms:GenerateDataKey']);
    return this;
  }

  /**
   * Consumes the work queue with partial batch responses and a concurrency cap. Refuses a queue whose
   * visibility timeout is under six times this function's timeout: Lambda retries throttled batches
   * until the visibility timeout runs out, and a shorter one redelivers messages still in flight.
   */
  consume(
    queue: WorkQueue,
    options: {
      readonly maxConcurrency: number;
      /** Also hand the function its own queue's URL (to change a message's visibility). */
      readonly queueUrlEnv?: string;
    },
  ): this {
    const visibility = queue.definition.visibilityTimeoutSeconds;
    if (visibility < 6 * this.timeoutSeconds) {
      throw new Error(
        `${this.node.id}: visibility timeout ${visibility}s of ${queue.definition.id} is under 6 x the ${this.timeoutSeconds}s function timeout`,
      );
    }
    if (options.queueUrlEnv) this.addEnvironment(options.queueUrlEnv, queue.queue.queueUrl);
    this.addEventSource(
      new SqsEventSource(queue.queue, {
        batchSize: queue.definition.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: options.maxConcurrency,
      }),
    );
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: `SQS event source mappings take no on-failure destination: failed messages go to the ${queue.definition.deadLetterId} queue through the source queue's redrive policy.`,
    });
    return this;
  }

  /** KMS rights scoped to one key and to calls made on the function's behalf by one service. */
  #useKey(keyArn: string, service: string, actions: string[]): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions,
        resources: [keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `${service}.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }
}

export type { PipelineFunctionProps, TableAccess, TableCall };
export { PipelineFunction, POWERTOOLS_METRIC_IDENTITY, PROJECT_ROOT };
