/**
 * Circuit breaker for the Graph API, as a pure state machine: CLOSED → OPEN after
 * `failureThreshold` consecutive transient failures; OPEN → HALF_OPEN once `openMs` has passed,
 * letting exactly one probe through; the probe's success closes the breaker, its failure reopens it.
 * The state lives in a shared table (adapter), so concurrent functions see one breaker; times are
 * epoch milliseconds passed in by the caller.
 */

interface BreakerConfig {
  readonly failureThreshold: number;
  readonly openMs: number;
  /** A probe that never reports back (crashed function) frees the slot after this long. */
  readonly probeLeaseMs: number;
}

type BreakerState =
  | { readonly state: 'CLOSED'; readonly failures: number }
  | { readonly state: 'OPEN'; readonly openedAt: number }
  | { readonly state: 'HALF_OPEN'; readonly probeUntil: number };

type Admission =
  | { readonly decision: 'allow'; readonly next: BreakerState }
  | { readonly decision: 'probe'; readonly next: BreakerState }
  | { readonly decision: 'reject'; readonly next: BreakerState; readonly retryAt: number };

const INITIAL_BREAKER: BreakerState = { state: 'CLOSED', failures: 0 };

const admit = (current: BreakerState, now: number, config: BreakerConfig): Admission => {
  switch (current.state) {
    case 'CLOSED':
      return { decision: 'allow', next: current };
    case 'OPEN': {
      const reopensAt = current.openedAt + config.openMs;
      if (now < reopensAt) return { decision: 'reject', next: current, retryAt: reopensAt };
      return {
        decision: 'probe',
        next: { state: 'HALF_OPEN', probeUntil: now + config.probeLeaseMs },
      };
    }
    case 'HALF_OPEN':
      if (now < current.probeUntil) {
        return { decision: 'reject', next: current, retryAt: current.probeUntil };
      }
      return {
        decision: 'probe',
        next: { state: 'HALF_OPEN', probeUntil: now + config.probeLeaseMs },
      };
  }
};

/** The service answered (success or a non-transient error): it is up. */
const recordSuccess = (current: BreakerState): BreakerState => {
  switch (current.state) {
    case 'CLOSED':
    case 'HALF_OPEN':
      return INITIAL_BREAKER;
    case 'OPEN':
      // A call that started before the breaker opened proves little about now; wait for the probe.
      return current;
  }
};

/** A transient failure (codes 1, 2, 5xx, timeouts). */
const recordFailure = (current: BreakerState, now: number, config: BreakerConfig): BreakerState => {
  switch (current.state) {
    case 'CLOSED': {
      const failures = current.failures + 1;
      return failures >= config.failureThreshold
        ? { state: 'OPEN', openedAt: now }
        : { state: 'CLOSED', failures };
    }
    case 'HALF_OPEN':
      return { state: 'OPEN', openedAt: now };
    case 'OPEN':
      return current;
  }
};

const sameState = (a: BreakerState, b: BreakerState): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

export type { Admission, BreakerConfig, BreakerState };
export { admit, INITIAL_BREAKER, recordFailure, recordSuccess, sameState };
