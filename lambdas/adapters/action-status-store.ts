/**
 * The action status on a decision item (decisions table, key `commentId`), moved by conditional
 * updates only: pending → done | failed | dry_run | skipped_live. A comment is claimed with a lease
 * before its Graph call, so concurrent or repeated messages do not call twice; calls are counted
 * per request (`actionRequest`, the message's `decidedAt`) against the attempt limit.
 *
 * The item accepts the action it asks for: a staff review's request (`reviewOutcome.instagram`)
 * when there is one, otherwise the classifier's `action` or an interim off-hours hide
 * (`interimAction`). A message asking for something else is stale and changes nothing. So after
 * staff approve a comment the stage hid (`reviewOutcome.instagram = unhide`), the hide message is
 * stale and only the unhide is executed; once the review asks for something else, so is the unhide.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  ActionStatusPort,
  ClaimRequest,
  ClaimResult,
  ModerationAction,
  StatusUpdate,
} from '../core/act/ports';
import { getItem, type Update, updateItem } from './dynamo-items';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Pending, and asking for `:action` (see the file comment). */
const PENDING_FOR_ACTION =
  'actionStatus = :pending AND (reviewOutcome.instagram = :action OR ' +
  '(attribute_not_exists(reviewOutcome) AND (#action = :action OR interimAction = :action)))';
const NAMES = { '#action': 'action' };
/** Past its `expiresAt` a decision is absent, whether or not the TTL sweep removed it. */
const LIVE = ' AND (attribute_not_exists(expiresAt) OR expiresAt > :nowSeconds)';
const nowSeconds = (epochMs: number): number => Math.floor(epochMs / 1000);

type Item = Record<string, unknown>;

const requestedAction = (item: Item): readonly unknown[] => {
  const review = item.reviewOutcome;
  if (typeof review === 'object' && review !== null && 'instagram' in review) {
    return [(review as { instagram: unknown }).instagram];
  }
  return [item.action, item.interimAction];
};

/** Takes the plain client (see `dynamo-items.ts`): every action passes through here. */
class ActionStatusStore implements ActionStatusPort {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#table = tableName;
  }

  async finish(
    commentId: string,
    action: ModerationAction,
    update: StatusUpdate,
  ): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':pending': 'pending',
      ':action': action,
      ':status': update.status,
      ':at': iso(update.now),
    };
    const sets = ['actionStatus = :status', 'actionUpdatedAt = :at'];
    if (update.error !== undefined) {
      sets.push('actionError = :error');
      values[':error'] = update.error;
    }
    if (update.outcome !== undefined) {
      sets.push('actionOutcome = :outcome');
      values[':outcome'] = update.outcome;
    }
    return this.#conditional({
      key: { commentId },
      update: `SET ${sets.join(', ')} REMOVE actionLeaseUntil`,
      condition: PENDING_FOR_ACTION,
      names: NAMES,
      values,
    });
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const { commentId, action, requestId, now, leaseMs, maxAttempts } = request;
    const common = {
      ':pending': 'pending',
      ':action': action,
      ':request': requestId,
      ':until': now + leaseMs,
      ':now': now,
      ':nowSeconds': nowSeconds(now),
      ':at': iso(now),
    };
    const free = ' AND (attribute_not_exists(actionLeaseUntil) OR actionLeaseUntil <= :now)';
    // The first call for a newer request starts its count at 1. Requests are ISO instants, so
    // string order is time order.
    const first = await this.#conditional({
      key: { commentId },
      update:
        'SET actionLeaseUntil = :until, actionUpdatedAt = :at, actionRequest = :request, ' +
        'actionAttempts = :one',
      condition: `${PENDING_FOR_ACTION}${free}${LIVE} AND (attribute_not_exists(actionRequest) OR actionRequest < :request)`,
      names: NAMES,
      values: { ...common, ':one': 1 },
    });
    if (first) return { kind: 'claimed', attempt: 1 };
    // Later calls for the same request count on, up to the limit.
    const counted = await updateItem(this.#client, this.#table, {
      key: { commentId },
      update:
        'SET actionLeaseUntil = :until, actionUpdatedAt = :at, actionAttempts = actionAttempts + :one',
      condition: `${PENDING_FOR_ACTION}${free}${LIVE} AND actionRequest = :request AND actionAttempts < :max`,
      names: NAMES,
      values: { ...common, ':one': 1, ':max': maxAttempts },
      returnNew: true,
    });
    if (counted) return { kind: 'claimed', attempt: Number(counted.actionAttempts ?? 1) };
    return this.#whyNotClaimed(request);
  }

  async release(commentId: string, error: string, now: number): Promise<void> {
    // False when settled meanwhile by another delivery: nothing left to release.
    await this.#conditional({
      key: { commentId },
      update: 'SET actionLastError = :error, actionUpdatedAt = :at REMOVE actionLeaseUntil',
      condition: 'actionStatus = :pending',
      values: { ':pending': 'pending', ':error': error, ':at': iso(now) },
    });
  }

  async #conditional(input: Update): Promise<boolean> {
    return (await updateItem(this.#client, this.#table, input)) !== undefined;
  }

  async #whyNotClaimed(request: ClaimRequest): Promise<ClaimResult> {
    const item = await getItem(this.#client, this.#table, { commentId: request.commentId });
    if (!item) return { kind: 'missing' };
    if (typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds(request.now)) {
      return { kind: 'missing' };
    }
    if (item.actionStatus !== 'pending' || !requestedAction(item).includes(request.action)) {
      return { kind: 'settled', status: String(item.actionStatus ?? 'none') };
    }
    // An older request than the one in progress is covered by it.
    if (typeof item.actionRequest === 'string' && item.actionRequest > request.requestId) {
      return { kind: 'settled', status: 'superseded' };
    }
    const leaseUntil = Number(item.actionLeaseUntil ?? 0);
    if (leaseUntil > request.now) return { kind: 'leased', until: leaseUntil };
    const attempts = Number(item.actionAttempts ?? 0);
    if (item.actionRequest === request.requestId && attempts >= request.maxAttempts) {
      return { kind: 'exhausted', attempts };
    }
    // Changed between the updates and the read (a lease just released): try again shortly.
    return { kind: 'leased', until: request.now + 1000 };
  }
}

export { ActionStatusStore };
