/**
 * The sweep function (`lambdas/core/ops/sweep.ts`), run every 15 minutes by EventBridge and on
 * demand:
 *
 *   aws lambda invoke --function-name <SweepFunctionName> --payload '{}' report.json
 *   aws lambda invoke ... --cli-binary-format raw-in-base64-out \
 *     --payload '{"commentWindowHours": 240}' report.json      # reach back further after an outage
 *
 * Thin: read the configuration once, run the core through its ports, publish the report as
 * metrics (`SweepMissedComments` is alarmed: many of them mean the webhook is failing) and return it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ENV } from '../../lib/resources';
import { CircuitBreakerStore } from '../adapters/circuit-breaker-store';
import { createDecisionStore } from '../adapters/decision-store';
import { ConfigurationError, type Env, optionalEnv, requireEnv } from '../adapters/env';
import {
  type AccessTokenSource,
  GRAPH_HOSTS,
  graphBaseUrlFromEnv,
  graphLoginTypeFromEnv,
} from '../adapters/graph-api-client';
import { createSweepGraphPort, GraphReadClient } from '../adapters/graph-read-client';
import { secretsManagerTokenSource, staticTokenSource } from '../adapters/graph-token';
import { type OpsMetrics, powertoolsOpsMetrics } from '../adapters/ops-metrics';
import { createPendingFetchStore } from '../adapters/pending-fetch-store';
import { createSqsCommentQueue } from '../adapters/sqs-comment-queue';
import { traced } from '../adapters/tracing';
import { DEFAULT_ACT_CONFIG } from '../core/act/config';
import { graphId } from '../core/contracts/comment-message';
import {
  DEFAULT_SWEEP_CONFIG,
  runSweep,
  type SweepConfig,
  type SweepPorts,
  type SweepReport,
} from '../core/ops/sweep';

/** What an on-demand invocation may change, within bounds; a scheduled event changes nothing. */
const sweepRequestSchema = z.object({
  mediaWindowDays: z.number().int().min(1).max(90).optional(),
  commentWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  pendingFetchWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  maxCalls: z.number().int().min(1).max(2000).optional(),
});

/** An on-demand payload asked for something out of bounds. Paths and codes only. */
class InvalidSweepRequestError extends Error {
  override readonly name = 'InvalidSweepRequestError';
}

type SweepHandler = (event?: unknown) => Promise<SweepReport>;

interface SweepHandlerDeps {
  readonly ports: Omit<SweepPorts, 'now'> & { readonly now?: () => Date };
  readonly config: SweepConfig;
  readonly metrics: OpsMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/** The report as metric values: each run is one data point of each. */
const publish = (metrics: OpsMetrics, report: SweepReport): void => {
  metrics.add('SweepRuns', 1);
  metrics.add('SweepMissedComments', report.missing);
  metrics.add('SweepPendingCompleted', report.pendingCompleted);
  metrics.add('SweepCommentsSeen', report.commentsSeen);
  metrics.add('SweepMediaScanned', report.mediaScanned);
  metrics.add('SweepGraphCalls', report.calls);
  metrics.add('SweepIncomplete', report.stoppedBy ? 1 : 0);
  metrics.flush();
};

const createSweepHandler = (deps: SweepHandlerDeps): SweepHandler => {
  const ports: SweepPorts = { ...deps.ports, now: deps.ports.now ?? (() => new Date()) };
  return async (event) => {
    // A scheduled event's own fields (source, detail...) are not options and are ignored.
    const parsed = sweepRequestSchema.safeParse(event ?? {});
    if (!parsed.success) {
      throw new InvalidSweepRequestError(
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; '),
      );
    }
    const request = parsed.data;
    const config: SweepConfig = { ...deps.config, ...request };
    const report = await runSweep(ports, config);
    publish(deps.metrics, report);
    // Counts and ids only: the comments' text went to the queue and nowhere else.
    const log = report.stoppedBy ? deps.logger.warn : deps.logger.info;
    log.call(deps.logger, 'sweep finished', { ...report });
    return report;
  };
};

/** Everything the deployed function needs, read once; throws on a missing value. */
const sweepDepsFromEnv = (env: Env): SweepHandlerDeps => {
  const decisionsTable = requireEnv(env, ENV.decisionsTable);
  const breakerTable = requireEnv(env, ENV.breakerTable);
  const queueUrl = requireEnv(env, ENV.commentsQueueUrl);
  const loginType = graphLoginTypeFromEnv(env);
  if (!loginType)
    throw new ConfigurationError(`missing required environment variable ${ENV.graphLoginType}`);
  const baseUrl = graphBaseUrlFromEnv(env) ?? GRAPH_HOSTS[loginType];
  const accountId = optionalEnv(env, ENV.instagramAccountId);
  if (accountId !== undefined && !graphId.safeParse(accountId).success) {
    throw new ConfigurationError(`${ENV.instagramAccountId} is not a Graph id`);
  }
  if (loginType === 'facebook' && accountId === undefined) {
    // `/me` on graph.facebook.com is the Facebook user, not the Instagram account.
    throw new ConfigurationError(`${ENV.graphLoginType}=facebook needs ${ENV.instagramAccountId}`);
  }
  const secretArn = optionalEnv(env, ENV.graphTokenSecretArn);
  const localToken = optionalEnv(env, ENV.accessToken);
  if (!secretArn && !localToken) {
    throw new ConfigurationError(`needs ${ENV.graphTokenSecretArn} or ${ENV.accessToken}`);
  }
  const tokens: AccessTokenSource = secretArn
    ? secretsManagerTokenSource(traced(new SecretsManagerClient({})), secretArn)
    : staticTokenSource(localToken ?? '');
  const dynamo = traced(new DynamoDBClient({ cacheMiddleware: true }));
  const shared = new CircuitBreakerStore(
    DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    breakerTable,
    { breaker: DEFAULT_ACT_CONFIG.breaker, usage: DEFAULT_SWEEP_CONFIG.usage },
  );
  return {
    ports: {
      graph: createSweepGraphPort(new GraphReadClient({ baseUrl }), tokens),
      decisions: createDecisionStore(dynamo, decisionsTable),
      pendingFetches: createPendingFetchStore(dynamo, decisionsTable),
      queue: createSqsCommentQueue({
        client: traced(new SQSClient({ cacheMiddleware: true })),
        queueUrl,
      }),
      breaker: shared,
      usage: shared,
      ...(accountId !== undefined ? { accountId } : {}),
    },
    config: { ...DEFAULT_SWEEP_CONFIG, loginType },
    metrics: powertoolsOpsMetrics(new Metrics()),
    logger: new Logger({ serviceName: 'sweep' }),
  };
};

let built: SweepHandler | undefined;

/** The Lambda entry point, built on the first invocation. */
const handler: SweepHandler = (event) => {
  built ??= createSweepHandler(sweepDepsFromEnv(process.env));
  return built(event);
};

export type { SweepHandler, SweepHandlerDeps };
export { createSweepHandler, handler, InvalidSweepRequestError, sweepDepsFromEnv };
