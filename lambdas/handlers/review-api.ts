import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { ENV } from '../../lib/resources';
import { createAuditStore } from '../adapters/audit-store';
import { type Env, requireEnv } from '../adapters/env';
import { loadOfficeHours, policyPackFromEnv } from '../adapters/policy';
import { createReviewStore } from '../adapters/review-store';
import { traced } from '../adapters/tracing';
import { createBusinessCalendar } from '../core/calendar/calendar';
import { graphId } from '../core/contracts/comment-message';
import { actionMessageSchema } from '../core/contracts/decision';
import {
  DuplicateReviewError,
  InvalidReviewRequestError,
  NotReviewableError,
  ReviewNotFoundError,
  StaleVersionError,
} from '../core/review/errors';
import type { QueueCursor, ReviewActionSink } from '../core/review/ports';
import { reviewRequestSchema } from '../core/review/request';
import {
  auditTrail,
  listInquiries,
  listReviewQueue,
  type ReviewDeps,
  submitReview,
} from '../core/review/service';
import { InvalidSinceError, parseSince } from '../core/review/since';

/**
 * Review API (API Gateway REST proxy → Lambda), for staff:
 *   GET  /reviews                    queue: waiting for a person and hidden by the machine, oldest first
 *   GET  /inquiries                  questions and requests for the department (no reply on Instagram)
 *   GET  /reviews/{commentId}/audit  the audit trail of one comment
 *   POST /reviews/{commentId}        { action: approve|confirm|reclassify, version, reason, ... }
 * Routes match on the path's end, so a stage or `/api` prefix does not matter. The reviewer is the
 * authenticated principal of the request context (Cognito user pool or IAM); staff only ever get the
 * redacted view of a decision. Every refusal is `{ "error": "<code>", "message": "<sentence>" }`.
 */

type ReviewApi = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

interface ReviewApiDeps extends ReviewDeps {
  readonly now?: () => Date;
  /** Who is asking; defaults to the API Gateway authorizer context. */
  readonly identify?: (event: APIGatewayProxyEvent) => string | undefined;
  readonly logger?: Logger;
}

class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 50;
const DEFAULT_INQUIRY_DAYS = 30;
const MAX_BODY_BYTES = 16 * 1024;

/** Cognito user pool authorizer (`claims.sub`) or IAM (`identity.userArn`). */
const identityFromContext = (event: APIGatewayProxyEvent): string | undefined => {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  if (typeof claims?.sub === 'string' && claims.sub) return `cognito:${claims.sub}`;
  const arn = event.requestContext?.identity?.userArn;
  if (typeof arn === 'string' && arn) return `iam:${arn}`;
  return undefined;
};

/**
 * For the local runtime only, where nobody signs requests: the `x-reviewer` header names the
 * reviewer. Never wire this in AWS.
 */
const localHeaderIdentity = (event: APIGatewayProxyEvent): string | undefined => {
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'x-reviewer',
  )?.[1];
  const name = header?.trim();
  return name && /^[\w.@-]{1,64}$/.test(name) ? `local:${name}` : undefined;
};

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const encodeCursor = (cursor: QueueCursor): string =>
  Buffer.from(JSON.stringify([cursor.decidedAt, cursor.commentId])).toString('base64url');

const cursorSchema = z.tuple([z.iso.datetime(), graphId]);
const decodeCursor = (value: string): QueueCursor => {
  try {
    const [decidedAt, commentId] = cursorSchema.parse(
      JSON.parse(Buffer.from(value, 'base64url').toString('utf8')),
    );
    return { decidedAt, commentId };
  } catch {
    throw new InvalidReviewRequestError('after: not a cursor from this API');
  }
};

const limitOf = (raw: string | undefined): number => {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidReviewRequestError(`limit: an integer 1..${MAX_LIMIT}`);
  }
  return limit;
};

const bodyOf = (event: APIGatewayProxyEvent): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new InvalidReviewRequestError('body: too large');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidReviewRequestError('body: not JSON');
  }
};

type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'method_not_allowed'
  | 'internal';

