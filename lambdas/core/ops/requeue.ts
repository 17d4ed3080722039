/**
 * Requeue: after a fix (a new token, a restored permission, the end of an outage), send again the
 * actions that ended `failed`, and those stuck `pending` because their message was lost. Each is
 * re-sent exactly once per run, whatever runs at the same time: a conditional update on the
 * decision (failed → pending with a fresh attempt budget; or a `actionRequeuedAt` stamp on a stuck
 * pending one) picks one winner, and only the winner sends. The act stage's own claim then makes
 * sure Meta sees one call, even if a lost message turns up after all.
 */
import { z } from 'zod';
import { type CommentField, graphId } from '../contracts/comment-message';
import type { Action, ActionMessage, ActionStatus } from '../contracts/decision';

type RequeueStatus = 'failed' | 'pending';

/** The action fields of a stored decision, as the requeue store reads them. */
interface RequeueCandidate {
  readonly commentId: string;
  readonly accountId: string;
  readonly field: CommentField;
  readonly action: Action;
  readonly interimAction?: 'hide';
  readonly mediaProductType?: string;
  readonly policyVersion: string;
  readonly decidedAt: string;
  readonly actionStatus: ActionStatus;
  readonly actionUpdatedAt?: string;
  /** Epoch ms. */
  readonly actionLeaseUntil?: number;
  /** The request (message `decidedAt`) the act stage is counting attempts for. */
  readonly actionRequest?: string;
  readonly actionRequeuedAt?: string;
  /** A staff review's request of Instagram, which overrides the classifier's action. */
  readonly review?: { readonly instagram: string; readonly reviewedAt: string };
}

interface RequeueOptions {
  readonly statuses: readonly RequeueStatus[];
  /** A pending action untouched for this long has lost its message. */
  readonly stuckAfterMs: number;
}

type SkipReason = 'not_selected' | 'no_action' | 'in_progress' | 'recent';

type RequeuePlan =
  | { readonly kind: 'requeue'; readonly from: RequeueStatus; readonly message: ActionMessage }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

const MODERATION = new Set(['hide', 'unhide', 'delete']);

/** What the decision asks of Instagram now: the review's request, else the classifier's action. */
const requestedAction = (c: RequeueCandidate): ActionMessage['action'] | undefined => {
  if (c.review) {
    return MODERATION.has(c.review.instagram)
      ? (c.review.instagram as ActionMessage['action'])
      : undefined;
  }
  if (c.action === 'hide' || c.action === 'delete') return c.action;
  return c.interimAction;
};

const latest = (...instants: (string | undefined)[]): number =>
  Math.max(
    0,
    ...instants.map((i) => (i === undefined ? 0 : Date.parse(i))).filter(Number.isFinite),
  );

const planRequeue = (c: RequeueCandidate, now: number, options: RequeueOptions): RequeuePlan => {
  const status = c.actionStatus;
  if ((status !== 'failed' && status !== 'pending') || !options.statuses.includes(status)) {
    return { kind: 'skip', reason: 'not_selected' };
  }
  const action = requestedAction(c);
  if (action === undefined) return { kind: 'skip', reason: 'no_action' };
  const original = c.review?.reviewedAt ?? c.decidedAt;
  if (status === 'pending') {
    if (c.actionLeaseUntil !== undefined && c.actionLeaseUntil > now) {
      return { kind: 'skip', reason: 'in_progress' };
    }
    const lastSeen = latest(
      c.actionUpdatedAt,
      c.actionRequeuedAt,
      c.review?.reviewedAt,
      c.decidedAt,
    );
    if (now - lastSeen < options.stuckAfterMs) return { kind: 'skip', reason: 'recent' };
  }
  return {
    kind: 'requeue',
    from: status,
    message: {
      commentId: c.commentId,
      accountId: c.accountId,
      field: c.field,
      action,
      ...(c.mediaProductType !== undefined ? { mediaProductType: c.mediaProductType } : {}),
      policyVersion: c.policyVersion,
      // A failed action starts a fresh count (the store removes the old one); a stuck pending one
      // continues the request the act stage is counting, or its message would be taken as stale.
      decidedAt: status === 'pending' ? (c.actionRequest ?? original) : original,
    },
  };
};

