/**
 * A local stand-in for the Graph API comment-moderation calls, on 127.0.0.1, following Meta's
 * documented behaviour: `POST /{version}/{comment-id}?hide=true`, `POST ...?hide=false` (unhide)
 * and `DELETE /{version}/{comment-id}` answer `{"success":true}`; errors are
 * `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`; every response can carry
 * `X-Business-Use-Case-Usage`; a deleted or unknown comment answers "does not exist" (code 100,
 * subcode 33); a wrong token answers 190. Any other request is refused with code 100, and every
 * request is recorded, so a test can assert that the stage never tried to create content.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Hold the answer this long (to exercise client timeouts). */
  readonly delayMs?: number;
}

interface Usage {
  readonly callCount: number;
  readonly totalTime?: number;
  readonly totalCputime?: number;
  readonly regainMinutes?: number;
}

const VERSION = 'v25.0';
const BUSINESS_ID = '17841400000000000';

/** Documented error bodies: code → (HTTP status, type, message). */
const ERRORS: Record<number, { status: number; type: string; message: string; transient?: true }> =
  {
    1: {
      status: 500,
      type: 'OAuthException',
      message: 'An unknown error has occurred.',
      transient: true,
    },
    2: {
      status: 503,
      type: 'OAuthException',
      message: 'An unexpected error has occurred. Please retry your request later.',
      transient: true,
    },
    4: {
      status: 400,
      type: 'OAuthException',
      message: '(#4) Application request limit reached',
      transient: true,
    },
    17: {
      status: 400,
      type: 'OAuthException',
      message: '(#17) User request limit reached',
      transient: true,
    },
    32: {
      status: 400,
      type: 'OAuthException',
      message: '(#32) Page request limit reached',
      transient: true,
    },
    613: {
      status: 400,
      type: 'OAuthException',
      message: '(#613) Calls to this api have exceeded the rate limit.',
      transient: true,
    },
    80002: {
      status: 400,
      type: 'OAuthException',
      message:
        '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.',
      transient: true,
    },
    10: {
      status: 403,
      type: 'OAuthException',
      message: '(#10) Application does not have permission for this action',
    },
    100: { status: 400, type: 'OAuthException', message: '(#100) Invalid parameter' },
    190: {
      status: 400,
      type: 'OAuthException',
      message: 'Error validating access token: Session has expired.',
    },
    200: {
      status: 403,
      type: 'OAuthException',
      message: '(#200) Requires instagram_manage_comments permission',
    },
  };

let trace = 0;
const fbtraceId = (): string => `AFakeTrace${(trace++).toString(36)}`;

/** A documented Graph error reply for `code`. */
const graphError = (
  code: number,
  options: { subcode?: number; message?: string; status?: number } = {},
): Reply => {
  const known = ERRORS[code] ?? { status: 400, type: 'OAuthException', message: `(#${code})` };
  return {
    status: options.status ?? known.status,
    body: {
      error: {
        message: options.message ?? known.message,
        type: known.type,
        code,
        ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
        ...(known.transient ? { is_transient: true } : {}),
        fbtrace_id: fbtraceId(),
      },
    },
  };
};

const doesNotExist = (commentId: string, verb: 'delete' | 'post'): Reply =>
  graphError(100, {
    subcode: 33,
    message:
      `Unsupported ${verb} request. Object with ID '${commentId}' does not exist, cannot be loaded ` +
      'due to missing permissions, or does not support this operation. Please read the Graph API ' +
      'documentation at https://developers.facebook.com/docs/graph-api',
  });

const SUCCESS: Reply = { status: 200, body: { success: true } };

const usageHeader = (usage: Usage): string =>
  JSON.stringify({
    [BUSINESS_ID]: [
      {
        type: 'instagram',
        call_count: usage.callCount,
        total_cputime: usage.totalCputime ?? 0,
        total_time: usage.totalTime ?? 0,
        estimated_time_to_regain_access: usage.regainMinutes ?? 0,
      },
    ],
  });

