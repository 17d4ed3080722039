/**
 * The act stage: consumes the actions queue and hides, unhides or deletes comments through the
 * Graph API. Dry run unless `ACTIONS_ENABLED=true`. Thin: parse the message, run `processAction`
 * through the ports, turn a "retry later" into message visibility plus a failed batch item.
 */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '../../lib/resources';
import { ActionStatusStore } from '../adapters/action-status-store';
import { CircuitBreakerStore } from '../adapters/circuit-breaker-store';
import { booleanEnv, ConfigurationError, type Env, optionalEnv, requireEnv } from '../adapters/env';
import {
  type AccessTokenSource,
  createModerationPort,
  GraphApiClient,
  graphBaseUrlFromEnv,
} from '../adapters/graph-api-client';
import { secretsManagerTokenSource, staticTokenSource } from '../adapters/graph-token';
import {
  DEFERRED_SINCE_ATTRIBUTE,
  type MessageVisibility,
  type Requeue,
  SqsMessageVisibility,
  SqsRequeue,
} from '../adapters/message-visibility';
import { traced } from '../adapters/tracing';
import type { RandomSource } from '../core/act/backoff';
import { type ActConfig, DEFAULT_ACT_CONFIG } from '../core/act/config';
import type {
  ActionStatusPort,
  ActMetric,
  BreakerPort,
  ModerationPort,
  UsagePort,
} from '../core/act/ports';
import { type ActOutcome, processAction } from '../core/act/process-action';
import { type ActionMessage, actionMessageSchema } from '../core/contracts/decision';

/** A record that is not an action message: it fails every delivery and ends in the DLQ. */
class InvalidActionMessageError extends Error {
  constructor() {
    super('record is not an action message');
    this.name = 'InvalidActionMessageError';
  }
}

/** Marks a record the queue must deliver again later; its visibility already carries the delay. */
class RetryLaterError extends Error {
  constructor(reason: string) {
    super(`retry later: ${reason}`);
    this.name = 'RetryLaterError';
  }
}

interface ActMetricsSink {
  count(name: ActMetric): void;
  /**
   * Seconds since a deferred action was first put back on the queue. Every deferral re-sends the
   * message, which resets the queue's oldest-message age, so this is what shows a long outage.
   */
  deferredAge?(seconds: number): void;
  /** Called once at the end of every invocation. */
  flush(): void;
}

/** The first deferral's instant from a record's attributes, if it is a deferred copy. */
const deferredSinceOf = (record: SQSRecord): number | undefined => {
  const raw = record.messageAttributes?.[DEFERRED_SINCE_ATTRIBUTE]?.stringValue;
  const at = raw === undefined ? Number.NaN : Date.parse(raw);
  return Number.isFinite(at) ? at : undefined;
};

class ModerationNotConfiguredError extends Error {
  override readonly name = 'ModerationNotConfiguredError';
}

/** The dry run's moderation port when no Graph host is configured: any call is refused. */
const unconfiguredModeration: ModerationPort = {
  hide: () => Promise.reject(new ModerationNotConfiguredError('no Graph host configured')),
  unhide: () => Promise.reject(new ModerationNotConfiguredError('no Graph host configured')),
  delete: () => Promise.reject(new ModerationNotConfiguredError('no Graph host configured')),
};

interface ActHandlerDeps {
  readonly config: ActConfig;
  readonly statuses: ActionStatusPort;
  readonly breaker: BreakerPort;
  readonly usage: UsagePort;
  readonly moderation: ModerationPort;
  readonly visibility: MessageVisibility;
  /** Re-sends deferred messages with a delay; without it a deferral fails the item instead. */
  readonly requeue?: Requeue;
  readonly metrics: ActMetricsSink;
  readonly logger: Logger;
  /** Epoch milliseconds; defaults to the system clock. */
  readonly now?: () => number;
  readonly random?: RandomSource;
}

type ActHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

const parseMessage = (body: string): ActionMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidActionMessageError();
  }
  const parsed = actionMessageSchema.safeParse(json);
  if (!parsed.success) throw new InvalidActionMessageError();
  return parsed.data;
};

const logOutcome = (logger: Logger, message: ActionMessage, outcome: ActOutcome): void => {
  // Ids, codes and counts only: the message carries no text, and none is logged.
  logger.info('action processed', {
    commentId: message.commentId,
    action: message.action,
    policyVersion: message.policyVersion,
    outcome: outcome.kind,
    reason: outcome.reason,
    calls: outcome.calls,
    ...(outcome.kind === 'settled' && outcome.status ? { status: outcome.status } : {}),
    ...(outcome.kind === 'retry' ? { delaySeconds: outcome.delaySeconds } : {}),
    ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
  });
};

