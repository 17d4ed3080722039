import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ENV, QUEUES } from '../../lib/resources';
import { createAuditStore } from '../adapters/audit-store';
import { createDataRequestStore } from '../adapters/data-request-store';
import { type Env, requireEnv } from '../adapters/env';
import { loadTokenizer } from '../adapters/kuromoji-tokenizer';
import { loadPolicyPack, policyPackFromEnv } from '../adapters/policy';
import { loadPseudonymKey } from '../adapters/pseudonym-key';
import { createQueueSweeper } from '../adapters/queue-sweeper';
import { traced } from '../adapters/tracing';
import { analyze } from '../core/analyze';
import {
  ErasureIncompleteError,
  InvalidDataRequestError,
  NothingHeldError,
} from '../core/data-request/errors';
import type { DataRequestPorts } from '../core/data-request/ports';
import { serveDataRequest } from '../core/data-request/service';

/**
 * Data-subject requests (API Gateway REST proxy → Lambda), for the city's data officer only:
 *   POST /data-requests  { "operation": "disclose" | "erase",
 *                          "subject": { "authorId" | "username" | "value" | "commentId": "..." } }
 * → 200 `{ decisions, ledger, audit }` (disclose) or `{ erased: { decisions, ledger, audit,
 * queued } }` (erase). The subject travels in the body, never in the URL, so it reaches no access
 * log; this handler logs the operation, the kind of subject and the counts, never the subject.
 * Errors have the house shape `{ error, message }`.
 */

type DataRequestApi = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

interface DataRequestApiDeps {
  readonly ports: DataRequestPorts;
  /** Who is asking; `undefined` refuses the request. Defaults to the data officer's IAM role. */
  readonly identify: (event: APIGatewayProxyEvent) => string | undefined;
  readonly logger?: Logger;
}

/** More than any subject needs; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 4 * 1024;
const ROUTE = /(?:^|\/)data-requests\/?$/;

type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'internal';

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const failure = (statusCode: number, error: ErrorCode, message: string) =>
  json(statusCode, { error, message });

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

const bodyOf = (event: APIGatewayProxyEvent): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new BodyTooLargeError();
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidDataRequestError('request: the body is not JSON');
  }
};

/**
 * The caller, when it is a session of the data officer's role:
 * `arn:aws:sts::<account>:assumed-role/<role name>/<session>`. The API's resource policy already
 * refuses every other principal; this keeps the rule if that policy is ever loosened.
 */
const dataOfficerIdentity =
  (roleName: string) =>
  (event: APIGatewayProxyEvent): string | undefined => {
    const arn = event.requestContext?.identity?.userArn;
    if (typeof arn !== 'string') return undefined;
    const match = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
    return match?.[1] === roleName ? `iam:${arn}` : undefined;
  };

/**
 * For the local runtime only, where nobody signs requests: the `x-data-officer` header names the
 * officer. Never wire this in AWS.
 */
const localOfficerIdentity = (event: APIGatewayProxyEvent): string | undefined => {
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'x-data-officer',
  )?.[1];
  const name = header?.trim();
  return name && /^[\w.@-]{1,64}$/.test(name) ? `local:${name}` : undefined;
};

