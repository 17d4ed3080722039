import type { BackoffConfig } from './backoff';
import type { BreakerConfig } from './circuit-breaker';
import type { UsageGateConfig } from './throttle-gate';

interface ActConfig {
  /** False (the default) is a dry run: record what would have been done, call nothing. */
  readonly actionsEnabled: boolean;
  /** Graph calls per comment at most, whatever the number of deliveries. */
  readonly maxAttempts: number;
  readonly backoff: BackoffConfig;
  readonly breaker: BreakerConfig;
  readonly usage: UsageGateConfig;
  /** How long one function holds a comment while it calls; well above the HTTP timeout. */
  readonly leaseMs: number;
  /** Spread added to deferrals so a backlog does not return all in the same second. */
  readonly deferJitterSeconds: number;
  /** SQS caps a visibility timeout at 12 hours. */
  readonly maxDelaySeconds: number;
}

const DEFAULT_ACT_CONFIG: ActConfig = {
  actionsEnabled: false,
  // Equal to the actions queue's maxReceiveCount (lib/resources.ts).
  maxAttempts: 5,
  backoff: { baseSeconds: 2, capSeconds: 300 },
  breaker: { failureThreshold: 5, openMs: 60_000, probeLeaseMs: 30_000 },
  usage: { stopAtPercent: 90, highUsageHoldMs: 5 * 60_000, defaultThrottleWaitMs: 60_000 },
  leaseMs: 60_000,
  deferJitterSeconds: 30,
  maxDelaySeconds: 43_200,
};

export type { ActConfig };
export { DEFAULT_ACT_CONFIG };
