/**
 * The sweep: Meta's webhooks drop events and some notifications carry no text, so every quarter of
 * an hour the account's recent media and their comments are listed through the Graph API and
 *
 * - every comment with no decision (the webhook never delivered it) goes on the comments queue,
 * - every decision still `pendingFetch` (delivered without text) gets its text, from the listing
 *   or by reading the comment, and goes on the queue too,
 *
 * as ordinary comment messages. The classify stage's conditional writes make this idempotent with
 * the webhook path: whichever delivery comes first decides, the other finds the decision (or, for a
 * pending fetch, supersedes it once). The sweep never writes a decision itself.
 *
 * Reads share the Graph budget and breaker with the act stage: each call passes the shared usage
 * gate (stopping well before the act stage's limit, so moderation keeps its budget) and the
 * breaker, and reports what it learnt back. The sweep stops early, and says why, when the budget,
 * the usage, a throttle, the breaker or a token/permission error says so.
 */
import { classifyGraphFailure, type ErrorClass, failureCode } from '../act/graph-errors';
import type { BreakerPort, UsagePort } from '../act/ports';
import { observeGraphCall } from '../act/process-action';
import { type UsageGateConfig, usageGate } from '../act/throttle-gate';
import type { DecisionStore } from '../classify-stage/ports';
import type { DecisionRecord } from '../classify-stage/records';
import {
  type CommentField,
  type CommentMessage,
  commentMessageSchema,
} from '../contracts/comment-message';
import type { CommentQueue } from '../webhook/ports';
import type { GraphCommentItem, GraphPage, ReadResult, SweepGraphPort } from './graph-read';

interface SweepConfig {
  /** Media published within this many days are listed. */
  readonly mediaWindowDays: number;
  readonly maxMedia: number;
  /** Comments younger than this are left to the webhook, and to the next sweep. */
  readonly graceSeconds: number;
  /**
   * Comments older than this are out of reach: Meta retries a delivery for 36 hours, so a comment
   * missed that long ago is missed for good, and the sweep (not a backfill) leaves it alone.
   */
  readonly commentWindowHours: number;
  /** Pending-fetch decisions younger than this are completed. */
  readonly pendingFetchWindowHours: number;
  readonly pageLimit: number;
  /** Graph calls per run at most. */
  readonly maxCalls: number;
  /** The shared usage gate, with a lower stop than the act stage's. */
  readonly usage: UsageGateConfig;
  /** Messages per enqueue call, so that a run cut short keeps what it found. */
  readonly enqueueChunk: number;
  /** Facebook Login reads mentioned comments on the account node; Instagram Login reads the comment. */
  readonly loginType: 'instagram' | 'facebook';
}

const DEFAULT_SWEEP_CONFIG: SweepConfig = {
  mediaWindowDays: 14,
  maxMedia: 50,
  graceSeconds: 300,
  commentWindowHours: 72,
  pendingFetchWindowHours: 72,
  pageLimit: 50,
  maxCalls: 300,
  usage: { stopAtPercent: 75, highUsageHoldMs: 5 * 60_000, defaultThrottleWaitMs: 60_000 },
  enqueueChunk: 100,
  loginType: 'instagram',
};

/** A decision recorded without text, as the sweep needs it to complete it. */
type PendingFetch = Pick<
  DecisionRecord,
  'commentId' | 'accountId' | 'field' | 'mediaId' | 'mediaProductType' | 'parentId'
>;

interface PendingFetchSource {
  /** Live decisions still `pendingFetch`, decided at or after `since`. */
  list(since: Date, now: Date): Promise<readonly PendingFetch[]>;
}

interface SweepPorts {
  readonly graph: SweepGraphPort;
  readonly decisions: Pick<DecisionStore, 'get'>;
  readonly pendingFetches: PendingFetchSource;
  readonly queue: CommentQueue;
  readonly breaker: BreakerPort;
  readonly usage: UsagePort;
  readonly now: () => Date;
  /** The city's account id from configuration; asked of `/me` when absent. */
  readonly accountId?: string;
}

type StopReason =
  | 'budget'
  | 'usage_high'
  | 'throttled'
  | 'breaker_open'
  | 'token'
  | 'permission'
  | 'no_account';

