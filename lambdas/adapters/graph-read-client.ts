/**
 * Graph API reads for the operations functions: the account's media and their comments (the
 * sweep), one comment or a mentioned comment (completing a notification that came without text),
 * and the refresh of an Instagram-login long-lived token. Only GET: this client cannot change
 * anything at Meta, and the moderation client (graph-api-client.ts) keeps its three calls.
 *
 * Every response is untrusted: pages are validated item by item, an item that does not read as a
 * comment (an id that is not a Graph id, an instant that does not parse) is dropped and counted, and
 * the cursor for the next page is taken from `paging.cursors.after` only when Meta sent
 * `paging.next` ("Paginated Results": no `next`, no more pages). The `next` URL itself is never
 * followed, so the token never goes to a host other than the configured one.
 */
import { z } from 'zod';
import type { GraphFailure } from '../core/act/graph-errors';
import type {
  GraphCommentItem,
  GraphMediaItem,
  GraphPage,
  PageRequest,
  ReadResult,
  SweepGraphPort,
} from '../core/ops/graph-read';
import {
  type AccessTokenSource,
  COMMENT_ID,
  callWithToken,
  exchangeWithGraph,
  GRAPH_API_VERSION,
  parseBaseUrl,
  toFailure,
} from './graph-api-client';

/** A page of 50 comments of 2,200 characters each, `\u`-escaped, fits. */
const MAX_READ_CHARS = 4 * 1024 * 1024;
const MAX_TEXT_CHARS = 20_000;
const MAX_PAGE_LIMIT = 100;

/** Fields the sweep asks for: what a comment message carries, nothing more. */
const COMMENT_FIELDS = 'id,text,timestamp,from{id,username},parent_id';
const LISTED_COMMENT_FIELDS = `${COMMENT_FIELDS},replies{${COMMENT_FIELDS}}`;
const SINGLE_COMMENT_FIELDS = `${COMMENT_FIELDS},media{id,media_product_type}`;
const MEDIA_FIELDS = 'id,timestamp,media_product_type';

const graphId = z.string().regex(COMMENT_ID);
const instant = z
  .string()
  .max(64)
  .transform((raw, ctx) => {
    const at = Date.parse(raw);
    if (!Number.isFinite(at)) {
      ctx.addIssue({ code: 'custom', message: 'not an instant' });
      return z.NEVER;
    }
    return at;
  });

const commentSchema = z.object({
  id: graphId,
  text: z.string().max(MAX_TEXT_CHARS).optional(),
  timestamp: instant.optional(),
  from: z
    .object({ id: z.string().min(1).max(64), username: z.string().max(128).optional() })
    .optional(),
  parent_id: graphId.optional(),
  media: z.object({ id: graphId, media_product_type: z.string().max(64).optional() }).optional(),
});

const mediaSchema = z.object({
  id: graphId,
  timestamp: instant.optional(),
  media_product_type: z.string().max(64).optional(),
});