const refusal = (error: unknown): APIGatewayProxyResult | undefined => {
  if (error instanceof InvalidDataRequestError) return failure(400, 'bad_request', error.message);
  if (error instanceof BodyTooLargeError) {
    return failure(413, 'payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
  }
  if (error instanceof NothingHeldError) {
    return failure(404, 'not_found', 'Nothing is held about this subject.');
  }
  if (error instanceof ErasureIncompleteError) {
    return failure(
      409,
      'conflict',
      error.why === 'busy'
        ? 'A comment of this subject is being classified right now; what could be erased was erased. Run the request again in a minute.'
        : 'The queues could not be read to the end in time; what could be erased was erased. Run the request again.',
    );
  }
  return undefined;
};

const createDataRequestApi = (deps: DataRequestApiDeps): DataRequestApi => {
  const logger = deps.logger ?? new Logger({ serviceName: 'data-request' });
  return async (event) => {
    if (!ROUTE.test(event.path ?? '')) {
      return failure(404, 'not_found', 'No such route: POST /data-requests is the only one.');
    }
    if (event.httpMethod.toUpperCase() !== 'POST') {
      return failure(405, 'method_not_allowed', 'Use POST with a JSON body.');
    }
    const officer = deps.identify(event);
    if (!officer) {
      return failure(403, 'forbidden', 'Only the data officer may serve data-subject requests.');
    }
    const requestId = event.requestContext?.requestId ?? '';
    try {
      const result = await serveDataRequest(deps.ports, bodyOf(event), { officer, requestId });
      if (result.operation === 'disclose') {
        logger.info('data request served', {
          requestId,
          operation: 'disclose',
          decisions: result.disclosure.decisions.length,
          ledger: result.disclosure.ledger.length,
          audit: result.disclosure.audit.length,
        });
        return json(200, result.disclosure);
      }
      logger.info('data request served', { requestId, operation: 'erase', ...result.erased });
      return json(200, { erased: result.erased });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown';
      const mapped = refusal(error);
      if (mapped) {
        logger.info('data request refused', { requestId, status: mapped.statusCode, error: name });
        return mapped;
      }
      logger.error('data request failed', { requestId, error: name });
      return failure(500, 'internal', 'The request could not be served; try it again.');
    }
  };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Everything the deployed function needs, read once per process; fails fast when incomplete. */
const buildDataRequestApiFromEnv = async (env: Env): Promise<DataRequestApi> => {
  const tables = {
    decisions: requireEnv(env, ENV.decisionsTable),
    piiLedger: requireEnv(env, ENV.piiLedgerTable),
    audit: requireEnv(env, ENV.auditTable),
  };
  const queue = (urlEnv: string, deadLetterEnv: string, maxReceiveCount: number) => [
    { url: requireEnv(env, urlEnv), maxReceiveCount },
    { url: requireEnv(env, deadLetterEnv) },
  ];
  const queues = [
    ...queue(ENV.commentsQueueUrl, ENV.commentsDlqUrl, QUEUES.comments.maxReceiveCount),
    ...queue(ENV.actionsQueueUrl, ENV.actionsDlqUrl, QUEUES.actions.maxReceiveCount),
  ];
  const roleName = requireEnv(env, ENV.dataOfficerRoleName);
  const pseudonymKey = await loadPseudonymKey({
    env,
    secretsClient: () => traced(new SecretsManagerClient({})),
  });
  const { policy, officeHours } = loadPolicyPack(policyPackFromEnv(env));
  const tokenizer = await loadTokenizer();
  const doc = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createDataRequestApi({
    identify: dataOfficerIdentity(roleName),
    ports: {
      store: createDataRequestStore(doc, tables),
      // Three sweeps at most (see the core's `erase`), each within 6 s, under the 28 s timeout.
      queues: createQueueSweeper({
        sqs: traced(new SQSClient({})),
        queues,
        holdSeconds: 60,
        waitSeconds: 1,
        budgetMs: 6_000,
      }),
      audit: createAuditStore(doc, tables.audit),
      findPii: (text) => analyze(text, { policy, tokenizer }).pii,
      pseudonymKey,
      policyVersion: policy.version,
      auditRetentionDays: officeHours.review.auditRetentionDays,
      now: () => new Date(),
      wait: sleep,
    },
  });
};

let ready: Promise<DataRequestApi> | undefined;

/** Lambda entry point. */
const handler: DataRequestApi = async (event) => {
  ready ??= buildDataRequestApiFromEnv(process.env).catch((error: unknown) => {
    // A transient start-up failure (Secrets Manager) must not poison the warm container.
    ready = undefined;
    throw error;
  });
  return (await ready)(event);
};

export type { DataRequestApi, DataRequestApiDeps };
export {
  buildDataRequestApiFromEnv,
  createDataRequestApi,
  dataOfficerIdentity,
  handler,
  localOfficerIdentity,
};
