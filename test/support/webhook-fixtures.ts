import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CommentField, CommentMessage } from '../../lambdas/core/contracts/comment-message';
import { anonymousIdentity } from '../../local/runtime/api-gateway';

/**
 * Builders for Meta webhook deliveries, written from Meta's documented payloads and independent of
 * the parser under test: tests, the local runtime and the benchmarks use them to produce signed
 * requests, and `expectedMessages` says what the webhook must enqueue for them.
 */

// ---------------------------------------------------------------------------------------------
// Signing

/** The `X-Hub-Signature-256` value Meta sends: HMAC-SHA256 of the exact body bytes. */
const signBody = (body: string | Uint8Array, secret: string): string =>
  `sha256=${createHmac('sha256', secret)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex')}`;

/** The legacy `X-Hub-Signature` (SHA-1) value, which the webhook must not accept on its own. */
const signBodySha1 = (body: string | Uint8Array, secret: string): string =>
  `sha1=${createHmac('sha1', secret)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex')}`;

// ---------------------------------------------------------------------------------------------
// Payloads

interface ChangeSpec {
  readonly field: CommentField;
  readonly commentId: string;
  /** Where the comment id travels: `value.id` or `value.comment_id`. */
  readonly idKey?: 'id' | 'comment_id';
  readonly mediaId?: string;
  /** comments / live_comments only. */
  readonly mediaProductType?: string;
  readonly parentId?: string;
  readonly text?: string;
  readonly from?: { readonly id: string; readonly username?: string };
}

interface EntrySpec {
  readonly accountId: string;
  /** `entry[].time`, epoch seconds. */
  readonly time: number;
  /** `changes`: `entry.changes[]`; `entry`: the single change sits on the entry itself. */
  readonly style?: 'changes' | 'entry';
  readonly changes: readonly ChangeSpec[];
}

interface DeliverySpec {
  readonly entries: readonly EntrySpec[];
  /** Wrap the body in a top-level array (split over several delivery objects when > 1). */
  readonly wrap?: boolean | number;
}

/** The `value` object Meta sends for one change. */
const changeValue = (change: ChangeSpec): Record<string, unknown> => {
  if (change.field === 'mentions') {
    return {
      ...(change.mediaId === undefined ? {} : { media_id: change.mediaId }),
      [change.idKey ?? 'comment_id']: change.commentId,
    };
  }
  const value: Record<string, unknown> = {};
  if (change.from) value.from = { ...change.from };
  if (change.mediaId !== undefined || change.mediaProductType !== undefined) {
    value.media = {
      ...(change.mediaId === undefined ? {} : { id: change.mediaId }),
      ...(change.mediaProductType === undefined
        ? {}
        : { media_product_type: change.mediaProductType }),
    };
  }
  value[change.idKey ?? 'id'] = change.commentId;
  if (change.parentId !== undefined) value.parent_id = change.parentId;
  if (change.text !== undefined) value.text = change.text;
  return value;
};

/** Entry-level style only carries one change; several become several entries. */
const entryObjects = (entry: EntrySpec): Record<string, unknown>[] => {
  if (entry.style === 'entry') {
    return entry.changes.map((change) => ({
      id: entry.accountId,
      time: entry.time,
      field: change.field,
      value: changeValue(change),
    }));
  }
  return [
    {
      id: entry.accountId,
      time: entry.time,
      changes: entry.changes.map((change) => ({
        field: change.field,
        value: changeValue(change),
      })),
    },
  ];
};

/** The parsed JSON value of a delivery. */
const deliveryObject = (spec: DeliverySpec): unknown => {
  const entries = spec.entries.flatMap(entryObjects);
  if (!spec.wrap) return { object: 'instagram', entry: entries };
  const parts = typeof spec.wrap === 'number' ? Math.max(1, spec.wrap) : 1;
  const size = Math.ceil(entries.length / parts) || 1;
  const chunks: unknown[] = [];
  for (let i = 0; i < Math.max(entries.length, 1); i += size) {
    chunks.push({ object: 'instagram', entry: entries.slice(i, i + size) });
  }
  return chunks;
};

/**
 * JSON the way Meta serialises it: every non-ASCII character as `\uXXXX` and `/` as `\/`. The bytes
 * differ from `JSON.stringify` whenever the text holds Japanese, which is what makes verifying over
 * re-serialised JSON fail.
 */
const metaJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

/** The body bytes (as a string of ASCII) Meta would send for `spec`. */
const deliveryBody = (spec: DeliverySpec): string => metaJson(deliveryObject(spec));

/** Adds an unknown field change (ignored by the webhook) to the first entry. */
const withUnknownChange = (body: unknown, field = 'story_insights'): unknown => {
  const roots = Array.isArray(body) ? body : [body];
  const first = roots[0] as { entry: Record<string, unknown>[] } | undefined;
  first?.entry.push({
    id: '17841400000000001',
    time: 1_764_150_000,
    changes: [{ field, value: {} }],
  });
  return body;
};

/** What the webhook must put on the queue for `spec`, in delivery order. */
const expectedMessages = (spec: DeliverySpec, receivedAt: Date): CommentMessage[] =>
  spec.entries.flatMap((entry) =>
    entry.changes.map((change): CommentMessage => {
      const message: CommentMessage = {
        accountId: entry.accountId,
        field: change.field,
        commentId: change.commentId,
        receivedAt: receivedAt.toISOString(),
        deliveryTime: new Date(entry.time * 1000).toISOString(),
      };
      if (change.mediaId !== undefined) message.mediaId = change.mediaId;
      if (change.field !== 'mentions') {
        if (change.mediaProductType !== undefined) {
          message.mediaProductType = change.mediaProductType;
        }
        if (change.parentId !== undefined) message.parentId = change.parentId;
        if (change.text !== undefined) message.text = change.text;
        if (change.from) message.from = { ...change.from };
      }
      return message;
    }),
  );

