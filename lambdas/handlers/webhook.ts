import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
} from 'aws-lambda';
import { ENV } from '../../lib/resources';
import { type Env, optionalEnv, requireEnv } from '../adapters/env';
import { CommentQueueError, createSqsCommentQueue } from '../adapters/sqs-comment-queue';
import { traced } from '../adapters/tracing';
import {
  localWebhookSecrets,
  SecretsUnavailableError,
  secretsManagerWebhookSecrets,
} from '../adapters/webhook-secrets';
import { assertBodySize, openDelivery } from '../core/webhook/delivery';
import {
  MalformedPayloadError,
  PayloadTooLargeError,
  SignatureError,
} from '../core/webhook/errors';
import { answerHandshake } from '../core/webhook/handshake';
import { formatLocation } from '../core/webhook/payload';
import type { CommentQueue, WebhookSecretsProvider } from '../core/webhook/ports';
import { SIGNATURE_HEADER } from '../core/webhook/signature';

/**
 * The webhook Lambda behind API Gateway: GET answers Meta's subscription handshake, POST takes a
 * signed delivery and puts one message per comment change on the comments queue, answering 200 only
 * once every message is accepted. Accepts REST API (v1) and HTTP API (v2) proxy events.
 */

type WebhookEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

interface WebhookResponse extends APIGatewayProxyResult {
  headers: Record<string, string>;
}

/** The slice of Powertools' Logger the handler uses, so tests can pass a recorder. */
interface WebhookLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

interface WebhookDeps {
  readonly queue: CommentQueue;
  readonly secrets: WebhookSecretsProvider;
  readonly logger?: WebhookLogger;
  readonly now?: () => Date;
}

type WebhookHandler = (event: WebhookEvent) => Promise<WebhookResponse>;

const text = (statusCode: number, body: string): WebhookResponse => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

type ErrorCode =
  | 'bad_request'
  | 'forbidden'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'internal';

/** The project's one error body; fixed sentences, so nothing of the request is echoed. */
const refusal = (statusCode: number, error: ErrorCode, message: string): WebhookResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error, message }),
});

/** A refusal of a signature or a verify token never says why. */
const FORBIDDEN = () => refusal(403, 'forbidden', 'The request was refused.');

const UNAVAILABLE = () =>
  refusal(503, 'internal', 'The delivery could not be queued; send it again later.');

const isV2 = (event: WebhookEvent): event is APIGatewayProxyEventV2 =>
  (event as APIGatewayProxyEventV2).version === '2.0';

const methodOf = (event: WebhookEvent): string =>
  (isV2(event) ? event.requestContext?.http?.method : event.httpMethod)?.toUpperCase() ?? '';

const requestIdOf = (event: WebhookEvent): string | undefined => event.requestContext?.requestId;

/**
 * Every value sent for a header, whatever the case of its name. REST API events list repeated
 * headers in `multiValueHeaders`; HTTP API events join them with commas (which then fails the strict
 * signature format). Either way a repeated signature header is seen, and refused.
 */
const headerValues = (event: WebhookEvent, name: string): string[] => {
  const multi = isV2(event) ? undefined : event.multiValueHeaders;
  const values: string[] = [];
  if (multi) {
    for (const [key, list] of Object.entries(multi)) {
      if (key.toLowerCase() === name && list) values.push(...list);
    }
    if (values.length > 0) return values;
  }
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && value !== undefined) values.push(value);
  }
  return values;
};

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : 'UnknownError';

