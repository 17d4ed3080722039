/**
 * A local stand-in for the Graph API, on 127.0.0.1, following Meta's documented behaviour.
 *
 * Moderation: `POST /{version}/{comment-id}?hide=true`, `POST ...?hide=false` (unhide) and
 * `DELETE /{version}/{comment-id}` answer `{"success":true}`; a deleted or unknown comment answers
 * "does not exist" (code 100, subcode 33).
 *
 * Reads (what the sweep needs), from a small world of media and comments the test builds:
 * `GET /{version}/me?fields=user_id,username` (Instagram Login's `/me`),
 * `GET /{version}/{ig-user-id|me}/media`, `GET /{version}/{media-id}/comments` (top-level comments,
 * `replies{...}` expanded on request), `GET /{version}/{comment-id}/replies`,
 * `GET /{version}/{comment-id}?fields=...` and, for comments found through mentions (which the
 * comment node refuses), `GET /{version}/{ig-user-id}?fields=mentioned_comment.comment_id(ID){...}`.
 * Edges page with cursors as documented ("Paginated Results"): `data`, `paging.cursors.before/after`,
 * `paging.next` only when there is more; `limit` and `after` are honoured and a bad cursor is an
 * error. Only the requested `fields` are returned (the comments edge defaults to id, text, timestamp).
 *
 * Tokens: `Authorization: Bearer` or `access_token`; an unknown or expired token answers 190
 * (subcode 463). `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=...` refreshes a
 * long-lived token "at least 24 hours old but not expired", answering `{access_token, token_type,
 * expires_in}` with 60 days, by the fake's clock.
 *
 * Errors are `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`. Rate limits: every
 * response can carry `X-Business-Use-Case-Usage`, fixed (`setUsage`) or counted against a call
 * budget (`setCallBudget`), past which every call answers 80002 with an
 * `estimated_time_to_regain_access`. Every request is recorded, so a test can assert that nothing
 * ever tried to create content.
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

interface FakeMedia {
  readonly id: string;
  /** ISO instant the media was published. */
  readonly timestamp: string;
  readonly mediaProductType?: string;
}

interface FakeComment {
  readonly id: string;
  readonly mediaId: string;
  readonly text: string;
  /** ISO instant the comment was made. */
  readonly timestamp: string;
  readonly from?: { readonly id: string; readonly username?: string };
  /** Set on replies: the top-level comment replied to. */
  readonly parentId?: string;
}

/** A token the fake accepts, by its clock (epoch ms). */
interface TokenLife {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

const VERSION = 'v25.0';
const BUSINESS_ID = '17841400000000000';
/** Meta's documented lifetimes: refreshable after 24 hours, valid for 60 days after a refresh. */
const REFRESH_MIN_AGE_MS = 24 * 3600_000;
const LONG_LIVED_SECONDS = 60 * 86_400;
const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

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
  /** Replies for the next requests whose path matches, in order (an edge: `/comments$`). */
  scriptPath(path: RegExp, ...replies: Reply[]): void;
  /** Answer every request with this until cleared (undefined). */
  always(reply: Reply | undefined): void;
  /** Usage sent in `X-Business-Use-Case-Usage` on every response (undefined: no header). */
  setUsage(usage: Usage | undefined): void;
  /** Mark comments as never having existed (or as removed by their author). */
  forget(...commentIds: string[]): void;
  /** The only token accepted from now on (never expires, refreshable); others answer 190. */
  setToken(token: string): void;
  /** Accept one more token with the given life (by the fake's clock). */
  issueToken(token: string, life: TokenLife): void;
  /** The life of a token the fake accepts, if it does. */
  tokenLife(token: string): TokenLife | undefined;
  /** The fake's clock (epoch ms), for token ages and expiry; the wall clock by default. */
  setClock(now: () => number): void;
  /** The Instagram professional account `/me` stands for. */
  setAccount(id: string, username?: string): void;
  addMedia(...media: FakeMedia[]): void;
  /** Comments (replies carry `parentId`) on the account's media. */
  addComments(...comments: FakeComment[]): void;
  /** Comments on other accounts' media that mention the account: readable only as mentioned_comment. */
  addMentions(...comments: FakeComment[]): void;
  /** Removes comments as if their authors deleted them. */
  removeComments(...commentIds: string[]): void;
  /**
   * Counts every request against `budget` calls: usage is reported as a percentage of it, and past
   * it every call answers 80002 until `resetCalls`. Undefined turns counting off.
   */
  setCallBudget(budget: number | undefined, options?: { regainMinutes?: number }): void;
  resetCalls(): void;
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

/** `id,text,from{id,username},replies{id,text}` → names with optional sub-selections. */
interface FieldSelection {
  readonly name: string;
  readonly sub?: FieldSelection[];
}

const parseFields = (raw: string): FieldSelection[] => {
  const fields: FieldSelection[] = [];
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const trimmed = part.trim();
    if (trimmed === '') return;
    const brace = trimmed.indexOf('{');
    if (brace < 0) fields.push({ name: trimmed });
    else
      fields.push({
        name: trimmed.slice(0, brace),
        sub: parseFields(trimmed.slice(brace + 1, -1)),
      });
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      push(raw.slice(start, i));
      start = i + 1;
    }
  }
  push(raw.slice(start));
  return fields;
};