interface RequeueStorePort {
  /** Live decisions decided since `since` whose action is failed or pending. */
  list(since: Date, now: Date): Promise<readonly RequeueCandidate[]>;
  /** The live decision of one comment, whatever its status. */
  get(commentId: string, now: Date): Promise<RequeueCandidate | undefined>;
  /**
   * Marks the decision requeued if it is still as `seen` (conditional): failed → pending with the
   * attempt count cleared, or a stuck pending one stamped. False when someone else moved it first.
   */
  claim(seen: RequeueCandidate, from: RequeueStatus, now: Date): Promise<boolean>;
}

interface RequeuePorts {
  readonly store: RequeueStorePort;
  readonly send: (message: ActionMessage) => Promise<void>;
  readonly now: () => Date;
}

interface RequeueRequest extends RequeueOptions {
  /** Decisions decided this many days back are considered. */
  readonly sinceDays: number;
  /** Only these comments (looked up one by one), when given. */
  readonly commentIds?: readonly string[];
  /** List what would be re-sent, change nothing. */
  readonly dryRun: boolean;
}

interface RequeueReport {
  readonly dryRun: boolean;
  readonly examined: number;
  readonly requeued: readonly {
    readonly commentId: string;
    readonly action: string;
    readonly from: RequeueStatus;
  }[];
  readonly skipped: Readonly<Partial<Record<SkipReason | 'changed' | 'missing', number>>>;
  /** Claimed but not sent: they are pending now and the next run finds them stuck. */
  readonly failed: readonly { readonly commentId: string; readonly error: string }[];
}

/**
 * What an operator may ask (the Lambda's payload, the local `POST /api/ops/requeue` body, the CLI's
 * flags): `status` failed, pending or all (default all), `stuckMinutes` (default 60), `sinceDays`
 * (default 30), `commentIds` to target a few, `dryRun` to only list.
 */
const requeueRequestSchema = z
  .strictObject({
    status: z.enum(['failed', 'pending', 'all']).default('all'),
    stuckMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(60),
    sinceDays: z.number().int().min(1).max(400).default(30),
    commentIds: z.array(graphId).min(1).max(1000).optional(),
    dryRun: z.boolean().default(false),
  })
  .transform(
    (r): RequeueRequest => ({
      statuses: r.status === 'all' ? ['failed', 'pending'] : [r.status],
      stuckAfterMs: r.stuckMinutes * 60_000,
      sinceDays: r.sinceDays,
      ...(r.commentIds ? { commentIds: r.commentIds } : {}),
      dryRun: r.dryRun,
    }),
  );

const runRequeue = async (ports: RequeuePorts, request: RequeueRequest): Promise<RequeueReport> => {
  const now = ports.now();
  const skipped: Partial<Record<SkipReason | 'changed' | 'missing', number>> = {};
  const skip = (reason: SkipReason | 'changed' | 'missing') => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  let candidates: RequeueCandidate[];
  if (request.commentIds !== undefined) {
    candidates = [];
    for (const id of new Set(request.commentIds)) {
      const found = await ports.store.get(id, now);
      if (found) candidates.push(found);
      else skip('missing');
    }
  } else {
    const since = new Date(now.getTime() - request.sinceDays * 86_400_000);
    candidates = [...(await ports.store.list(since, now))];
  }
  const requeued: { commentId: string; action: string; from: RequeueStatus }[] = [];
  const failed: { commentId: string; error: string }[] = [];
  for (const candidate of candidates) {
    const plan = planRequeue(candidate, now.getTime(), request);
    if (plan.kind === 'skip') {
      skip(plan.reason);
      continue;
    }
    const entry = {
      commentId: candidate.commentId,
      action: plan.message.action,
      from: plan.from,
    };
    if (request.dryRun) {
      requeued.push(entry);
      continue;
    }
    if (!(await ports.store.claim(candidate, plan.from, now))) {
      skip('changed');
      continue;
    }
    try {
      await ports.send(plan.message);
      requeued.push(entry);
    } catch (error) {
      failed.push({
        commentId: candidate.commentId,
        error: error instanceof Error ? error.name : 'UnknownError',
      });
    }
  }
  return { dryRun: request.dryRun, examined: candidates.length, requeued, skipped, failed };
};

export type {
  RequeueCandidate,
  RequeueOptions,
  RequeuePlan,
  RequeuePorts,
  RequeueReport,
  RequeueRequest,
  RequeueStatus,
  RequeueStorePort,
};
export { planRequeue, requeueRequestSchema, runRequeue };
