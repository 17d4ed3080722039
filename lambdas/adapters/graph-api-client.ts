/**
 * Graph API client for comment moderation. It has exactly three mutating methods, hide, unhide
 * (staff restoring a comment the stage hid) and delete; there is deliberately no method that
 * creates content or replies (policy article 5(2)).
 */

import { ENV } from '../../lib/resources';
import type { GraphFailure } from '../core/act/graph-errors';
import type { GraphCallResult, ModerationPort } from '../core/act/ports';
import { readUsageHeaders, type UsageReading } from '../core/act/usage';
import { ConfigurationError, type Env, optionalEnv } from './env';

/** Pinned: Meta changes behaviour between versions; moving it is a deliberate, tested change. */
const GRAPH_API_VERSION = 'v25.0';

/**
 * Meta serves the same comment calls on two hosts, one per login product: a token from Business
 * Login for Instagram works only on graph.instagram.com, one from Facebook Login for Business only
 * on graph.facebook.com (IG Comment reference, "Host URL"). The login type is configuration.
 */
const GRAPH_LOGIN_TYPES = ['instagram', 'facebook'] as const;
type GraphLoginType = (typeof GRAPH_LOGIN_TYPES)[number];
const GRAPH_HOSTS: Readonly<Record<GraphLoginType, string>> = {
  instagram: 'https://graph.instagram.com',
  facebook: 'https://graph.facebook.com',
};
const DEFAULT_GRAPH_API_BASE_URL = GRAPH_HOSTS.facebook;

const MAX_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE_CHARS = 300;
const COMMENT_ID = /^\d{1,32}$/;

interface GraphApiClientOptions {
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Thrown for a comment id that is not a Graph id: it must never reach a URL. */
class InvalidCommentIdError extends Error {
  constructor() {
    super('comment id is not a Graph id');
    this.name = 'InvalidCommentIdError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https only, except loopback (the local fake); no path, query or credentials in the base. */
const parseBaseUrl = (raw: string): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError('GRAPH_API_BASE_URL is not a URL');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigurationError('GRAPH_API_BASE_URL must use https');
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname && url.pathname !== '/')
  ) {
    throw new ConfigurationError('GRAPH_API_BASE_URL must be an origin');
  }
  return url;
};

/** The JSON body, or undefined when it is not JSON or longer than `maxChars` (untrusted input). */
const readBody = async (response: Response, maxChars = MAX_BODY_BYTES): Promise<unknown> => {
  const text = await response.text();
  if (text.length > maxChars) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const numberField = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) ? value : undefined;
const stringField = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' ? value.slice(0, max) : undefined;

/** `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`, read defensively. */
const toFailure = (httpStatus: number, body: unknown): GraphFailure => {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: unknown }).error
      : undefined;
  const e = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = numberField(e.code);
  const subcode = numberField(e.error_subcode);
  const type = stringField(e.type, 64);
  const fbtraceId = stringField(e.fbtrace_id, 64);
  const message = stringField(e.message, MAX_MESSAGE_CHARS);
  return {
    kind: 'graph',
    httpStatus,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(fbtraceId !== undefined ? { fbtraceId } : {}),
    ...(message !== undefined ? { message } : {}),
  };
};

const isSuccessBody = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (body as { success?: unknown }).success === true;

/** What one HTTP exchange with the Graph API gave: an answer to read, or a failure already. */
type GraphExchange =
  | {
      readonly answered: true;
      readonly response: Response;
      readonly body: unknown;
      readonly usage?: UsageReading;
    }
  | {
      readonly answered: false;
      readonly result: {
        readonly ok: false;
        readonly failure: GraphFailure;
        readonly usage?: UsageReading;
      };
    };

/**
 * Sends one request with a timeout and no redirects, and reads the usage headers and the JSON body
 * (up to `maxBodyChars`). A connection or time-out failure, or a body that could not be read, comes
 * back as a network failure; anything Meta answered comes back for the caller to interpret.
 */
const exchangeWithGraph = async (
  fetchImpl: typeof fetch,
  url: URL,
  request: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly timeoutMs: number;
    readonly maxBodyChars?: number;
  },
): Promise<GraphExchange> => {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: request.method,
      headers: { accept: 'application/json', ...request.headers },
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      answered: false,
      result: {
        ok: false,
        failure: { kind: 'network', reason: timedOut ? 'timeout' : 'connection' },
      },
    };
  }
  const usage = readUsageHeaders((name) => response.headers.get(name));
  const withUsage = usage ? { usage } : {};
  try {
    const body = await readBody(response, request.maxBodyChars);
    return { answered: true, response, body, ...withUsage };
  } catch {
    return {
      answered: false,
      result: { ok: false, failure: { kind: 'network', reason: 'connection' }, ...withUsage },
    };
  }
};