interface FakeGraphApi {
  /** `http://127.0.0.1:<port>`: pass as `GRAPH_API_BASE_URL`. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Every request since start; `reset` does not clear it. */
  readonly history: readonly RecordedRequest[];
  /** Comments hidden (and not unhidden since) and deleted so far (the server's state). */
  readonly hidden: ReadonlySet<string>;
  readonly deleted: ReadonlySet<string>;
  /** Replies for the next requests, in order, before the documented default behaviour. */
  enqueue(...replies: Reply[]): void;
  /** Replies for the next requests on one comment, in order. */
  script(commentId: string, ...replies: Reply[]): void;
  /** Answer every request with this until cleared (undefined). */
  always(reply: Reply | undefined): void;
  /** Usage sent in `X-Business-Use-Case-Usage` on every response (undefined: no header). */
  setUsage(usage: Usage | undefined): void;
  /** Mark comments as never having existed (or as removed by their author). */
  forget(...commentIds: string[]): void;
  /** The only token accepted; others answer 190. */
  setToken(token: string): void;
  /** Mutating requests seen for one comment. */
  callsFor(commentId: string): number;
  reset(): void;
  stop(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

type ModerationKind = 'hide' | 'unhide' | 'delete';

/**
 * Which moderation call a request is, ignoring its path; undefined for anything else. A body or
 * any other parameter (`message`, a second `hide`) makes it something else.
 */
const moderationKind = (r: RecordedRequest): ModerationKind | undefined => {
  if (r.body !== '') return undefined;
  const keys = Object.keys(r.query);
  if (r.method === 'DELETE') return keys.length === 0 ? 'delete' : undefined;
  if (r.method !== 'POST' || keys.length !== 1) return undefined;
  if (r.query.hide === 'true') return 'hide';
  if (r.query.hide === 'false') return 'unhide';
  return undefined;
};

/** True when a request is one of the three moderation calls on a comment id and nothing else. */
const isModerationRequest = (r: RecordedRequest): boolean =>
  new RegExp(`^/${VERSION.replace('.', '\\.')}/\\d+$`).test(r.path) &&
  moderationKind(r) !== undefined;

const startFakeGraphApi = async (options: { token?: string } = {}): Promise<FakeGraphApi> => {
  const requests: RecordedRequest[] = [];
  const history: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const scripts = new Map<string, Reply[]>();
  const hidden = new Set<string>();
  const deleted = new Set<string>();
  const forgotten = new Set<string>();
  let fixed: Reply | undefined;
  let usage: Usage | undefined;
  let token = options.token ?? 'fake-page-token';

  const defaultReply = (req: RecordedRequest, commentId: string | undefined): Reply => {
    if (req.authorization !== `Bearer ${token}`) return graphError(190, { subcode: 463 });
    const kind = moderationKind(req);
    if (!commentId || kind === undefined) {
      return graphError(100, { message: `Unsupported ${req.method.toLowerCase()} request.` });
    }
    if (deleted.has(commentId) || forgotten.has(commentId)) {
      return doesNotExist(commentId, kind === 'delete' ? 'delete' : 'post');
    }
    if (kind === 'hide') hidden.add(commentId);
    else if (kind === 'unhide') hidden.delete(commentId);
    else deleted.add(commentId);
    return SUCCESS;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: await readBody(req),
    };
    requests.push(recorded);
    history.push(recorded);
    const match = new RegExp(`^/${VERSION.replace('.', '\\.')}/(\\d+)$`).exec(url.pathname);
    const commentId = match?.[1];
    const scripted = commentId ? scripts.get(commentId)?.shift() : undefined;
    const reply = scripted ?? queue.shift() ?? fixed ?? defaultReply(recorded, commentId);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=UTF-8',
      ...(usage ? { 'x-business-use-case-usage': usageHeader(usage) } : {}),
      ...(reply.headers ?? {}),
    });
    res.end(JSON.stringify(reply.body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    history,
    hidden,
    deleted,
    enqueue: (...replies) => queue.push(...replies),
    script: (commentId, ...replies) => {
      scripts.set(commentId, [...(scripts.get(commentId) ?? []), ...replies]);
    },
    always: (reply) => {
      fixed = reply;
    },
    setUsage: (u) => {
      usage = u;
    },
    forget: (...ids) => {
      for (const id of ids) forgotten.add(id);
    },
    setToken: (t) => {
      token = t;
    },
    callsFor: (commentId) => requests.filter((r) => r.path === `/${VERSION}/${commentId}`).length,
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      scripts.clear();
      hidden.clear();
      deleted.clear();
      forgotten.clear();
      fixed = undefined;
      usage = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** The request shapes of the three moderation calls, as `${method} ${JSON.stringify(query)}`. */
const MODERATION_SHAPES = ['DELETE {}', 'POST {"hide":"false"}', 'POST {"hide":"true"}'] as const;

export type { FakeGraphApi, RecordedRequest, Reply, Usage };
export {
  doesNotExist,
  graphError,
  isModerationRequest,
  MODERATION_SHAPES,
  SUCCESS,
  startFakeGraphApi,
  usageHeader,
  VERSION,
};
