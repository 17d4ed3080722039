/**
 * The requeue function, invoked by an operator after a fix (see the README runbook):
 *
 *   aws lambda invoke --function-name <RequeueFunctionName> --cli-binary-format raw-in-base64-out \
 *     --payload '{"status":"failed","dryRun":true}' report.json
 *
 * Payload (all optional): `status` failed|pending|all, `stuckMinutes`, `sinceDays`, `commentIds`,
 * `dryRun`. Returns which comments were re-sent (ids and actions only).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../lib/resources';
import { type Env, requireEnv } from '../adapters/env';
import { type OpsMetrics, powertoolsOpsMetrics } from '../adapters/ops-metrics';
import { createRequeueStore } from '../adapters/requeue-store';
import { traced } from '../adapters/tracing';
import { actionMessageSchema } from '../core/contracts/decision';
import {
  type RequeuePorts,
  type RequeueReport,
  requeueRequestSchema,
  runRequeue,
} from '../core/ops/requeue';

/** The payload was not a requeue request. Paths and codes only. */
class InvalidRequeueRequestError extends Error {
  override readonly name = 'InvalidRequeueRequestError';
}

type RequeueHandler = (event?: unknown) => Promise<RequeueReport>;

interface RequeueHandlerDeps {
  readonly ports: Omit<RequeuePorts, 'now'> & { readonly now?: () => Date };
  readonly metrics: OpsMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/** Parses an operator's request; throws `InvalidRequeueRequestError` naming the fields only. */
const parseRequeueRequest = (input: unknown) => {
  const parsed = requeueRequestSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InvalidRequeueRequestError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.code}`).join('; '),
    );
  }
  return parsed.data;
};

const createRequeueHandler = (deps: RequeueHandlerDeps): RequeueHandler => {
  const ports: RequeuePorts = { ...deps.ports, now: deps.ports.now ?? (() => new Date()) };
  return async (event) => {
    const request = parseRequeueRequest(event);
    const report = await runRequeue(ports, request);
    if (!report.dryRun) {
      deps.metrics.add('ActionsRequeued', report.requeued.length);
      deps.metrics.add('ActionsRequeueFailed', report.failed.length);
      deps.metrics.flush();
    }
    const log = report.failed.length > 0 ? deps.logger.warn : deps.logger.info;
    log.call(deps.logger, 'requeue finished', {
      dryRun: report.dryRun,
      examined: report.examined,
      requeued: report.requeued.length,
      skipped: report.skipped,
      failed: report.failed,
    });
    return report;
  };
};

/** An action message on the actions queue, validated against the act stage's contract. */
const sqsActionSender =
  (sqs: SQSClient, queueUrl: string): RequeuePorts['send'] =>
  async (message) => {
    const body = actionMessageSchema.parse(message);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }),
    );
  };

const requeueDepsFromEnv = (env: Env): RequeueHandlerDeps => {
  const decisionsTable = requireEnv(env, ENV.decisionsTable);
  const queueUrl = requireEnv(env, ENV.actionsQueueUrl);
  return {
    ports: {
      store: createRequeueStore(traced(new DynamoDBClient({})), decisionsTable),
      send: sqsActionSender(traced(new SQSClient({})), queueUrl),
    },
    metrics: powertoolsOpsMetrics(new Metrics()),
    logger: new Logger({ serviceName: 'requeue' }),
  };
};

let built: RequeueHandler | undefined;

const handler: RequeueHandler = (event) => {
  built ??= createRequeueHandler(requeueDepsFromEnv(process.env));
  return built(event);
};

export type { RequeueHandler, RequeueHandlerDeps };
export {
  createRequeueHandler,
  handler,
  InvalidRequeueRequestError,
  parseRequeueRequest,
  requeueDepsFromEnv,
  sqsActionSender,
};