let sequence = 0;
/** A unique 17-digit Graph id per call within a process. */
const nextGraphId = (prefix = '18'): string => `${prefix}${String(++sequence).padStart(15, '0')}`;

/** A plain comment change with Japanese text; override any part. */
const commentChange = (overrides: Partial<ChangeSpec> = {}): ChangeSpec => ({
  field: 'comments',
  commentId: nextGraphId(),
  mediaId: '18000000000000001',
  mediaProductType: 'FEED',
  text: '留萌の夕日、今日もきれいでした',
  from: { id: '1234567890', username: 'rumoi_taro' },
  ...overrides,
});

/** A delivery of `count` comment changes on one account. */
const commentBatch = (count: number, time = 1_764_150_000): DeliverySpec => ({
  entries: [
    {
      accountId: '17841400000000001',
      time,
      changes: Array.from({ length: count }, () => commentChange()),
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// API Gateway events

const REQUEST_TIME = 1_764_150_000_000;

interface PostOptions {
  /** Headers as a REST API event's `headers` (last value wins). */
  readonly headers?: Record<string, string>;
  /** Repeated headers, as a REST API event's `multiValueHeaders`. */
  readonly multiValueHeaders?: Record<string, string[]>;
  readonly isBase64Encoded?: boolean;
  readonly method?: string;
  readonly query?: Record<string, string>;
}

/** A REST API (v1) proxy event. `body` bytes are sent base64-encoded when asked. */
const restEvent = (
  body: string | Uint8Array | null,
  options: PostOptions = {},
): APIGatewayProxyEvent => {
  const method = options.method ?? 'POST';
  const headers = options.headers ?? {};
  const encoded = body === null ? null : Buffer.from(body);
  return {
    body:
      encoded === null
        ? null
        : options.isBase64Encoded
          ? encoded.toString('base64')
          : encoded.toString('utf8'),
    headers,
    multiValueHeaders:
      options.multiValueHeaders ??
      Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    httpMethod: method,
    isBase64Encoded: options.isBase64Encoded ?? false,
    path: '/webhook',
    pathParameters: null,
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]]))
      : null,
    stageVariables: null,
    resource: '/webhook',
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: anonymousIdentity('127.0.0.1', 'facebookexternalua'),
      path: '/prod/webhook',
      stage: 'prod',
      requestId: `req-${++sequence}`,
      requestTimeEpoch: REQUEST_TIME,
      resourceId: 'local',
      resourcePath: '/webhook',
    },
  };
};

/** An HTTP API (v2) proxy event: lower-case headers, repeated ones joined with commas. */
const httpApiEvent = (
  body: string | Uint8Array | null,
  options: PostOptions = {},
): APIGatewayProxyEventV2 => {
  const method = options.method ?? 'POST';
  const encoded = body === null ? undefined : Buffer.from(body);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(options.multiValueHeaders ?? {})) {
    headers[k.toLowerCase()] = v.join(',');
  }
  return {
    version: '2.0',
    routeKey: `${method} /webhook`,
    rawPath: '/webhook',
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(encoded === undefined
      ? {}
      : { body: options.isBase64Encoded ? encoded.toString('base64') : encoded.toString('utf8') }),
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: '/webhook',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'facebookexternalua',
      },
      requestId: `req-${++sequence}`,
      routeKey: `${method} /webhook`,
      stage: '$default',
      time: '26/Nov/2026:09:00:00 +0000',
      timeEpoch: REQUEST_TIME,
    },
  };
};

interface SignedOptions {
  readonly version?: 1 | 2;
  readonly isBase64Encoded?: boolean;
  /** Header name as sent; the webhook must match it case-insensitively. */
  readonly headerName?: string;
}

/** A POST event for `body` signed with `secret`, as Meta would send it. */
const signedPost = (
  body: string | Uint8Array,
  secret: string,
  options: SignedOptions = {},
): APIGatewayProxyEvent | APIGatewayProxyEventV2 => {
  const headers = {
    'Content-Type': 'application/json',
    [options.headerName ?? 'X-Hub-Signature-256']: signBody(body, secret),
  };
  const post = { headers, isBase64Encoded: options.isBase64Encoded ?? false };
  return options.version === 2 ? httpApiEvent(body, post) : restEvent(body, post);
};

/** The subscription handshake GET. */
const handshakeEvent = (
  query: Record<string, string> | null,
  version: 1 | 2 = 1,
): APIGatewayProxyEvent | APIGatewayProxyEventV2 => {
  const options = { method: 'GET', ...(query ? { query } : {}) };
  return version === 2 ? httpApiEvent(null, options) : restEvent(null, options);
};

/** What every refused signature or verify token gets: the project's error shape, no reason given. */
const FORBIDDEN_BODY = JSON.stringify({ error: 'forbidden', message: 'The request was refused.' });

export type { ChangeSpec, DeliverySpec, EntrySpec, PostOptions, SignedOptions };
export {
  changeValue,
  commentBatch,
  commentChange,
  deliveryBody,
  deliveryObject,
  expectedMessages,
  FORBIDDEN_BODY,
  handshakeEvent,
  httpApiEvent,
  metaJson,
  nextGraphId,
  restEvent,
  signBody,
  signBodySha1,
  signedPost,
  withUnknownChange,
};
