/**
 * The rate-limit gate: shared, last-seen usage decides whether a call may be sent at all. Meta
 * throttles the whole app once usage reaches 100%, so the stage stops at `stopAtPercent` (90%)
 * and leaves the remaining budget to people working in the app by hand.
 */
import type { UsageReading } from './usage';

interface UsageGateConfig {
  readonly stopAtPercent: number;
  /**
   * How long a high reading keeps the gate shut when Meta gave no time to regain access. After
   * that the next call is allowed and its response brings a fresh reading.
   */
  readonly highUsageHoldMs: number;
  /** Wait after a throttling error that carried no `estimated_time_to_regain_access`. */
  readonly defaultThrottleWaitMs: number;
}

/** Shared across functions (breaker table). Times in epoch milliseconds; 0 means "never". */
interface UsageState {
  readonly usagePercent: number;
  readonly observedAt: number;
  readonly regainAt: number;
}

type GateDecision = { readonly allow: true } | { readonly allow: false; readonly retryAt: number };

const EMPTY_USAGE: UsageState = { usagePercent: 0, observedAt: 0, regainAt: 0 };

const usageGate = (usage: UsageState, now: number, config: UsageGateConfig): GateDecision => {
  const holdUntil =
    usage.usagePercent >= config.stopAtPercent ? usage.observedAt + config.highUsageHoldMs : 0;
  const retryAt = Math.max(usage.regainAt, holdUntil);
  return retryAt > now ? { allow: false, retryAt } : { allow: true };
};

/** The state after a response that carried a usage header. */
const observeUsage = (previous: UsageState, reading: UsageReading, now: number): UsageState => {
  // An older reading arriving late must not reopen the gate.
  if (now < previous.observedAt) return previous;
  const regainAt =
    reading.regainAccessMinutes > 0
      ? Math.max(previous.regainAt, now + reading.regainAccessMinutes * 60_000)
      : previous.regainAt;
  return { usagePercent: reading.usagePercent, observedAt: now, regainAt };
};

/** The state after a throttling error: nothing is sent until access is regained. */
const observeThrottle = (
  previous: UsageState,
  reading: UsageReading | undefined,
  now: number,
  config: UsageGateConfig,
): UsageState => {
  const waitMs =
    reading && reading.regainAccessMinutes > 0
      ? reading.regainAccessMinutes * 60_000
      : config.defaultThrottleWaitMs;
  const base = reading ? observeUsage(previous, reading, now) : previous;
  return { ...base, regainAt: Math.max(base.regainAt, now + waitMs) };
};

export type { GateDecision, UsageGateConfig, UsageState };
export { EMPTY_USAGE, observeThrottle, observeUsage, usageGate };
