/**
 * The act stage for one action message, through ports: gate on shared usage and the breaker,
 * claim the comment, call hide/unhide/delete once, record the outcome. Returns what the SQS
 * consumer must do with the message; it never sleeps (waits become message visibility).
 */
import type { ActionMessage } from '../contracts/decision';
import type { RandomSource } from './backoff';
import type { ActConfig } from './config';
import { classifyGraphFailure, failureCode, type GraphFailure } from './graph-errors';
import { planAction, planAfterFailure } from './plan';
import type {
  ActionStatusPort,
  ActMetricsPort,
  BreakerPort,
  FinalStatus,
  GraphCallResult,
  ModerationPort,
  UsagePort,
} from './ports';
import { usageGate } from './throttle-gate';

interface ActPorts {
  readonly statuses: ActionStatusPort;
  readonly breaker: BreakerPort;
  readonly usage: UsagePort;
  readonly moderation: ModerationPort;
  readonly metrics: ActMetricsPort;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly random: RandomSource;
}

type SettleReason =
  | 'done'
  | 'not_found'
  | 'permanent'
  | 'retries_exhausted'
  | 'dry_run'
  | 'skipped_live'
  | 'already_settled'
  | 'missing_decision';

type RetryReason = 'transient' | 'throttled' | 'usage_high' | 'breaker_open' | 'in_progress';

type ActOutcome =
  /** Finished with this message: acknowledge it. `status` is what was written, if anything. */
  | {
      readonly kind: 'settled';
      readonly reason: SettleReason;
      readonly status?: FinalStatus;
      readonly calls: number;
      readonly errorCode?: string;
    }
  /** Hand the message back to the queue, visible again after `delaySeconds`. */
  | {
      readonly kind: 'retry';
      readonly reason: RetryReason;
      readonly delaySeconds: number;
      readonly calls: number;
      readonly errorCode?: string;
    };

const settle = async (
  ports: ActPorts,
  message: ActionMessage,
  status: FinalStatus,
  reason: SettleReason,
  calls: number,
  extra: { error?: string; outcome?: string } = {},
): Promise<ActOutcome> => {
  const changed = await ports.statuses.finish(message.commentId, message.action, {
    status,
    now: ports.now(),
    ...extra,
  });
  return {
    kind: 'settled',
    reason: changed ? reason : 'already_settled',
    ...(changed ? { status } : {}),
    calls,
    ...(extra.error ? { errorCode: extra.error } : {}),
  };
};

const deferUntil = (
  retryAt: number,
  now: number,
  config: ActConfig,
  random: RandomSource,
): number => {
  const wait = Math.max(1, Math.ceil((retryAt - now) / 1000));
  const spread = Math.floor(random() * (config.deferJitterSeconds + 1));
  return Math.min(config.maxDelaySeconds, wait + Math.min(spread, config.deferJitterSeconds));
};

const call = (ports: ActPorts, message: ActionMessage): Promise<GraphCallResult> => {
  switch (message.action) {
    case 'hide':
      return ports.moderation.hide(message.commentId);
    case 'unhide':
      return ports.moderation.unhide(message.commentId);
    case 'delete':
      return ports.moderation.delete(message.commentId);
  }
};