class GraphApiClient {
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: GraphApiClientOptions = {}) {
    this.#base = parseBaseUrl(options.baseUrl ?? DEFAULT_GRAPH_API_BASE_URL);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** `POST /{version}/{comment-id}?hide=true`. Idempotent at Meta. */
  hideComment(commentId: string, accessToken: string): Promise<GraphCallResult> {
    return this.#send('POST', commentId, accessToken, { hide: 'true' });
  }

  /** `POST /{version}/{comment-id}?hide=false`: restores visibility. Idempotent at Meta. */
  unhideComment(commentId: string, accessToken: string): Promise<GraphCallResult> {
    return this.#send('POST', commentId, accessToken, { hide: 'false' });
  }

  /** `DELETE /{version}/{comment-id}`. Repeating it answers "does not exist" (code 100/33). */
  deleteComment(commentId: string, accessToken: string): Promise<GraphCallResult> {
    return this.#send('DELETE', commentId, accessToken, {});
  }

  async #send(
    method: 'POST' | 'DELETE',
    commentId: string,
    accessToken: string,
    query: Record<string, string>,
  ): Promise<GraphCallResult> {
    if (!COMMENT_ID.test(commentId)) throw new InvalidCommentIdError();
    const url = new URL(`/${GRAPH_API_VERSION}/${commentId}`, this.#base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const answer = await exchangeWithGraph(this.#fetch, url, {
      method,
      // The token goes in a header, never in the URL, so it cannot end up in access logs.
      headers: { authorization: `Bearer ${accessToken}` },
      timeoutMs: this.#timeoutMs,
    });
    if (!answer.answered) return answer.result;
    const { response, body, usage } = answer;
    if (response.ok && isSuccessBody(body)) return { ok: true, ...(usage ? { usage } : {}) };
    return { ok: false, failure: toFailure(response.status, body), ...(usage ? { usage } : {}) };
  }
}

/** A source of the page access token; `invalidate` after Meta rejects it (code 190). */
interface AccessTokenSource {
  get(): Promise<string>;
  invalidate(): void;
}

/**
 * Runs one call with the current token. A token error (190) is not retried (it is permanent for
 * this call), but the cached token is dropped so the next call reads the secret again and picks up
 * a rotated or refreshed token.
 */
const callWithToken = async <R extends { ok: boolean; failure?: GraphFailure }>(
  tokens: AccessTokenSource,
  call: (token: string) => Promise<R>,
): Promise<R> => {
  const result = await call(await tokens.get());
  if (!result.ok && result.failure?.kind === 'graph' && result.failure.code === 190) {
    tokens.invalidate();
  }
  return result;
};

/** The moderation port: the client plus the token, refreshed after a token error. */
const createModerationPort = (
  client: GraphApiClient,
  tokens: AccessTokenSource,
): ModerationPort => ({
  hide: (commentId) => callWithToken(tokens, (token) => client.hideComment(commentId, token)),
  unhide: (commentId) => callWithToken(tokens, (token) => client.unhideComment(commentId, token)),
  delete: (commentId) => callWithToken(tokens, (token) => client.deleteComment(commentId, token)),
});

/** `GRAPH_LOGIN_TYPE` as a login type, when set; anything but a known type is an error. */
const graphLoginTypeFromEnv = (env: Env): GraphLoginType | undefined => {
  const loginType = optionalEnv(env, ENV.graphLoginType);
  if (loginType === undefined) return undefined;
  if (!(GRAPH_LOGIN_TYPES as readonly string[]).includes(loginType)) {
    throw new ConfigurationError(
      `${ENV.graphLoginType} must be one of ${GRAPH_LOGIN_TYPES.join(', ')}, got "${loginType}"`,
    );
  }
  return loginType as GraphLoginType;
};

/**
 * The Graph origin from configuration: `GRAPH_API_BASE_URL` when set (the local fake, tests),
 * otherwise the host of `GRAPH_LOGIN_TYPE`. Undefined when neither is set: callers that need Meta
 * fail fast, never fall back silently to the other login's host.
 */
const graphBaseUrlFromEnv = (env: Env): string | undefined => {
  const explicit = optionalEnv(env, ENV.graphApiBaseUrl);
  if (explicit) return explicit;
  const loginType = graphLoginTypeFromEnv(env);
  return loginType === undefined ? undefined : GRAPH_HOSTS[loginType];
};

export type { AccessTokenSource, GraphApiClientOptions, GraphLoginType };
export {
  COMMENT_ID,
  callWithToken,
  createModerationPort,
  DEFAULT_GRAPH_API_BASE_URL,
  exchangeWithGraph,
  GRAPH_API_VERSION,
  GRAPH_HOSTS,
  GRAPH_LOGIN_TYPES,
  GraphApiClient,
  graphBaseUrlFromEnv,
  graphLoginTypeFromEnv,
  InvalidCommentIdError,
  parseBaseUrl,
  toFailure,
};
