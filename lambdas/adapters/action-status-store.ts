/**
 * The action status on a decision item (decisions table, key `commentId`), moved by conditional
 * updates only: pending → done | failed | dry_run | skipped_live. A comment is claimed with a lease
 * before its one Graph call, so concurrent or repeated messages do not call twice, and the number
 * of calls per comment is counted on the item.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ActionStatusPort,
  ClaimResult,
  ModerationAction,
  StatusUpdate,
} from '../core/act/ports';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

class ActionStatusStore implements ActionStatusPort {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async finish(
    commentId: string,
    action: ModerationAction,
    update: StatusUpdate,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#action': 'action' };
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
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { commentId },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE actionLeaseUntil`,
          ConditionExpression: 'actionStatus = :pending AND #action = :action',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claim(
    commentId: string,
    action: ModerationAction,
    now: number,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<ClaimResult> {
    try {
      const result = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { commentId },
          UpdateExpression:
            'SET actionLeaseUntil = :until, actionUpdatedAt = :at, ' +
            'actionAttempts = if_not_exists(actionAttempts, :zero) + :one',
          ConditionExpression:
            'actionStatus = :pending AND #action = :action' +
            ' AND (attribute_not_exists(actionLeaseUntil) OR actionLeaseUntil <= :now)' +
            ' AND (attribute_not_exists(actionAttempts) OR actionAttempts < :max)',
          ExpressionAttributeNames: { '#action': 'action' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':action': action,
            ':until': now + leaseMs,
            ':now': now,
            ':at': iso(now),
            ':zero': 0,
            ':one': 1,
            ':max': maxAttempts,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { kind: 'claimed', attempt: Number(result.Attributes?.actionAttempts ?? 1) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.#whyNotClaimed(commentId, action, now, maxAttempts);
  }

  async release(commentId: string, error: string, now: number): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { commentId },
          UpdateExpression:
            'SET actionLastError = :error, actionUpdatedAt = :at REMOVE actionLeaseUntil',
          ConditionExpression: 'actionStatus = :pending',
          ExpressionAttributeValues: { ':pending': 'pending', ':error': error, ':at': iso(now) },
        }),
      );
    } catch (e) {
      // Settled meanwhile by another delivery: nothing left to release.
      if (!isConditionFailure(e)) throw e;
    }
  }

  async #whyNotClaimed(
    commentId: string,
    action: ModerationAction,
    now: number,
    maxAttempts: number,
  ): Promise<ClaimResult> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { commentId }, ConsistentRead: true }),
    );
    if (!Item) return { kind: 'missing' };
    if (Item.actionStatus !== 'pending' || Item.action !== action) {
      return { kind: 'settled', status: String(Item.actionStatus ?? 'none') };
    }
    const leaseUntil = Number(Item.actionLeaseUntil ?? 0);
    if (leaseUntil > now) return { kind: 'leased', until: leaseUntil };
    const attempts = Number(Item.actionAttempts ?? 0);
    if (attempts >= maxAttempts) return { kind: 'exhausted', attempts };
    // Changed between the update and the read (a lease just released): try again shortly.
    return { kind: 'leased', until: now + 1000 };
  }
}

export { ActionStatusStore };