interface SweepReport {
  readonly accountId?: string;
  readonly mediaScanned: number;
  readonly commentsSeen: number;
  /** Comments with no decision at all: the webhook never delivered them. */
  readonly missing: number;
  /** Pending-fetch decisions whose text was found and sent to be classified. */
  readonly pendingCompleted: number;
  /** Pending-fetch decisions whose comment no longer exists. */
  readonly pendingGone: number;
  /** Too young this time: left to the webhook and the next sweep. */
  readonly young: number;
  /** Listing items or comments that could not be read or sent (bad id, unreadable). */
  readonly dropped: number;
  /** Failed reads the sweep went past (transient, unreadable, a bad parameter). */
  readonly errors: number;
  readonly calls: number;
  readonly enqueued: number;
  /** Set when the run stopped before covering everything. */
  readonly stoppedBy?: StopReason;
  /** The failure label of the call that stopped it (`190`, `80002`...). */
  readonly stopCode?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NOT_FOUND = Symbol('not found');
const FAILED = Symbol('failed');
type CallOutcome<T> = T | typeof NOT_FOUND | typeof FAILED;

/** Which failures end the run: every later call would fail the same way, or must wait. */
const stopFor = (errorClass: ErrorClass, code: number | undefined): StopReason | undefined => {
  if (errorClass === 'throttled') return 'throttled';
  if (errorClass !== 'permanent') return undefined;
  if (code === 190) return 'token';
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) return 'permission';
  return undefined;
};

const messageFor = (
  comment: GraphCommentItem,
  context: {
    accountId: string;
    field: CommentField;
    mediaId?: string;
    mediaProductType?: string;
    parentId?: string;
    now: Date;
  },
): CommentMessage | undefined => {
  const at = context.now.toISOString();
  const mediaId = comment.mediaId ?? context.mediaId;
  const mediaProductType = comment.mediaProductType ?? context.mediaProductType;
  const parentId = comment.parentId ?? context.parentId;
  const parsed = commentMessageSchema.safeParse({
    accountId: context.accountId,
    field: context.field,
    commentId: comment.id,
    ...(mediaId !== undefined ? { mediaId } : {}),
    ...(mediaProductType !== undefined ? { mediaProductType } : {}),
    ...(parentId !== undefined ? { parentId } : {}),
    ...(comment.text !== undefined ? { text: comment.text } : {}),
    ...(comment.from !== undefined ? { from: comment.from } : {}),
    // The sweep is the delivery: it found the comment now.
    receivedAt: at,
    deliveryTime: at,
  });
  return parsed.success ? parsed.data : undefined;
};