const pageSchema = z.object({
  data: z.array(z.unknown()).max(1000),
  paging: z
    .object({
      cursors: z.object({ after: z.string().max(1024).optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});

const refreshSchema = z.object({
  access_token: z.string().min(1).max(4096),
  expires_in: z
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86_400),
});

type RawComment = z.infer<typeof commentSchema>;

const toComment = (raw: RawComment): GraphCommentItem => ({
  id: raw.id,
  ...(raw.text !== undefined ? { text: raw.text } : {}),
  ...(raw.timestamp !== undefined ? { createdAt: raw.timestamp } : {}),
  ...(raw.from !== undefined
    ? {
        from: {
          id: raw.from.id,
          ...(raw.from.username !== undefined ? { username: raw.from.username } : {}),
        },
      }
    : {}),
  ...(raw.parent_id !== undefined ? { parentId: raw.parent_id } : {}),
  ...(raw.media !== undefined ? { mediaId: raw.media.id } : {}),
  ...(raw.media?.media_product_type !== undefined
    ? { mediaProductType: raw.media.media_product_type }
    : {}),
});

/** Reads a page, keeping what validates; `after` only when Meta announced a next page. */
const readPage = <T>(
  body: unknown,
  item: (raw: unknown) => T | undefined,
): GraphPage<T> | undefined => {
  const page = pageSchema.safeParse(body);
  if (!page.success) return undefined;
  const items: T[] = [];
  let dropped = 0;
  for (const raw of page.data.data) {
    const read = item(raw);
    if (read === undefined) dropped++;
    else items.push(read);
  }
  const after = page.data.paging?.next ? page.data.paging.cursors?.after : undefined;
  return { items, dropped, ...(after ? { after } : {}) };
};

const readComment = (raw: unknown): GraphCommentItem | undefined => {
  const parsed = commentSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const comment = toComment(parsed.data);
  const replies =
    typeof raw === 'object' && raw !== null && 'replies' in raw
      ? readPage((raw as { replies: unknown }).replies, readComment)
      : undefined;
  return replies ? { ...comment, replies } : comment;
};

const readMedia = (raw: unknown): GraphMediaItem | undefined => {
  const parsed = mediaSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  return {
    id: parsed.data.id,
    ...(parsed.data.timestamp !== undefined ? { publishedAt: parsed.data.timestamp } : {}),
    ...(parsed.data.media_product_type !== undefined
      ? { mediaProductType: parsed.data.media_product_type }
      : {}),
  };
};

/** An answer that was a success at HTTP level but not what the call returns. */
const unreadable = (httpStatus: number): GraphFailure => ({
  kind: 'graph',
  httpStatus,
  message: 'unreadable response',
});

interface GraphReadClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

class GraphReadClient {
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: GraphReadClientOptions) {
    this.#base = parseBaseUrl(options.baseUrl);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** `GET /me?fields=user_id`: the Instagram professional account behind an Instagram-login token. */
  accountId(token: string): Promise<ReadResult<string>> {
    return this.#get(`/${GRAPH_API_VERSION}/me`, { fields: 'user_id' }, token, (body) => {
      const parsed = z.object({ user_id: z.union([graphId, z.number().int()]) }).safeParse(body);
      return parsed.success ? String(parsed.data.user_id) : undefined;
    });
  }

  listMedia(accountId: string, token: string, page: PageRequest) {
    return this.#get(
      `/${GRAPH_API_VERSION}/${this.#id(accountId)}/media`,
      this.#paging({ fields: MEDIA_FIELDS }, page),
      token,
      (body) => readPage(body, readMedia),
    );
  }

  listComments(mediaId: string, token: string, page: PageRequest) {
    return this.#get(
      `/${GRAPH_API_VERSION}/${this.#id(mediaId)}/comments`,
      this.#paging({ fields: LISTED_COMMENT_FIELDS }, page),
      token,
      (body) => readPage(body, readComment),
    );
  }

  listReplies(commentId: string, token: string, page: PageRequest) {
    return this.#get(
      `/${GRAPH_API_VERSION}/${this.#id(commentId)}/replies`,
      this.#paging({ fields: COMMENT_FIELDS }, page),
      token,
      (body) => readPage(body, readComment),
    );
  }

  getComment(commentId: string, token: string): Promise<ReadResult<GraphCommentItem>> {
    return this.#get(
      `/${GRAPH_API_VERSION}/${this.#id(commentId)}`,
      { fields: SINGLE_COMMENT_FIELDS },
      token,
      readComment,
    );
  }

  /** `GET /{ig-user-id}?fields=mentioned_comment.comment_id(ID){...}` (Facebook Login). */
  getMentionedComment(
    accountId: string,
    commentId: string,
    token: string,
  ): Promise<ReadResult<GraphCommentItem>> {
    const fields = `mentioned_comment.comment_id(${this.#id(commentId)}){${SINGLE_COMMENT_FIELDS}}`;
    return this.#get(`/${GRAPH_API_VERSION}/${this.#id(accountId)}`, { fields }, token, (body) =>
      typeof body === 'object' && body !== null && 'mentioned_comment' in body
        ? readComment((body as { mentioned_comment: unknown }).mentioned_comment)
        : undefined,
    );
  }

  /**
   * `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=...` on graph.instagram.com:
   * a long-lived Instagram User token at least 24 hours old and not expired comes back valid for
   * 60 days (`expires_in` seconds). The token goes in the query, as the endpoint documents.
   */
  refreshAccessToken(
    token: string,
  ): Promise<ReadResult<{ accessToken: string; expiresInSeconds: number }>> {
    return this.#get(
      '/refresh_access_token',
      { grant_type: 'ig_refresh_token', access_token: token },
      undefined,
      (body) => {
        const parsed = refreshSchema.safeParse(body);
        return parsed.success
          ? { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in }
          : undefined;
      },
    );
  }

  #id(id: string): string {
    // Ids reach a URL path: anything but a Graph id is refused before a request is built.
    if (!COMMENT_ID.test(id)) throw new InvalidGraphIdError();
    return id;
  }

  #paging(query: Record<string, string>, page: PageRequest): Record<string, string> {
    const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(page.limit)));
    return { ...query, limit: String(limit), ...(page.after ? { after: page.after } : {}) };
  }

  async #get<T>(
    path: string,
    query: Record<string, string>,
    token: string | undefined,
    read: (body: unknown) => T | undefined,
  ): Promise<ReadResult<T>> {
    const url = new URL(path, this.#base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const answer = await exchangeWithGraph(this.#fetch, url, {
      method: 'GET',
      headers: token !== undefined ? { authorization: `Bearer ${token}` } : {},
      timeoutMs: this.#timeoutMs,
      maxBodyChars: MAX_READ_CHARS,
    });
    if (!answer.answered) return answer.result;
    const { response, body, usage } = answer;
    const withUsage = usage ? { usage } : {};
    if (!response.ok) return { ok: false, failure: toFailure(response.status, body), ...withUsage };
    const value = read(body);
    if (value === undefined) {
      return { ok: false, failure: unreadable(response.status), ...withUsage };
    }
    return { ok: true, value, ...withUsage };
  }
}

/** Thrown for an id that is not a Graph id: it must never reach a URL. */
class InvalidGraphIdError extends Error {
  override readonly name = 'InvalidGraphIdError';
  constructor() {
    super('id is not a Graph id');
  }
}

/** The sweep's port: the client with the current token, re-read after a token error (190). */
const createSweepGraphPort = (
  client: GraphReadClient,
  tokens: AccessTokenSource,
): SweepGraphPort => ({
  accountId: () => callWithToken(tokens, (t) => client.accountId(t)),
  listMedia: (id, page) => callWithToken(tokens, (t) => client.listMedia(id, t, page)),
  listComments: (id, page) => callWithToken(tokens, (t) => client.listComments(id, t, page)),
  listReplies: (id, page) => callWithToken(tokens, (t) => client.listReplies(id, t, page)),
  getComment: (id) => callWithToken(tokens, (t) => client.getComment(id, t)),
  getMentionedComment: (account, id) =>
    callWithToken(tokens, (t) => client.getMentionedComment(account, id, t)),
});

export type { GraphReadClientOptions };
export { createSweepGraphPort, GraphReadClient, InvalidGraphIdError };
