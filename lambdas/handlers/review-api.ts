import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { ENV } from '../../lib/resources';
import { createAuditStore } from '../adapters/audit-store';
import { booleanEnv, type Env, requireEnv } from '../adapters/env';
import { loadOfficeHours, policyPackFromEnv } from '../adapters/policy';
import { createQueueHealthProbe } from '../adapters/queue-health';
import { createReviewStore } from '../adapters/review-store';
import { traced } from '../adapters/tracing';
import { createBusinessCalendar } from '../core/calendar/calendar';
import { graphId } from '../core/contracts/comment-message';
import { actionMessageSchema } from '../core/contracts/decision';
import {
  allows,
  type Permission,
  parseGroupsClaim,
  requirePermission,
  type StaffIdentity,
} from '../core/review/access';
import {
  DuplicateReviewError,
  InvalidReviewRequestError,
  NotReviewableError,
  ReviewNotFoundError,
  StaffForbiddenError,
  StaleVersionError,
} from '../core/review/errors';
import { inquiryMarkSchema } from '../core/review/inquiry';
import type { HealthProbe, QueueCursor, ReviewActionSink } from '../core/review/ports';
import { currentMonth, monthRange, reportCsv } from '../core/review/report';
import { reviewRequestSchema } from '../core/review/request';
import { decisionSearchSchema } from '../core/review/search';
import {
  auditTrail,
  commentDetail,
  health,
  listInquiries,
  listReviewQueue,
  markInquiry,
  monthlyReport,
  type ReviewDeps,
  searchDecisions,
  submitReview,
} from '../core/review/service';
import { InvalidSinceError, parseSince } from '../core/review/since';

/**
 * Review API (API Gateway REST proxy → Lambda), for staff and the staff console. Groups: `viewer`
 * reads, `reviewer` reads and acts.
 *   GET  /me                         who is asking, and whether they may act           (read)
 *   GET  /reviews                    queue: waiting for a person and hidden by the machine (read)
 *   POST /reviews/{commentId}        { action: approve|confirm|reclassify, version, reason } (act)
 *   GET  /reviews/{commentId}/audit  the audit trail of one comment                     (read)
 *   GET  /inquiries?from=&to=        questions and requests for the department          (read)
 *   POST /inquiries/{commentId}      { handled, note, version }: the department's mark   (act)
 *   GET  /comments?from=&to=&action=&category=&status=&review=&limit=  decision search (read)
 *   GET  /comments/{commentId}       a decision, its personal-data types and audit trail (read)
 *   GET  /reports/monthly?month=YYYY-MM[&format=csv]                 monthly report   (read)
 *   GET  /health                     queues, last delivery, act mode, versions          (read)
 * Routes match on the path's end, so a stage or `/api` prefix does not matter. The identity is the
 * verified token's (Cognito user pool authorizer: `sub`, display name, `cognito:groups`); staff only
 * ever get the redacted view of a decision. Errors are `{ error, message }` with the house codes.
 * There is no route that writes to Instagram beyond hide, delete and unhide: never a reply.
 */

type ReviewApi = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

interface ReviewApiDeps extends ReviewDeps {
  readonly now?: () => Date;
  /** Who is asking; defaults to the Cognito claims of the API Gateway authorizer. */
  readonly identify?: (event: APIGatewayProxyEvent) => StaffIdentity | undefined;
  /** Queue depths and act mode for `/health`; without it the route answers 404. */
  readonly health?: HealthProbe;
  readonly logger?: Logger;
}

class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
}

class NoRouteError extends Error {
  override name = 'NoRouteError';
}

class MethodNotAllowedError extends Error {
  override name = 'MethodNotAllowedError';
}

const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 50;
const DEFAULT_INQUIRY_DAYS = 30;
const MAX_INQUIRY_LIMIT = 1000;
const MAX_BODY_BYTES = 16 * 1024;
const NAME_PATTERN = /^[\p{L}\p{N}\p{M} ._@-]{1,64}$/u;

const claimString = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/**
 * The Cognito user pool authorizer's verified claims: `sub` is the id recorded in the audit trail,
 * the `name` attribute (set by the administrator who created the user) the name shown beside it.
 */