const runSweep = async (ports: SweepPorts, config: SweepConfig): Promise<SweepReport> => {
  const started = ports.now();
  const report: Mutable<SweepReport> = {
    mediaScanned: 0,
    commentsSeen: 0,
    missing: 0,
    pendingCompleted: 0,
    pendingGone: 0,
    young: 0,
    dropped: 0,
    errors: 0,
    calls: 0,
    enqueued: 0,
  };
  const handled = new Set<string>();
  let outbox: CommentMessage[] = [];

  const flush = async (): Promise<void> => {
    const batch = outbox;
    outbox = [];
    if (batch.length === 0) return;
    await ports.queue.enqueue(batch);
    report.enqueued += batch.length;
  };
  const send = async (message: CommentMessage | undefined): Promise<boolean> => {
    if (!message) {
      report.dropped++;
      return false;
    }
    outbox.push(message);
    if (outbox.length >= config.enqueueChunk) await flush();
    return true;
  };
  const stop = (reason: StopReason, code?: string): void => {
    report.stoppedBy ??= reason;
    if (code !== undefined) report.stopCode ??= code;
  };

  /** One Graph read behind the budget, the shared usage gate and the breaker. */
  const call = async <T>(read: () => Promise<ReadResult<T>>): Promise<CallOutcome<T>> => {
    if (report.stoppedBy) return FAILED;
    if (report.calls >= config.maxCalls) {
      stop('budget');
      return FAILED;
    }
    const now = ports.now().getTime();
    if (!usageGate(await ports.usage.read(now), now, config.usage).allow) {
      stop('usage_high');
      return FAILED;
    }
    if ((await ports.breaker.admit(now)).decision === 'reject') {
      stop('breaker_open');
      return FAILED;
    }
    report.calls++;
    const result = await read();
    await observeGraphCall(ports, result, ports.now().getTime());
    if (result.ok) return result.value;
    const errorClass = classifyGraphFailure(result.failure);
    if (errorClass === 'not_found') return NOT_FOUND;
    const code = result.failure.kind === 'graph' ? result.failure.code : undefined;
    const reason = stopFor(errorClass, code);
    if (reason) stop(reason, failureCode(result.failure));
    else report.errors++;
    return FAILED;
  };

  const oldest = started.getTime() - config.commentWindowHours * 3600_000;
  const youngest = started.getTime() - config.graceSeconds * 1000;

  const consider = async (
    comment: GraphCommentItem,
    context: { accountId: string; mediaId: string; mediaProductType?: string; parentId?: string },
  ): Promise<void> => {
    if (handled.has(comment.id)) return;
    handled.add(comment.id);
    report.commentsSeen++;
    const createdAt = comment.createdAt;
    if (createdAt !== undefined && createdAt > youngest) {
      report.young++;
      return;
    }
    if (createdAt !== undefined && createdAt < oldest) return;
    const existing = await ports.decisions.get(comment.id, ports.now());
    const pending = existing?.pendingFetch === true && comment.text !== undefined;
    if (existing && !pending) return;
    const sent = await send(
      messageFor(comment, {
        ...context,
        field: existing?.field ?? 'comments',
        now: ports.now(),
      }),
    );
    if (!sent) return;
    if (pending) report.pendingCompleted++;
    else report.missing++;
  };

  /** A page of comments and, for each, all of its replies. */
  const considerPage = async (
    page: GraphPage<GraphCommentItem>,
    context: { accountId: string; mediaId: string; mediaProductType?: string; parentId?: string },
  ): Promise<void> => {
    report.dropped += page.dropped;
    for (const comment of page.items) {
      await consider(comment, context);
      if (comment.replies === undefined) continue;
      const replyContext = { ...context, parentId: comment.id };
      await considerPage(comment.replies, replyContext);
      let after = comment.replies.after;
      while (after !== undefined) {
        const next = await call(() =>
          ports.graph.listReplies(comment.id, { after, limit: config.pageLimit }),
        );
        if (typeof next === 'symbol') break;
        await considerPage(next, replyContext);
        after = next.after;
      }
    }
  };

  let accountId = ports.accountId;
  if (accountId === undefined) {
    const me = await call(() => ports.graph.accountId());
    if (typeof me !== 'symbol') accountId = me;
    else stop('no_account');
  }
  if (accountId !== undefined) {
    report.accountId = accountId;
    const account = accountId;
    const mediaSince = started.getTime() - config.mediaWindowDays * 86_400_000;
    let mediaAfter: string | undefined;
    do {
      const media = await call(() =>
        ports.graph.listMedia(account, {
          ...(mediaAfter ? { after: mediaAfter } : {}),
          limit: config.pageLimit,
        }),
      );
      if (typeof media === 'symbol') break;
      report.dropped += media.dropped;
      let inWindow = 0;
      for (const item of media.items) {
        if (item.publishedAt !== undefined && item.publishedAt < mediaSince) continue;
        if (report.mediaScanned >= config.maxMedia) break;
        inWindow++;
        report.mediaScanned++;
        const context = {
          accountId: account,
          mediaId: item.id,
          ...(item.mediaProductType ? { mediaProductType: item.mediaProductType } : {}),
        };
        let after: string | undefined;
        do {
          const comments = await call(() =>
            ports.graph.listComments(item.id, {
              ...(after ? { after } : {}),
              limit: config.pageLimit,
            }),
          );
          if (typeof comments === 'symbol') break;
          await considerPage(comments, context);
          after = comments.after;
        } while (after !== undefined);
      }
      // Media come newest first: a page with nothing recent means the rest is older still.
      if (inWindow === 0 && media.items.length > 0) break;
      mediaAfter = media.after;
    } while (mediaAfter !== undefined && report.mediaScanned < config.maxMedia);

    // Decisions still waiting for their text that the listing did not cover (mentions, older media).
    const since = new Date(started.getTime() - config.pendingFetchWindowHours * 3600_000);
    for (const pending of await ports.pendingFetches.list(since, ports.now())) {
      if (report.stoppedBy) break;
      if (handled.has(pending.commentId)) continue;
      handled.add(pending.commentId);
      const mention = config.loginType === 'facebook' && pending.field === 'mentions';
      const found = await call(() =>
        mention
          ? ports.graph.getMentionedComment(account, pending.commentId)
          : ports.graph.getComment(pending.commentId),
      );
      if (found === NOT_FOUND) report.pendingGone++;
      if (typeof found === 'symbol' || found.text === undefined) continue;
      const sent = await send(
        messageFor(found, {
          accountId: pending.accountId,
          field: pending.field,
          ...(pending.mediaId !== undefined ? { mediaId: pending.mediaId } : {}),
          ...(pending.mediaProductType !== undefined
            ? { mediaProductType: pending.mediaProductType }
            : {}),
          ...(pending.parentId !== undefined ? { parentId: pending.parentId } : {}),
          now: ports.now(),
        }),
      );
      if (sent) report.pendingCompleted++;
    }
  }
  await flush();
  return report;
};

export type { PendingFetch, PendingFetchSource, StopReason, SweepConfig, SweepPorts, SweepReport };
export { DEFAULT_SWEEP_CONFIG, runSweep };
