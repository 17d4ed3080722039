import { Logger } from '@aws-lambda-powertools/logger';
import { ActionStatusStore } from '../../lambdas/adapters/action-status-store';
import { CircuitBreakerStore } from '../../lambdas/adapters/circuit-breaker-store';
import { SqsMessageVisibility } from '../../lambdas/adapters/message-visibility';
import { DEFAULT_ACT_CONFIG } from '../../lambdas/core/act/config';
import type { ModerationPort } from '../../lambdas/core/act/ports';
import { createActHandler } from '../../lambdas/handlers/act';
import { QUEUES } from '../../lib/resources';
import type { Embedded } from '../embedded';
import { createSqsPoller, type Poller } from './sqs-poller';

/**
 * The local act stage: the act handler, in dry run, behind a poller of the actions queue. Built the
 * same way on the pipeline's thread or on its own (see `act-thread.ts`).
 */

type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

class OfflineModerationError extends Error {
  override readonly name = 'OfflineModerationError';
}

const refuseGraphCall = (): Promise<never> =>
  Promise.reject(new OfflineModerationError('the local runtime makes no Graph calls'));

/**
 * The local act stage never reaches Meta: a dry run settles before any call, and should one be
 * attempted, every moderation method (whatever the port grows to: hide, delete, unhide) refuses.
 */
const offlineModeration = new Proxy(
  {},
  { get: (_target, property) => (property === 'then' ? undefined : refuseGraphCall) },
) as ModerationPort;

interface ActStageOptions {
  readonly embedded: Pick<Embedded, 'dynamo' | 'doc' | 'sqs' | 'tableNames' | 'queues'>;
  readonly concurrency: number;
  readonly logLevel: LogLevel;
  /** Poller faults, by stage and error name only. */
  readonly onError: (stage: string, errorName: string) => void;
}

const createActStage = (options: ActStageOptions): Poller => {
  const { dynamo, doc, sqs, tableNames, queues } = options.embedded;
  const config = { ...DEFAULT_ACT_CONFIG, actionsEnabled: false };
  const breaker = new CircuitBreakerStore(doc, tableNames.circuitBreaker, {
    breaker: config.breaker,
    usage: config.usage,
  });
  const act = createActHandler({
    config,
    statuses: new ActionStatusStore(dynamo, tableNames.decisions),
    breaker,
    usage: breaker,
    moderation: offlineModeration,
    visibility: new SqsMessageVisibility(sqs, queues.actions.url),
    // CloudWatch metrics have no local sink; the counts are in the handler's logs.
    metrics: { count: () => undefined, flush: () => undefined },
    logger: new Logger({ serviceName: 'act', logLevel: options.logLevel }),
  });
  return createSqsPoller({
    sqs,
    queueUrl: queues.actions.url,
    queueArn: queues.actions.arn,
    handler: act,
    batchSize: QUEUES.actions.batchSize,
    concurrency: options.concurrency,
    onError: options.onError,
  });
};

export type { ActStageOptions, LogLevel };
export { createActStage, OfflineModerationError, offlineModeration };