/** The one error body of the project's HTTP APIs. */
const refusal = (statusCode: number, error: ErrorCode, message: string): APIGatewayProxyResult =>
  json(statusCode, { error, message });

const NOT_REVIEWABLE: Record<NotReviewableError['why'], string> = {
  already_reviewed: 'This comment has already been reviewed.',
  not_queued: 'This comment is not waiting for a review.',
  deleted: 'This comment was deleted; a deletion cannot be reviewed again.',
};

/**
 * zod's messages name what was expected, never the value given (the caller's input stays out of
 * responses and logs); each issue is prefixed with the field it concerns.
 */
const validationMessage = (error: z.ZodError): string =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`)
    .join('; ');

const errorResponse = (error: unknown): APIGatewayProxyResult | undefined => {
  if (error instanceof UnauthenticatedError) {
    return refusal(401, 'unauthorized', 'The request does not say which reviewer is asking.');
  }
  if (error instanceof ReviewNotFoundError) {
    return refusal(404, 'not_found', 'There is no live decision for this comment.');
  }
  if (error instanceof StaleVersionError) {
    return refusal(
      409,
      'conflict',
      `Someone changed this comment since you loaded it (now version ${error.current}): reload it and review again.`,
    );
  }
  if (error instanceof DuplicateReviewError) {
    return refusal(
      409,
      'conflict',
      `This review was already recorded as version ${error.version}.`,
    );
  }
  if (error instanceof NotReviewableError) {
    return refusal(409, 'conflict', NOT_REVIEWABLE[error.why]);
  }
  if (error instanceof InvalidReviewRequestError || error instanceof InvalidSinceError) {
    return refusal(400, 'bad_request', error.message);
  }
  if (error instanceof z.ZodError) return refusal(400, 'bad_request', validationMessage(error));
  return undefined;
};

const ROUTE_HELP =
  'Routes: GET /reviews, GET /inquiries, GET /reviews/{commentId}/audit, POST /reviews/{commentId}';

/**
 * Where a queue page starts: after the cursor, and not before `since` (decided at or after it);
 * the later of the two when both are given.
 */
const startOf = (after: QueueCursor | undefined, sinceRaw: string | undefined) => {
  const since = parseSince(sinceRaw);
  // The empty comment id sorts before every id decided at that instant.
  const fromSince = since ? { decidedAt: since.toISOString(), commentId: '' } : undefined;
  if (!after) return fromSince;
  if (!fromSince) return after;
  return after.decidedAt >= fromSince.decidedAt ? after : fromSince;
};

const ROUTES = {
  reviews: /(?:^|\/)reviews\/?$/,
  review: /(?:^|\/)reviews\/([^/]+)\/?$/,
  audit: /(?:^|\/)reviews\/([^/]+)\/audit\/?$/,
  inquiries: /(?:^|\/)inquiries\/?$/,
};

const createReviewApi = (deps: ReviewApiDeps): ReviewApi => {
  const now = deps.now ?? (() => new Date());
  const identify = deps.identify ?? identityFromContext;
  const logger = deps.logger ?? new Logger({ serviceName: 'review-api' });

  const commentIdOf = (raw: string | undefined): string => {
    const parsed = graphId.safeParse(raw);
    if (!parsed.success) throw new ReviewNotFoundError('invalid');
    return parsed.data;
  };

  const route = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const reviewer = identify(event);
    if (!reviewer) throw new UnauthenticatedError('no authenticated principal');
    const method = event.httpMethod.toUpperCase();
    const path = event.path ?? '';
    const query = event.queryStringParameters ?? {};
    const at = now();

    if (method === 'GET' && ROUTES.reviews.test(path)) {
      const queue = query.queue;
      if (queue !== undefined && queue !== 'pending' && queue !== 'hidden') {
        throw new InvalidReviewRequestError('queue: pending or hidden');
      }
      const after = startOf(query.after ? decodeCursor(query.after) : undefined, query.since);
      const page = await listReviewQueue(deps, {
        now: at,
        limit: limitOf(query.limit),
        ...(after ? { after } : {}),
        ...(queue ? { queues: [queue] } : {}),
      });
      return json(200, {
        items: page.items,
        ...(page.next ? { next: encodeCursor(page.next) } : {}),
      });
    }
    if (method === 'GET' && ROUTES.inquiries.test(path)) {
      const since =
        parseSince(query.since) ?? new Date(at.getTime() - DEFAULT_INQUIRY_DAYS * 86_400_000);
      const limit = limitOf(query.limit);
      // A since in the future asks for nothing (and would make an empty range for DynamoDB).
      if (since.getTime() >= at.getTime()) return json(200, { items: [] });
      const items = await listInquiries(deps, { now: at, since, limit });
      return json(200, { items });
    }
    const auditMatch = ROUTES.audit.exec(path);
    if (method === 'GET' && auditMatch) {
      const events = await auditTrail(deps, commentIdOf(auditMatch[1]), at);
      return json(200, { events });
    }
    const reviewMatch = ROUTES.review.exec(path);
    if (method === 'POST' && reviewMatch) {
      const commentId = commentIdOf(reviewMatch[1]);
      const request = reviewRequestSchema.parse(bodyOf(event));
      const result = await submitReview(deps, { commentId, request, reviewer, now: at });
      logger.info('review recorded', {
        commentId,
        decision: result.outcome.decision,
        finalAction: result.outcome.finalAction,
        instagram: result.outcome.instagram,
        version: result.version,
      });
      return json(200, {
        commentId,
        version: result.version,
        decision: result.outcome.decision,
        finalAction: result.outcome.finalAction,
        instagram: result.outcome.instagram,
        eventId: result.eventId,
      });
    }
    if (ROUTES.reviews.test(path) || ROUTES.inquiries.test(path) || auditMatch) {
      return refusal(405, 'method_not_allowed', `${ROUTE_HELP} (this path takes GET).`);
    }
    if (reviewMatch)
      return refusal(405, 'method_not_allowed', `${ROUTE_HELP} (this path takes POST).`);
    return refusal(404, 'not_found', `No such route. ${ROUTE_HELP}.`);
  };

  return async (event) => {
    try {
      return await route(event);
    } catch (error) {
      const mapped = errorResponse(error);
      const name = error instanceof Error ? error.name : 'unknown';
      if (mapped) {
        logger.info('review request refused', { status: mapped.statusCode, error: name });
        return mapped;
      }
      logger.error('review request failed', { error: name });
      return refusal(500, 'internal', 'The review service failed; try again in a moment.');
    }
  };
};

/**
 * Review requests to the actions queue, validated against the same contract the act stage reads
 * (hide, delete, and unhide when staff approve a comment that was hidden).
 */
const createSqsReviewActions = (sqs: SQSClient, queueUrl: string): ReviewActionSink => ({
  async request(request) {
    const message = {
      commentId: request.commentId,
      accountId: request.accountId,
      field: request.field,
      action: request.action,
      ...(request.mediaProductType !== undefined
        ? { mediaProductType: request.mediaProductType }
        : {}),
      policyVersion: request.policyVersion,
      decidedAt: request.decidedAt,
    };
    const body = actionMessageSchema.parse(message);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }),
    );
  },
});

const buildReviewApiFromEnv = (env: Env): ReviewApi => {
  const officeHours = loadOfficeHours(policyPackFromEnv(env));
  const dynamo = traced(new DynamoDBClient({}));
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createReviewApi({
    store: createReviewStore(doc, requireEnv(env, ENV.decisionsTable)),
    audit: createAuditStore(doc, requireEnv(env, ENV.auditTable)),
    actions: createSqsReviewActions(
      traced(new SQSClient({})),
      requireEnv(env, ENV.actionsQueueUrl),
    ),
    calendar: createBusinessCalendar(officeHours),
    auditRetentionDays: officeHours.review.auditRetentionDays,
  });
};

let api: ReviewApi | undefined;

const handler: ReviewApi = (event) => {
  api ??= buildReviewApiFromEnv(process.env);
  return api(event);
};

export type { ReviewApi, ReviewApiDeps };
export {
  buildReviewApiFromEnv,
  createReviewApi,
  createSqsReviewActions,
  handler,
  identityFromContext,
  localHeaderIdentity,
  UnauthenticatedError,
};
