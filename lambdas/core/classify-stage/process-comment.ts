import type { CommentMessage } from '../contracts/comment-message';
import { actionMessageFor, auditEventFor, ledgerRowsFor, planDecision } from './plan';
import type { ClassifyPorts } from './ports';
import type { DecisionRecord } from './records';

/**
 * - `decided`: this delivery made the decision and every effect.
 * - `superseded`: a pending-fetch decision was replaced by a classified one (the text arrived).
 * - `resumed`: a decision existed but an earlier attempt stopped part-way; the missing effects ran.
 * - `in_progress`: another delivery holds a fresh claim on the unfinished decision and will finish
 *   it (or its own retry will); this one has nothing to add.
 * - `duplicate`: the comment was already fully handled; nothing was written.
 */
type Outcome = 'decided' | 'superseded' | 'resumed' | 'in_progress' | 'duplicate';

interface ProcessResult {
  readonly outcome: Outcome;
  readonly decision: DecisionRecord;
  /** Ledger rows written (or confirmed present) by this call. */
  readonly ledgerRows: number;
  readonly actionEnqueued: boolean;
}

interface Delivery {
  /**
   * Stable across redeliveries of one queue message (the SQS message id), different between
   * duplicates. Without it every delivery may resume an unfinished decision (still safe, but two
   * concurrent duplicates can then both enqueue the action message).
   */
  readonly deliveryId?: string;
}

/**
 * The classify function's timeout (lib/stateless-stack.ts): a claim older than one invocation can
 * live belongs to an invocation that is gone.
 */
const DEFAULT_CLAIM_TTL_MS = 30_000;

/** Another writer won a conditional write, and the state it left is not one this call can use. */
class DecisionContendedError extends Error {
  override readonly name = 'DecisionContendedError';
  constructor(readonly commentId: string) {
    super(`comment ${commentId}: decision changed while being written; retry`);
  }
}

/**
 * Ledger rows, then the audit event of an interim hide, then the action message, then the
 * `complete` mark. A crash anywhere leaves the decision `decided`, and the retry runs this again:
 * rows are conditional puts, the audit event is a conditional put under an id derived from the
 * decision (a repeat answers `exists`), the mark is a conditional update, and the action message is
 * repeated only if the mark never landed (the act stage is idempotent on the comment id, so a
 * second message cannot cause a second effect). The audit event goes before the message so that
 * the trail never lacks the reason for a hide that happened.
 */
const finish = async (
  decision: DecisionRecord,
  message: CommentMessage,
  ports: ClassifyPorts,
  now: Date,
): Promise<{ ledgerRows: number; actionEnqueued: boolean }> => {
  const rows = ledgerRowsFor(decision, message.text, ports.pseudonymKey);
  if (rows.length > 0) await ports.ledger.putAll(rows, now);
  const audit = auditEventFor(decision, ports.offHours);
  if (audit) await ports.audit.append(audit);
  const action = actionMessageFor(decision);
  if (action) await ports.actions.enqueue(action);
  await ports.decisions.markComplete(decision.commentId, action !== undefined);
  return { ledgerRows: rows.length, actionEnqueued: action !== undefined };
};

const done = (decision: DecisionRecord, outcome: Outcome): ProcessResult => ({
  outcome,
  decision,
  ledgerRows: 0,
  actionEnqueued: false,
});

/** An existing, live decision: finish what is missing, unless it is done or someone else is on it. */
const resume = async (
  existing: DecisionRecord,
  message: CommentMessage,
  ports: ClassifyPorts,
  now: Date,
  delivery: Delivery,
): Promise<ProcessResult> => {
  // Only `decided` is unfinished; an item without the marker was not written by this stage's
  // protocol and is left alone.
  if (existing.stage !== 'decided') return done(existing, 'duplicate');
  const id = delivery.deliveryId;
  if (id !== undefined && existing.claimedBy !== id) {
    const ttl = ports.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    const fresh =
      existing.claimedBy !== undefined &&
      existing.claimedAt !== undefined &&
      now.getTime() - existing.claimedAt < ttl;
    if (fresh) return done(existing, 'in_progress');
    const taken = await ports.decisions.claim(
      existing.commentId,
      { claimedBy: existing.claimedBy, claimedAt: existing.claimedAt },
      { claimedBy: id, claimedAt: now.getTime() },
    );
    if (!taken) {
      // Another delivery won the claim a moment ago (duplicates redriven together): it finishes
      // the decision, this one has nothing to add. Anything else is a real contention.
      const current = await ports.decisions.get(existing.commentId, now);
      if (current && current.stage !== 'decided') return done(current, 'duplicate');
      if (current?.claimedBy !== undefined && current.claimedBy !== id) {
        return done(current, 'in_progress');
      }
      throw new DecisionContendedError(existing.commentId);
    }
  }
  const effects = await finish(existing, message, ports, now);
  return { outcome: 'resumed', decision: existing, ...effects };
};

const decide = async (
  message: CommentMessage,
  ports: ClassifyPorts,
  now: Date,
  delivery: Delivery,
): Promise<ProcessResult> => {
  // Write first, read only when the write loses: new comments are the common case, and one
  // DynamoDB round trip costs more than analysing a comment again for the rare duplicate.
  const analysis = message.text === undefined ? undefined : await ports.analyze(message.text);
  const plan = planDecision({
    message,
    analysis,
    now,
    policy: ports.policy,
    pseudonymKey: ports.pseudonymKey,
    offHours: ports.offHours,
  });
  const decision: DecisionRecord =
    plan.decision.stage === 'decided' && delivery.deliveryId !== undefined
      ? { ...plan.decision, claimedBy: delivery.deliveryId, claimedAt: now.getTime() }
      : plan.decision;
  let superseding = false;
  let written = await ports.decisions.create(decision, now);
  let winner: DecisionRecord | undefined;
  if (!written) {
    winner = await ports.decisions.get(message.commentId, now);
    if (winner?.pendingFetch && message.text !== undefined) {
      // The text arrived for a comment first recorded as pending a fetch (a mention).
      superseding = true;
      written = await ports.decisions.supersedePendingFetch(decision, now);
    }
  }
  if (written) {
    const effects =
      decision.stage === 'complete'
        ? { ledgerRows: 0, actionEnqueued: false }
        : await finish(decision, message, ports, now);
    return { outcome: superseding ? 'superseded' : 'decided', decision, ...effects };
  }
  if (superseding) winner = await ports.decisions.get(message.commentId, now);
  if (!winner || (winner.pendingFetch && message.text !== undefined)) {
    throw new DecisionContendedError(message.commentId);
  }
  return resume(winner, message, ports, now, delivery);
};

/**
 * The classify stage for one comment, idempotent under any number of deliveries and any crash
 * point: at most one decision per comment, one ledger row per detected span, at most one audit
 * event, and an action message only for hide/delete decisions and off-hours interim hides (repeated
 * only when a crash fell between enqueueing it and recording that it was enqueued).
 */
const processComment = async (
  message: CommentMessage,
  ports: ClassifyPorts,
  delivery: Delivery = {},
): Promise<ProcessResult> => {
  return decide(message, ports, ports.now(), delivery);
};

export type { Delivery, Outcome, ProcessResult };
export { DEFAULT_CLAIM_TTL_MS, DecisionContendedError, processComment };
