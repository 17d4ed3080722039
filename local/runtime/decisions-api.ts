import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  ACTIONS,
  type Action,
  CATEGORY_IDS,
  type CategoryId,
} from '../../lambdas/core/contracts/decision';
import { InvalidSinceError, parseSince } from '../../lambdas/core/review/since';
import type { TABLES } from '../../lib/resources';

/**
 * The local read API over the decisions table: decision records exactly as stored (they hold only
 * redacted text and pseudonyms), newest first. An item whose `expiresAt` has passed is absent,
 * whether or not a TTL sweep removed it (dynalite has no TTL at all).
 *
 *   GET /api/decisions?limit=&action=&category=&since=   → { items, count }
 *   GET /api/decisions/{commentId}                       → the record, or 404
 * Refusals are `{ "error": "<code>", "message": "<sentence>" }` like every local route.
 */

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;
// Typed against lib/resources.ts, so a renamed index breaks the build rather than the query.
const BY_ACTION: (typeof TABLES.decisions.indexes)[number]['indexName'] = 'byAction';

type StoredDecision = Record<string, unknown> & {
  readonly commentId: string;
  readonly decidedAt: string;
  readonly expiresAt: number;
};

interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

interface DecisionsApiOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now?: () => Date;
}

class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

const NOT_FOUND: ApiResponse = {
  status: 404,
  body: { error: 'not_found', message: 'No live decision has this comment id.' },
};

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

const parseLimit = (raw: string | null): number => {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new BadQueryError(`limit: an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
};

const parseAction = (raw: string | null): Action | undefined => {
  if (raw === null || raw === '') return undefined;
  if (!(ACTIONS as readonly string[]).includes(raw)) {
    throw new BadQueryError(`action: one of ${ACTIONS.join(', ')}`);
  }
  return raw as Action;
};

const parseCategory = (raw: string | null): CategoryId | undefined => {
  if (raw === null || raw === '') return undefined;
  if (!(CATEGORY_IDS as readonly string[]).includes(raw)) {
    throw new BadQueryError('category: one of 1 to 11');
  }
  return raw as CategoryId;
};

const hasCategory = (item: StoredDecision, category: CategoryId): boolean =>
  Array.isArray(item.categories) &&
  item.categories.some((c: unknown) => (c as { id?: unknown } | null)?.id === category);

const createDecisionsApi = (options: DecisionsApiOptions) => {
  const now = options.now ?? (() => new Date());

  /** Newest first within one action, live items only, until `wanted` pass `keep`. */
  const newestWithAction = async (
    action: Action,
    wanted: number,
    keep: (item: StoredDecision) => boolean,
    at: Date,
    since: Date | undefined,
  ): Promise<StoredDecision[]> => {
    const items: StoredDecision[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await options.doc.send(
        new QueryCommand({
          TableName: options.tableName,
          IndexName: BY_ACTION,
          KeyConditionExpression: since
            ? '#action = :action AND decidedAt >= :since'
            : '#action = :action',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeNames: { '#action': 'action' },
          ExpressionAttributeValues: {
            ':action': action,
            ':now': epochSeconds(at),
            ...(since ? { ':since': since.toISOString() } : {}),
          },
          ScanIndexForward: false,
          Limit: Math.min(MAX_LIMIT, Math.max(wanted * 2, 50)),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of (out.Items ?? []) as StoredDecision[]) {
        if (keep(item)) items.push(item);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < wanted);
    return items.slice(0, wanted);
  };

  const list = async (query: URLSearchParams): Promise<ApiResponse> => {
    const limit = parseLimit(query.get('limit'));
    const action = parseAction(query.get('action'));
    const category = parseCategory(query.get('category'));
    const since = parseSince(query.get('since'));
    const at = now();
    const keep = (item: StoredDecision) => category === undefined || hasCategory(item, category);
    // Every decision has an action, so the byAction index covers the whole table in order.
    const perAction = await Promise.all(
      (action ? [action] : ACTIONS).map((a) => newestWithAction(a, limit, keep, at, since)),
    );
    const items = perAction
      .flat()
      .sort((a, b) =>
        a.decidedAt === b.decidedAt
          ? b.commentId.localeCompare(a.commentId)
          : b.decidedAt.localeCompare(a.decidedAt),
      )
      .slice(0, limit);
    return { status: 200, body: { items, count: items.length } };
  };

  const one = async (commentId: string): Promise<ApiResponse> => {
    // Graph ids only: anything else cannot be a key and is not looked up.
    if (!/^\d{1,32}$/.test(commentId)) return NOT_FOUND;
    const out = await options.doc.send(
      new GetCommand({ TableName: options.tableName, Key: { commentId }, ConsistentRead: true }),
    );
    const item = out.Item as StoredDecision | undefined;
    if (!item || !(typeof item.expiresAt === 'number' && item.expiresAt > epochSeconds(now()))) {
      return NOT_FOUND;
    }
    return { status: 200, body: item };
  };

  /** `path` below `/api/decisions`: '' or '/' lists, '/{commentId}' reads one. */
  return async (method: string, path: string, query: URLSearchParams): Promise<ApiResponse> => {
    if (method !== 'GET' && method !== 'HEAD') {
      return {
        status: 405,
        body: { error: 'method_not_allowed', message: 'The read API takes GET only.' },
      };
    }
    try {
      if (path === '' || path === '/') return await list(query);
      const match = /^\/([^/]+)\/?$/.exec(path);
      if (!match?.[1]) return NOT_FOUND;
      return await one(decodeURIComponent(match[1]));
    } catch (error) {
      if (error instanceof BadQueryError || error instanceof InvalidSinceError) {
        return { status: 400, body: { error: 'bad_request', message: error.message } };
      }
      if (error instanceof URIError) return NOT_FOUND;
      throw error;
    }
  };
};

type DecisionsApi = ReturnType<typeof createDecisionsApi>;

export type { ApiResponse, DecisionsApi, DecisionsApiOptions, StoredDecision };
export { createDecisionsApi, MAX_LIMIT };
