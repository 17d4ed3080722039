import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Node HTTP ↔ the API Gateway REST API (v1) Lambda proxy integration, so the webhook handler runs
 * locally on exactly the event it gets in AWS. The body keeps its bytes: valid UTF-8 travels as a
 * string (as API Gateway passes text), anything else base64-encoded with `isBase64Encoded: true`.
 */

/** API Gateway's payload limit; larger requests never reach the function. */
/** The caller identity API Gateway reports for an unauthenticated request (Meta's webhook calls). */
const anonymousIdentity = (
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent['requestContext']['identity'] => ({
  accessKey: null,
  accountId: null,
  apiKey: null,
  apiKeyId: null,
  caller: null,
  clientCert: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  sourceIp,
  user: null,
  userAgent,
  userArn: null,
});

const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

/** Reads the whole body, refusing to buffer more than `limit` bytes. */
const readBody = (req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(new RequestTooLargeError(`request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });

/** `headersDistinct` keeps a repeated header's values apart, as `multiValueHeaders` does. */
const headerMaps = (headers: NodeJS.Dict<string[]>) => {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(headers)) {
    if (!list) continue;
    multi[name] = list;
    // API Gateway's `headers` keeps the last value of a repeated header.
    const last = list[list.length - 1];
    if (last !== undefined) single[name] = last;
  }
  return { single, multi };
};

const queryMaps = (url: URL) => {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    multi[name] ??= [];
    multi[name].push(value);
  }
  const any = Object.keys(single).length > 0;
  return { single: any ? single : null, multi: any ? multi : null };
};

interface ProxyEventOptions {
  /** The API Gateway resource the route stands for, e.g. `/webhook`. */
  readonly resource: string;
  readonly stage?: string;
}

/** The REST proxy event for one request whose body has been read in full. */
const toRestProxyEvent = (
  req: IncomingMessage,
  body: Buffer,
  url: URL,
  options: ProxyEventOptions,
): APIGatewayProxyEvent => {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = headerMaps(req.headersDistinct);
  const query = queryMaps(url);
  const binary = body.length > 0 && !isUtf8(body);
  const now = Date.now();
  return {
    resource: options.resource,
    path: url.pathname,
    httpMethod: method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: null,
    stageVariables: null,
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: anonymousIdentity(
        req.socket.remoteAddress ?? '127.0.0.1',
        req.headers['user-agent'] ?? null,
      ),
      path: `/${options.stage ?? 'local'}${url.pathname}`,
      stage: options.stage ?? 'local',
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: options.resource,
    },
  };
};

/** Writes a proxy integration result the way API Gateway turns it into an HTTP response. */
const writeProxyResult = (res: ServerResponse, result: APIGatewayProxyResult): void => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name] = values.map(String);
  }
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
};

export type { ProxyEventOptions };
export {
  anonymousIdentity,
  MAX_REQUEST_BYTES,
  RequestTooLargeError,
  readBody,
  toRestProxyEvent,
  writeProxyResult,
};