const createActHandler = (deps: ActHandlerDeps): ActHandler => {
  const ports = {
    statuses: deps.statuses,
    breaker: deps.breaker,
    usage: deps.usage,
    moderation: deps.moderation,
    metrics: deps.metrics,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
  };

  const handleRecord = async (record: SQSRecord): Promise<void> => {
    let message: ActionMessage;
    try {
      message = parseMessage(record.body);
    } catch (error) {
      deps.logger.error('invalid action message', { messageId: record.messageId });
      throw error;
    }
    const outcome = await processAction(message, ports, deps.config);
    logOutcome(deps.logger, message, outcome);
    const deferredSince = deferredSinceOf(record);
    if (deferredSince !== undefined) {
      deps.metrics.deferredAge?.(Math.max(0, Math.round((ports.now() - deferredSince) / 1000)));
    }
    if (outcome.kind === 'retry' && outcome.reason !== 'transient' && deps.requeue) {
      // A wait (rate limit, open breaker, another function's lease) is not the message's fault:
      // a delayed copy keeps its receive count fresh, so deferrals never push it into the DLQ.
      // The copy carries the first deferral's instant, so the wait stays visible across copies.
      try {
        await deps.requeue.later(record.body, outcome.delaySeconds, deferredSince ?? ports.now());
        return;
      } catch (error) {
        deps.logger.warn('could not requeue a deferred message', {
          messageId: record.messageId,
          errorName: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    if (outcome.kind === 'retry') {
      try {
        await deps.visibility.delay(record, outcome.delaySeconds);
      } catch (error) {
        // The message still comes back, after the queue's own visibility timeout.
        deps.logger.warn('could not change message visibility', {
          messageId: record.messageId,
          errorName: error instanceof Error ? error.name : 'unknown',
        });
      }
      throw new RetryLaterError(outcome.reason);
    }
  };

  return async (event, context) => {
    // One processor per invocation: tests (and the local runtime) run invocations concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, handleRecord, processor, {
        ...(context ? { context } : {}),
        // An all-failed batch is reported item by item like any other, so each message keeps the
        // visibility delay set for it instead of the whole batch coming back at once.
        throwOnFullBatchFailure: false,
      });
    } finally {
      deps.metrics.flush();
    }
  };
};

/** Powertools Metrics behind the sink; the alarmed ones are listed in lib/constructs/pipeline-alarms.ts. */
const powertoolsMetricsSink = (metrics: Metrics): ActMetricsSink => {
  let pending = false;
  return {
    count(name) {
      metrics.addMetric(name, MetricUnit.Count, 1);
      pending = true;
    },
    deferredAge(seconds) {
      // Repeated names become one EMF metric with several values: each record is a data point.
      metrics.addMetric('ActionDeferredAgeSeconds', MetricUnit.Seconds, seconds);
      pending = true;
    },
    flush() {
      if (!pending) return;
      pending = false;
      metrics.publishStoredMetrics();
    },
  };
};

/** Everything the handler needs, read from the environment once; throws on a missing value. */
const depsFromEnv = (env: Env): ActHandlerDeps => {
  const decisionsTable = requireEnv(env, ENV.decisionsTable);
  const breakerTable = requireEnv(env, ENV.breakerTable);
  const actionsEnabled = booleanEnv(env, ENV.actionsEnabled);
  const secretArn = optionalEnv(env, ENV.graphTokenSecretArn);
  const localToken = optionalEnv(env, ENV.accessToken);
  if (actionsEnabled && !secretArn && !localToken) {
    throw new ConfigurationError(
      `${ENV.actionsEnabled}=true needs ${ENV.graphTokenSecretArn} or ${ENV.accessToken}`,
    );
  }
  const baseUrl = graphBaseUrlFromEnv(env);
  if (actionsEnabled && !baseUrl) {
    // An Instagram-login token is refused by graph.facebook.com and the reverse: no default host.
    throw new ConfigurationError(
      `${ENV.actionsEnabled}=true needs ${ENV.graphLoginType} (or ${ENV.graphApiBaseUrl})`,
    );
  }
  const tokens: AccessTokenSource = secretArn
    ? secretsManagerTokenSource(traced(new SecretsManagerClient({})), secretArn)
    : staticTokenSource(localToken ?? '');
  const config: ActConfig = { ...DEFAULT_ACT_CONFIG, actionsEnabled };
  const doc = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const breakerStore = new CircuitBreakerStore(doc, breakerTable, {
    breaker: config.breaker,
    usage: config.usage,
  });
  const sqs = traced(new SQSClient({ cacheMiddleware: true }));
  const actionsQueueUrl = optionalEnv(env, ENV.actionsQueueUrl);
  // A dry run never calls Meta; without a host its moderation port refuses, should that change.
  const moderation: ModerationPort = baseUrl
    ? createModerationPort(new GraphApiClient({ baseUrl }), tokens)
    : unconfiguredModeration;
  return {
    config,
    // Plain client, middleware resolved once per command class (see dynamo-items.ts).
    statuses: new ActionStatusStore(
      traced(new DynamoDBClient({ cacheMiddleware: true })),
      decisionsTable,
    ),
    breaker: breakerStore,
    usage: breakerStore,
    moderation,
    visibility: new SqsMessageVisibility(sqs, actionsQueueUrl),
    ...(actionsQueueUrl ? { requeue: new SqsRequeue(sqs, actionsQueueUrl) } : {}),
    metrics: powertoolsMetricsSink(new Metrics()),
    logger: new Logger(),
  };
};

let built: ActHandler | undefined;

/** The Lambda entry point, built on the first invocation and reused for the life of the process. */
const handler: ActHandler = (event, context) => {
  built ??= createActHandler(depsFromEnv(process.env));
  return built(event, context);
};

export type { ActHandler, ActHandlerDeps, ActMetricsSink };
export {
  createActHandler,
  deferredSinceOf,
  depsFromEnv,
  handler,
  InvalidActionMessageError,
  powertoolsMetricsSink,
  RetryLaterError,
};
