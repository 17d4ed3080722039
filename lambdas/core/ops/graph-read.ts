/**
 * What the operations functions read from the Graph API, as the core sees it. Reads never change
 * anything at Meta; the adapter (`lambdas/adapters/graph-read-client.ts`) validates every response
 * before it gets here, and items it could not read are dropped and counted there.
 */
import type { GraphFailure } from '../act/graph-errors';
import type { UsageReading } from '../act/usage';

type ReadResult<T> =
  | { readonly ok: true; readonly value: T; readonly usage?: UsageReading }
  | { readonly ok: false; readonly failure: GraphFailure; readonly usage?: UsageReading };

/** One page of an edge; `after` only when Meta said there is a next page. */
interface GraphPage<T> {
  readonly items: readonly T[];
  readonly after?: string;
  /** Items of this page the adapter could not read (bad id, bad instant). */
  readonly dropped: number;
}

interface GraphMediaItem {
  readonly id: string;
  /** Epoch ms the media was published, when Meta said. */
  readonly publishedAt?: number;
  readonly mediaProductType?: string;
}

interface GraphCommentItem {
  readonly id: string;
  readonly text?: string;
  /** Epoch ms the comment was made. */
  readonly createdAt?: number;
  readonly from?: { readonly id: string; readonly username?: string };
  readonly parentId?: string;
  readonly mediaId?: string;
  readonly mediaProductType?: string;
  /** The first page of replies, when the listing expanded them. */
  readonly replies?: GraphPage<GraphCommentItem>;
}

interface PageRequest {
  readonly after?: string;
  readonly limit: number;
}

/** The Graph reads the sweep makes, each with the current token bound. */
interface SweepGraphPort {
  /** The professional account id behind the token (Instagram Login's `/me?fields=user_id`). */
  accountId(): Promise<ReadResult<string>>;
  listMedia(accountId: string, page: PageRequest): Promise<ReadResult<GraphPage<GraphMediaItem>>>;
  listComments(
    mediaId: string,
    page: PageRequest,
  ): Promise<ReadResult<GraphPage<GraphCommentItem>>>;
  listReplies(
    commentId: string,
    page: PageRequest,
  ): Promise<ReadResult<GraphPage<GraphCommentItem>>>;
  getComment(commentId: string): Promise<ReadResult<GraphCommentItem>>;
  /** A comment found through a mention (Facebook Login): only this node may read it. */
  getMentionedComment(accountId: string, commentId: string): Promise<ReadResult<GraphCommentItem>>;
}

export type {
  GraphCommentItem,
  GraphMediaItem,
  GraphPage,
  PageRequest,
  ReadResult,
  SweepGraphPort,
};