const identityFromContext = (event: APIGatewayProxyEvent): StaffIdentity | undefined => {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  if (!claims) return undefined;
  const sub = claimString(claims, 'sub');
  if (!sub) return undefined;
  const name =
    claimString(claims, 'name') ??
    claimString(claims, 'cognito:username') ??
    claimString(claims, 'email') ??
    sub;
  return {
    id: `cognito:${sub}`,
    name: name.slice(0, 128),
    groups: parseGroupsClaim(claims['cognito:groups']),
  };
};

const headerOf = (event: APIGatewayProxyEvent, wanted: string): string | undefined =>
  Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === wanted)?.[1];

/**
 * For the local runtime only, where nobody signs requests and the server answers loopback only:
 * `x-reviewer` names the reviewer (percent-encoded UTF-8, so 田中 works), `x-staff-role` picks
 * `viewer` or `reviewer` (default). Never wire this in AWS.
 */
const localHeaderIdentity = (event: APIGatewayProxyEvent): StaffIdentity | undefined => {
  const raw = headerOf(event, 'x-reviewer')?.trim();
  if (!raw) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    return undefined;
  }
  if (!NAME_PATTERN.test(name)) return undefined;
  const role = headerOf(event, 'x-staff-role')?.trim() ?? 'reviewer';
  const groups = parseGroupsClaim(role);
  return { id: `local:${name}`, name, groups };
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
    throw new InvalidReviewRequestError('after is not a cursor this API gave out.');
  }
};

const limitOf = (raw: string | undefined, max = MAX_LIMIT): number => {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new InvalidReviewRequestError(`limit must be an integer from 1 to ${max}.`);
  }
  return limit;
};