const createWebhookHandler = (deps: WebhookDeps): WebhookHandler => {
  const logger: WebhookLogger = deps.logger ?? new Logger();
  const now = deps.now ?? (() => new Date());

  const handshake = async (event: WebhookEvent): Promise<WebhookResponse> => {
    const { verifyToken } = await deps.secrets.get();
    const result = answerHandshake(event.queryStringParameters ?? {}, verifyToken);
    logger.info('webhook handshake', { requestId: requestIdOf(event), accepted: result.ok });
    return result.ok ? text(200, result.challenge) : FORBIDDEN();
  };

  const ingest = async (event: WebhookEvent): Promise<WebhookResponse> => {
    const receivedAt = now();
    const raw = event.body ?? '';
    const encoding = event.isBase64Encoded ? 'base64' : 'utf8';
    // Measured on the string, before decoding or hashing anything.
    assertBodySize(Buffer.byteLength(raw, encoding));
    const body = Buffer.from(raw, encoding);
    const { appSecrets } = await deps.secrets.get();
    const delivery = openDelivery(
      { body, signatures: headerValues(event, SIGNATURE_HEADER) },
      appSecrets,
      receivedAt,
    );
    const requestId = requestIdOf(event);
    if (delivery.malformed.length > 0) {
      logger.warn('webhook changes skipped', {
        requestId,
        malformed: delivery.malformed.length,
        // Bounded: a pathological batch must not produce a pathological log line.
        at: delivery.malformed.slice(0, 50).map((m) => ({
          at: formatLocation(m.at),
          issues: m.issues.slice(0, 5),
        })),
      });
    }
    const report = await deps.queue.enqueue(delivery.messages);
    logger.info('webhook delivery enqueued', {
      requestId,
      bytes: body.byteLength,
      ...delivery.counts,
      unknownFields: delivery.unknownFields.slice(0, 20),
      requests: report.requests,
      retriedEntries: report.retriedEntries,
    });
    return text(200, 'EVENT_RECEIVED');
  };

  return async (event) => {
    const method = methodOf(event);
    try {
      if (method === 'GET') return await handshake(event);
      if (method === 'POST') return await ingest(event);
      const refused = refusal(405, 'method_not_allowed', 'The webhook takes GET and POST only.');
      return { ...refused, headers: { ...refused.headers, allow: 'GET, POST' } };
    } catch (error) {
      const requestId = requestIdOf(event);
      if (error instanceof SignatureError) {
        logger.warn('webhook signature rejected', { requestId });
        return FORBIDDEN();
      }
      if (error instanceof PayloadTooLargeError) {
        logger.warn('webhook body too large', { requestId, bytes: error.bytes });
        return refusal(413, 'payload_too_large', 'The delivery body is too large.');
      }
      if (error instanceof MalformedPayloadError) {
        logger.warn('webhook body unreadable', { requestId, reason: error.message });
        return refusal(400, 'bad_request', 'The body is not a webhook delivery.');
      }
      if (error instanceof CommentQueueError) {
        logger.error('webhook enqueue incomplete', {
          requestId,
          accepted: error.accepted,
          rejected: error.rejected,
          codes: error.codes,
        });
        return UNAVAILABLE();
      }
      if (error instanceof SecretsUnavailableError) {
        logger.error('webhook secrets unavailable', { requestId, reason: error.message });
        return UNAVAILABLE();
      }
      // Name only: an unexpected error's message might quote input.
      logger.error('webhook failed', { requestId, error: errorName(error) });
      return refusal(500, 'internal', 'The webhook failed; Meta will send the delivery again.');
    }
  };
};

/**
 * Production wiring from the environment: `COMMENTS_QUEUE_URL` (required) and either
 * `WEBHOOK_SECRET_ARN` (Secrets Manager) or, locally, `IG_APP_SECRET` + `IG_VERIFY_TOKEN`.
 * Throws `ConfigurationError` on a missing value.
 */
const createWebhookHandlerFromEnv = (env: Env): WebhookHandler => {
  const queueUrl = requireEnv(env, ENV.commentsQueueUrl);
  const secretArn = optionalEnv(env, ENV.webhookSecretArn);
  const secrets = secretArn
    ? secretsManagerWebhookSecrets({
        client: traced(new SecretsManagerClient({})),
        secretId: secretArn,
        // A rotated secret reaches warm functions within this time.
        maxAgeMs: 10 * 60 * 1000,
      })
    : localWebhookSecrets(env);
  // Warm the cache during init; a failure here is reported by the first request instead.
  secrets.get().catch(() => undefined);
  const queue = createSqsCommentQueue({
    client: traced(new SQSClient({ cacheMiddleware: true })),
    queueUrl,
  });
  return createWebhookHandler({ queue, secrets });
};

let built: WebhookHandler | undefined;
const fromProcessEnv = (): WebhookHandler => {
  built ??= createWebhookHandlerFromEnv(process.env);
  return built;
};

// Inside Lambda the configuration is checked at init, so a missing value fails the deployment's
// first cold start rather than a request. Elsewhere (tests, local runtime importing the factory)
// importing this module must not require the production environment.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) fromProcessEnv();

const handler: WebhookHandler = (event) => fromProcessEnv()(event);

export type { WebhookDeps, WebhookEvent, WebhookHandler, WebhookLogger, WebhookResponse };
export { createWebhookHandler, createWebhookHandlerFromEnv, handler };