const processAction = async (
  message: ActionMessage,
  ports: ActPorts,
  config: ActConfig,
): Promise<ActOutcome> => {
  const plan = planAction(message, config.actionsEnabled);
  if (plan === 'skip_live') {
    ports.metrics.count('ActionSkippedLive');
    return settle(ports, message, 'skipped_live', 'skipped_live', 0);
  }
  if (plan === 'dry_run') {
    ports.metrics.count('ActionDryRun');
    return settle(ports, message, 'dry_run', 'dry_run', 0);
  }

  // Gates come before the claim, so a burst under a closed gate costs one cached read per message
  // and no writes.
  const deferred = (reason: 'usage_high' | 'breaker_open', retryAt: number): ActOutcome => {
    ports.metrics.count('GraphDeferred');
    return {
      kind: 'retry',
      reason,
      delaySeconds: deferUntil(retryAt, ports.now(), config, ports.random),
      calls: 0,
    };
  };
  const gate = usageGate(await ports.usage.read(ports.now()), ports.now(), config.usage);
  if (!gate.allow) return deferred('usage_high', gate.retryAt);
  const admission = await ports.breaker.admit(ports.now());
  if (admission.decision === 'reject') return deferred('breaker_open', admission.retryAt);

  const claim = await ports.statuses.claim({
    commentId: message.commentId,
    action: message.action,
    requestId: message.decidedAt,
    now: ports.now(),
    leaseMs: config.leaseMs,
    maxAttempts: config.maxAttempts,
  });
  switch (claim.kind) {
    case 'missing':
      ports.metrics.count('ActionWithoutDecision');
      return { kind: 'settled', reason: 'missing_decision', calls: 0 };
    case 'settled':
      return { kind: 'settled', reason: 'already_settled', calls: 0 };
    case 'leased':
      return {
        kind: 'retry',
        reason: 'in_progress',
        delaySeconds: deferUntil(claim.until, ports.now(), config, ports.random),
        calls: 0,
      };
    case 'exhausted':
      ports.metrics.count('GraphRetriesExhausted');
      return settle(ports, message, 'failed', 'retries_exhausted', 0, {
        error: 'attempts_exhausted',
      });
    case 'claimed':
      break;
  }

  const result = await call(ports, message);
  const now = ports.now();
  // The comment's own record first: if the shared bookkeeping below fails, a redelivery finds the
  // comment settled instead of calling Meta again.
  const outcome = await recordCall(ports, message, result, claim.attempt, now, config);
  await observe(ports, result, now);
  return outcome;
};

/** Moves the comment's status for the call's result and says what the queue should do. */
const recordCall = async (
  ports: ActPorts,
  message: ActionMessage,
  result: GraphCallResult,
  attempt: number,
  now: number,
  config: ActConfig,
): Promise<ActOutcome> => {
  if (result.ok) {
    ports.metrics.count('GraphCallSucceeded');
    return settle(ports, message, 'done', 'done', 1);
  }
  const code = failureCode(result.failure);
  const next = planAfterFailure(
    result.failure,
    attempt,
    config.maxAttempts,
    config.backoff,
    ports.random,
  );
  switch (next.next) {
    case 'done':
      return settle(ports, message, 'done', 'not_found', 1, { outcome: 'not_found' });
    case 'fail':
      if (next.errorClass === 'permanent') ports.metrics.count('GraphPermanentFailure');
      else ports.metrics.count('GraphRetriesExhausted');
      return settle(
        ports,
        message,
        'failed',
        next.errorClass === 'permanent' ? 'permanent' : 'retries_exhausted',
        1,
        { error: code },
      );
    case 'wait_for_window': {
      ports.metrics.count('GraphThrottled');
      await ports.statuses.release(message.commentId, code, now);
      const regainMs = (result.usage?.regainAccessMinutes ?? 0) * 60_000;
      const waitMs = regainMs > 0 ? regainMs : config.usage.defaultThrottleWaitMs;
      return {
        kind: 'retry',
        reason: 'throttled',
        delaySeconds: deferUntil(now + waitMs, now, config, ports.random),
        calls: 1,
        errorCode: code,
      };
    }
    case 'retry':
      ports.metrics.count('GraphTransientFailure');
      await ports.statuses.release(message.commentId, code, now);
      return {
        kind: 'retry',
        reason: 'transient',
        delaySeconds: next.delaySeconds,
        calls: 1,
        errorCode: code,
      };
  }
};

/**
 * Shares what the call taught about Meta with the other functions: the usage it reported, a
 * throttling window, and whether the service answered at all (the breaker counts only transient
 * failures; a permanent error or "does not exist" is an answer).
 */
const observe = async (
  ports: Pick<ActPorts, 'usage' | 'breaker'>,
  result: Pick<GraphCallResult, 'ok' | 'usage'> & { readonly failure?: GraphFailure },
  now: number,
): Promise<void> => {
  const errorClass =
    result.ok || result.failure === undefined ? undefined : classifyGraphFailure(result.failure);
  if (errorClass === 'throttled') await ports.usage.throttle(result.usage, now);
  else if (result.usage) await ports.usage.observe(result.usage, now);
  if (errorClass === 'transient') await ports.breaker.recordFailure(now);
  else await ports.breaker.recordSuccess(now);
};

export type { ActOutcome, ActPorts, RetryReason, SettleReason };
export { observe as observeGraphCall, processAction };