const bodyOf = (event: APIGatewayProxyEvent): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`body over ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidReviewRequestError('The body is not JSON.');
  }
};

type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
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
    return refusal(401, 'unauthorized', 'Sign in first: this request carries no staff identity.');
  }
  if (error instanceof StaffForbiddenError) {
    return refusal(
      403,
      'forbidden',
      error.needed === 'act'
        ? 'Only members of the reviewer group may do this.'
        : 'Only members of the viewer or reviewer group may read this.',
    );
  }
  if (error instanceof ReviewNotFoundError || error instanceof NoRouteError) {
    return refusal(404, 'not_found', 'There is no such comment or page.');
  }
  if (error instanceof MethodNotAllowedError) {
    return refusal(405, 'method_not_allowed', 'This address does not take that method.');
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
  if (error instanceof PayloadTooLargeError) {
    return refusal(413, 'payload_too_large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  }
  if (error instanceof InvalidReviewRequestError || error instanceof InvalidSinceError) {
    return refusal(400, 'bad_request', error.message);
  }
  if (error instanceof z.ZodError) return refusal(400, 'bad_request', validationMessage(error));
  return undefined;
};

interface RouteContext {
  readonly event: APIGatewayProxyEvent;
  readonly match: RegExpExecArray;
  readonly staff: StaffIdentity;
  readonly query: Record<string, string | undefined>;
  readonly at: Date;
}

interface Handler {
  readonly permission: Permission;
  readonly run: (ctx: RouteContext) => Promise<APIGatewayProxyResult>;
}

interface Route {
  readonly pattern: RegExp;
  readonly methods: Partial<Record<'GET' | 'POST', Handler>>;
}

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

const createReviewApi = (deps: ReviewApiDeps): ReviewApi => {
  const now = deps.now ?? (() => new Date());
  const identify = deps.identify ?? identityFromContext;
  const logger = deps.logger ?? new Logger({ serviceName: 'review-api' });

  const commentIdOf = (raw: string | undefined): string => {
    const parsed = graphId.safeParse(raw);
    if (!parsed.success) throw new ReviewNotFoundError('invalid');
    return parsed.data;
  };

  const routes: readonly Route[] = [
    {
      pattern: /(?:^|\/)me\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ staff }) =>
            json(200, {
              id: staff.id,
              name: staff.name,
              groups: staff.groups,
              canAct: allows(staff, 'act'),
            }),
        },
      },
    },
    {
      pattern: /(?:^|\/)reviews\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ query, at }) => {
            const queue = query.queue;
            if (queue !== undefined && queue !== 'pending' && queue !== 'hidden') {
              throw new InvalidReviewRequestError('queue must be pending or hidden.');
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
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)reviews\/([^/]+)\/audit\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ match, at }) =>
            json(200, { events: await auditTrail(deps, commentIdOf(match[1]), at) }),
        },
      },
    },
    {
      pattern: /(?:^|\/)reviews\/([^/]+)\/?$/,
      methods: {
        POST: {
          permission: 'act',
          run: async ({ event, match, staff, at }) => {
            const commentId = commentIdOf(match[1]);
            const request = reviewRequestSchema.parse(bodyOf(event));
            const result = await submitReview(deps, {
              commentId,
              request,
              reviewer: staff.id,
              reviewerName: staff.name,
              now: at,
            });
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
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)inquiries\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ query, at }) => {
            const since =
              parseSince(query.since) ?? new Date(at.getTime() - DEFAULT_INQUIRY_DAYS * 86_400_000);
            // A since in the future asks for nothing (and would make an empty range for DynamoDB).
            if (since.getTime() >= at.getTime()) return json(200, { items: [] });
            const items = await listInquiries(deps, {
              now: at,
              since,
              limit: limitOf(query.limit, MAX_INQUIRY_LIMIT),
            });
            return json(200, { items });
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)inquiries\/([^/]+)\/?$/,
      methods: {
        POST: {
          permission: 'act',
          run: async ({ event, match, staff, at }) => {
            const commentId = commentIdOf(match[1]);
            const mark = inquiryMarkSchema.parse(bodyOf(event));
            const result = await markInquiry(deps, { commentId, mark, staff, now: at });
            logger.info('inquiry marked', {
              commentId,
              handled: result.handled,
              version: result.inquiryVersion,
            });
            return json(200, result);
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)comments\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ query, at }) => {
            const search = decisionSearchSchema.parse(query);
            return json(200, await searchDecisions(deps, search, at));
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)comments\/([^/]+)\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ match, at }) =>
            json(200, await commentDetail(deps, commentIdOf(match[1]), at)),
        },
      },
    },
    {
      pattern: /(?:^|\/)reports\/monthly\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ query, at }) => {
            const month = query.month ?? currentMonth(at);
            if (!monthRange(month)) {
              throw new InvalidReviewRequestError('month must be YYYY-MM.');
            }
            const report = await monthlyReport(deps, month, at);
            if (query.format === 'csv') {
              return {
                statusCode: 200,
                headers: {
                  'content-type': 'text/csv; charset=utf-8',
                  'content-disposition': `attachment; filename="instagram-report-${report.month}.csv"`,
                  'cache-control': 'no-store',
                },
                body: reportCsv(report),
              };
            }
            if (query.format !== undefined && query.format !== 'json') {
              throw new InvalidReviewRequestError('format must be json or csv.');
            }
            return json(200, report);
          },
        },
      },
    },
    {
      pattern: /(?:^|\/)health\/?$/,
      methods: {
        GET: {
          permission: 'read',
          run: async ({ at }) => {
            const probe = deps.health;
            if (!probe) throw new NoRouteError('health is not configured');
            return json(200, await health({ store: deps.store, probe }, at));
          },
        },
      },
    },
  ];

  const route = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const staff = identify(event);
    if (!staff) throw new UnauthenticatedError('no authenticated principal');
    const method = event.httpMethod.toUpperCase();
    const path = event.path ?? '';
    for (const candidate of routes) {
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const handler = method === 'GET' || method === 'POST' ? candidate.methods[method] : undefined;
      if (!handler) throw new MethodNotAllowedError(method);
      requirePermission(staff, handler.permission);
      return handler.run({
        event,
        match,
        staff,
        query: event.queryStringParameters ?? {},
        at: now(),
      });
    }
    throw new NoRouteError(path);
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
      return refusal(500, 'internal', 'Something went wrong on our side; try again later.');
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
  const sqs = traced(new SQSClient({}));
  const actionsQueueUrl = requireEnv(env, ENV.actionsQueueUrl);
  return createReviewApi({
    store: createReviewStore(doc, requireEnv(env, ENV.decisionsTable)),
    audit: createAuditStore(doc, requireEnv(env, ENV.auditTable)),
    actions: createSqsReviewActions(sqs, actionsQueueUrl),
    calendar: createBusinessCalendar(officeHours),
    auditRetentionDays: officeHours.review.auditRetentionDays,
    health: createQueueHealthProbe(
      sqs,
      {
        comments: {
          url: requireEnv(env, ENV.commentsQueueUrl),
          deadLetterUrl: requireEnv(env, ENV.commentsDlqUrl),
        },
        actions: { url: actionsQueueUrl, deadLetterUrl: requireEnv(env, ENV.actionsDlqUrl) },
      },
      booleanEnv(env, ENV.actionsEnabled),
    ),
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
