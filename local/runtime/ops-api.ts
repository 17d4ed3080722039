import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { InvalidRequeueRequestError, type RequeueHandler } from '../../lambdas/handlers/requeue';

/**
 * Operations on the local server, the same operations the deployed functions run:
 *
 *   POST /api/ops/requeue   { status?, stuckMinutes?, sinceDays?, commentIds?, dryRun? } → report
 *
 * Errors have the project's one shape, `{ "error": "<code>", "message": "<sentence>" }`, and never
 * carry internals. Loopback only, like the rest of the local server.
 */

type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'internal';

const MAX_BODY_BYTES = 64 * 1024;

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  },
  body: JSON.stringify(body),
});

const failure = (
  statusCode: number,
  error: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => json(statusCode, { error, message }, headers);

interface OpsApiDeps {
  readonly requeue: RequeueHandler;
  /** Error names only, for the console. */
  readonly onError?: (errorName: string) => void;
}

const createOpsApi =
  (deps: OpsApiDeps) =>
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (!/\/api\/ops\/requeue\/?$/.test(event.path ?? '')) {
      return failure(404, 'not_found', 'There is no such operation; try POST /api/ops/requeue.');
    }
    if (event.httpMethod.toUpperCase() !== 'POST') {
      return failure(405, 'method_not_allowed', 'Use POST to requeue actions.', { allow: 'POST' });
    }
    const raw = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? '');
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
      return failure(413, 'payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
    }
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return failure(400, 'bad_request', 'The request body is not JSON.');
      }
    }
    try {
      return json(200, await deps.requeue(body));
    } catch (error) {
      if (error instanceof InvalidRequeueRequestError) {
        // Field paths and zod codes only: never a value from the request.
        return failure(400, 'bad_request', `The requeue request is not valid (${error.message}).`);
      }
      deps.onError?.(error instanceof Error ? error.name : 'UnknownError');
      return failure(500, 'internal', 'The requeue could not finish; see the server console.');
    }
  };

export type { OpsApiDeps };
export { createOpsApi };