const encodeCursor = (offset: number): string =>
  Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): number | undefined => {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
};

/** Meta writes instants as `2017-08-31T18:10:30+0000`. */
const graphTime = (iso: string): string => `${new Date(iso).toISOString().slice(0, 19)}+0000`;

/** True when a request is one of the three moderation calls on a comment id and nothing else. */
const isModerationRequest = (r: RecordedRequest): boolean =>
  new RegExp(`^/${VERSION.replace('.', '\\.')}/\\d+$`).test(r.path) &&
  moderationKind(r) !== undefined;

const startFakeGraphApi = async (options: { token?: string } = {}): Promise<FakeGraphApi> => {
  const requests: RecordedRequest[] = [];
  const history: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const scripts = new Map<string, Reply[]>();
  const pathScripts: { path: RegExp; replies: Reply[] }[] = [];
  const hidden = new Set<string>();
  const deleted = new Set<string>();
  const forgotten = new Set<string>();
  const tokens = new Map<string, TokenLife>();
  const media = new Map<string, FakeMedia>();
  const comments = new Map<string, FakeComment>();
  const mentions = new Map<string, FakeComment>();
  let account = { id: BUSINESS_ID, username: 'rumoi_city_official' };
  let fixed: Reply | undefined;
  let usage: Usage | undefined;
  let budget: { calls: number; regainMinutes: number } | undefined;
  let calls = 0;
  let refreshes = 0;
  let clock: () => number = Date.now;
  const forever: TokenLife = { issuedAt: Number.NEGATIVE_INFINITY, expiresAt: Infinity };
  tokens.set(options.token ?? 'fake-page-token', forever);

  const tokenOf = (req: RecordedRequest): string | undefined => {
    const header = req.authorization?.match(/^Bearer (.+)$/)?.[1];
    return header ?? req.query.access_token;
  };
  const validToken = (token: string | undefined): boolean => {
    const life = token === undefined ? undefined : tokens.get(token);
    return life !== undefined && clock() < life.expiresAt;
  };
  const invalidToken = (): Reply => graphError(190, { subcode: 463 });

  const exists = (id: string): boolean => !deleted.has(id) && !forgotten.has(id);
  const liveComments = (): FakeComment[] =>
    [...comments.values()].filter((c) => exists(c.id) && exists(c.parentId ?? c.id));
  const newestFirst = <T extends { timestamp: string; id: string }>(a: T, b: T): number =>
    b.timestamp.localeCompare(a.timestamp) || b.id.localeCompare(a.id);

  /** One page of an edge: `limit` and `after` as documented, `next` only when more remain. */
  const page = <T>(
    req: RecordedRequest,
    items: readonly T[],
    render: (item: T) => Record<string, unknown>,
    query: Readonly<Record<string, string>> = req.query,
  ): Reply => {
    const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      return graphError(100, { message: '(#100) The parameter limit must be a positive integer' });
    }
    const size = Math.min(limit, MAX_PAGE);
    const offset = query.after === undefined ? 0 : decodeCursor(query.after);
    if (offset === undefined || offset > items.length) {
      return graphError(100, { message: '(#100) Invalid cursor' });
    }
    const slice = items.slice(offset, offset + size);
    const more = offset + size < items.length;
    const paging: Record<string, unknown> = {
      cursors: { before: encodeCursor(offset), after: encodeCursor(offset + slice.length) },
    };
    if (more) {
      const next = new URL(`https://graph.instagram.com${req.path}`);
      for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
      next.searchParams.set('after', encodeCursor(offset + slice.length));
      paging.next = next.toString();
    }
    return { status: 200, body: { data: slice.map(render), paging } };
  };

  const renderComment = (c: FakeComment, fields: FieldSelection[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = c.id;
          break;
        case 'text':
          out.text = c.text;
          break;
        case 'timestamp':
          out.timestamp = graphTime(c.timestamp);
          break;
        case 'username':
          if (c.from?.username) out.username = c.from.username;
          break;
        case 'from':
          if (c.from) {
            out.from = { id: c.from.id, ...(c.from.username ? { username: c.from.username } : {}) };
          }
          break;
        case 'parent_id':
          if (c.parentId) out.parent_id = c.parentId;
          break;
        case 'hidden':
          out.hidden = hidden.has(c.id);
          break;
        case 'media': {
          const m = media.get(c.mediaId);
          out.media = {
            id: c.mediaId,
            ...(m?.mediaProductType && f.sub?.some((s) => s.name === 'media_product_type')
              ? { media_product_type: m.mediaProductType }
              : {}),
          };
          break;
        }
        case 'replies': {
          const replies = liveComments()
            .filter((r) => r.parentId === c.id)
            .sort(newestFirst);
          if (replies.length === 0) break;
          const sub = f.sub ?? [{ name: 'id' }];
          const reply = page(
            { ...EMPTY_REQUEST, path: `/${VERSION}/${c.id}/replies` },
            replies,
            (r) => renderComment(r, sub),
            {},
          );
          out.replies = reply.body;
          break;
        }
      }
    }
    return out;
  };

  const fieldsOf = (req: RecordedRequest, fallback: string): FieldSelection[] =>
    parseFields(req.query.fields ?? fallback);

  const renderMedia = (m: FakeMedia, fields: FieldSelection[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.name === 'id') out.id = m.id;
      else if (f.name === 'timestamp') out.timestamp = graphTime(m.timestamp);
      else if (f.name === 'media_product_type' && m.mediaProductType) {
        out.media_product_type = m.mediaProductType;
      } else if (f.name === 'comments_count') {
        out.comments_count = liveComments().filter((c) => c.mediaId === m.id).length;
      }
    }
    return out;
  };

  const MENTIONED = /^mentioned_comment\.comment_id\((\d+)\)(?:\{(.*)\})?$/;

  /** GET on a node or edge of the read world. */
  const read = (req: RecordedRequest, segments: readonly string[]): Reply => {
    const [node, edge, ...rest] = segments;
    if (node === undefined || rest.length > 0) return unsupported(req);
    const userId = node === 'me' ? account.id : node;
    if (edge === undefined && node === 'me') {
      const out: Record<string, unknown> = { id: `app-scoped-${account.id}` };
      for (const f of fieldsOf(req, 'id')) {
        if (f.name === 'user_id') out.user_id = account.id;
        if (f.name === 'username') out.username = account.username;
      }
      return { status: 200, body: out };
    }
    if (edge === undefined && userId === account.id) {
      const mention = MENTIONED.exec(req.query.fields ?? '');
      if (!mention) return { status: 200, body: { id: account.id } };
      const found = mentions.get(mention[1] ?? '');
      if (!found || !exists(found.id)) return doesNotExist(mention[1] ?? '', 'post');
      return {
        status: 200,
        body: {
          mentioned_comment: renderComment(found, parseFields(mention[2] ?? 'id,text,timestamp')),
          id: account.id,
        },
      };
    }
    if (edge === 'media' && userId === account.id) {
      const all = [...media.values()].sort(newestFirst);
      const fields = fieldsOf(req, 'id');
      return page(req, all, (m) => renderMedia(m, fields));
    }
    if (edge === 'comments' && media.has(node)) {
      const top = liveComments()
        .filter((c) => c.mediaId === node && c.parentId === undefined)
        .sort(newestFirst);
      const fields = fieldsOf(req, 'id,text,timestamp');
      return page(req, top, (c) => renderComment(c, fields));
    }
    const comment = comments.get(node);
    if (comment === undefined || !exists(node)) {
      // Comments found through mentions cannot be read on the comment node (IG Comment reference).
      return doesNotExist(node, 'post');
    }
    if (edge === 'replies') {
      const replies = liveComments()
        .filter((r) => r.parentId === node)
        .sort(newestFirst);
      const fields = fieldsOf(req, 'id,text,timestamp');
      return page(req, replies, (r) => renderComment(r, fields));
    }
    if (edge !== undefined) return unsupported(req);
    return { status: 200, body: renderComment(comment, fieldsOf(req, 'id,text,timestamp')) };
  };

  const refresh = (req: RecordedRequest): Reply => {
    const token = req.query.access_token;
    const life = token === undefined ? undefined : tokens.get(token);
    if (req.query.grant_type !== 'ig_refresh_token') {
      return graphError(100, { message: '(#100) grant_type must be ig_refresh_token' });
    }
    if (token === undefined || life === undefined || clock() >= life.expiresAt) {
      return invalidToken();
    }
    if (clock() - life.issuedAt < REFRESH_MIN_AGE_MS) {
      return graphError(100, {
        message: '(#100) The access token must be at least 24 hours old to be refreshed',
      });
    }
    const fresh = `${token.replace(/-r\d+$/, '')}-r${++refreshes}`;
    tokens.set(fresh, { issuedAt: clock(), expiresAt: clock() + LONG_LIVED_SECONDS * 1000 });
    return {
      status: 200,
      body: { access_token: fresh, token_type: 'bearer', expires_in: LONG_LIVED_SECONDS },
    };
  };

  const unsupported = (req: RecordedRequest): Reply =>
    graphError(100, { message: `Unsupported ${req.method.toLowerCase()} request.` });

  const moderate = (req: RecordedRequest, commentId: string | undefined): Reply => {
    const kind = moderationKind(req);
    if (!commentId || kind === undefined) return unsupported(req);
    if (!exists(commentId)) {
      return doesNotExist(commentId, kind === 'delete' ? 'delete' : 'post');
    }
    if (kind === 'hide') hidden.add(commentId);
    else if (kind === 'unhide') hidden.delete(commentId);
    else deleted.add(commentId);
    return SUCCESS;
  };

  const defaultReply = (req: RecordedRequest): Reply => {
    if (req.path === '/refresh_access_token' || req.path === `/${VERSION}/refresh_access_token`) {
      return req.method === 'GET' ? refresh(req) : unsupported(req);
    }
    if (!validToken(tokenOf(req))) return invalidToken();
    const match = new RegExp(`^/${VERSION.replace('.', '\\.')}/(.+)$`).exec(req.path);
    const segments = match?.[1]?.split('/') ?? [];
    if (req.method === 'GET') return read(req, segments);
    return moderate(
      req,
      segments.length === 1 && /^\d+$/.test(segments[0] ?? '') ? segments[0] : undefined,
    );
  };

  /** Counts the call against the budget; past it, the documented Instagram throttle. */
  const throttled = (): Reply | undefined => {
    if (!budget) return undefined;
    calls++;
    if (calls <= budget.calls) return undefined;
    return graphError(80002);
  };

  const usageNow = (): Usage | undefined => {
    if (!budget) return usage;
    const percent = Math.min(100, Math.floor((100 * calls) / budget.calls));
    return {
      callCount: percent,
      totalTime: Math.floor(percent / 2),
      totalCputime: Math.floor(percent / 3),
      regainMinutes: calls > budget.calls ? budget.regainMinutes : 0,
    };
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
    const scripted =
      (commentId ? scripts.get(commentId)?.shift() : undefined) ??
      pathScripts.find((p) => p.path.test(url.pathname) && p.replies.length > 0)?.replies.shift();
    const reply = scripted ?? queue.shift() ?? fixed ?? throttled() ?? defaultReply(recorded);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    const reported = usageNow();
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=UTF-8',
      ...(reported ? { 'x-business-use-case-usage': usageHeader(reported) } : {}),
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
    script: (id, ...replies) => {
      scripts.set(id, [...(scripts.get(id) ?? []), ...replies]);
    },
    scriptPath: (path, ...replies) => {
      pathScripts.push({ path, replies });
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
      tokens.clear();
      tokens.set(t, forever);
    },
    issueToken: (t, life) => {
      tokens.set(t, life);
    },
    tokenLife: (t) => tokens.get(t),
    setClock: (now) => {
      clock = now;
    },
    setAccount: (id, username) => {
      account = { id, username: username ?? account.username };
    },
    addMedia: (...items) => {
      for (const m of items) media.set(m.id, m);
    },
    addComments: (...items) => {
      for (const c of items) comments.set(c.id, c);
    },
    addMentions: (...items) => {
      for (const c of items) mentions.set(c.id, c);
    },
    removeComments: (...ids) => {
      for (const id of ids) deleted.add(id);
    },
    setCallBudget: (calls_, opts = {}) => {
      budget =
        calls_ === undefined
          ? undefined
          : { calls: calls_, regainMinutes: opts.regainMinutes ?? 60 };
      calls = 0;
    },
    resetCalls: () => {
      calls = 0;
    },
    callsFor: (id) => requests.filter((r) => r.path === `/${VERSION}/${id}`).length,
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      scripts.clear();
      pathScripts.length = 0;
      hidden.clear();
      deleted.clear();
      forgotten.clear();
      media.clear();
      comments.clear();
      mentions.clear();
      fixed = undefined;
      usage = undefined;
      budget = undefined;
      calls = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const EMPTY_REQUEST: RecordedRequest = {
  method: 'GET',
  path: '/',
  query: {},
  authorization: undefined,
  contentType: undefined,
  body: '',
};

/** The request shapes of the three moderation calls, as `${method} ${JSON.stringify(query)}`. */
const MODERATION_SHAPES = ['DELETE {}', 'POST {"hide":"false"}', 'POST {"hide":"true"}'] as const;

export type { FakeComment, FakeGraphApi, FakeMedia, RecordedRequest, Reply, TokenLife, Usage };
export {
  doesNotExist,
  graphError,
  graphTime,
  isModerationRequest,
  MODERATION_SHAPES,
  SUCCESS,
  startFakeGraphApi,
  usageHeader,
  VERSION,
};
