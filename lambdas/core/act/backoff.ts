/**
 * Exponential backoff with full jitter (AWS Well-Architected REL05-BP03): the n-th retry waits a
 * uniformly random whole number of seconds in [0, min(cap, base·2ⁿ)]. Whole seconds because the
 * delay becomes an SQS visibility timeout.
 */

interface BackoffConfig {
  readonly baseSeconds: number;
  readonly capSeconds: number;
}

/** A source of uniform numbers in [0, 1), injected so tests can drive it. */
type RandomSource = () => number;

/** Upper bound of the delay after `attempt` failures counted from 0. */
const backoffBound = (config: BackoffConfig, attempt: number): number => {
  const n = Math.max(0, Math.floor(attempt));
  // 2 ** n overflows to Infinity for large n, which min() then caps.
  return Math.max(0, Math.floor(Math.min(config.capSeconds, config.baseSeconds * 2 ** n)));
};

const fullJitterDelay = (config: BackoffConfig, attempt: number, random: RandomSource): number => {
  const bound = backoffBound(config, attempt);
  const r = random();
  // A misbehaving source must not push the delay outside the documented interval.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(bound, Math.floor(unit * (bound + 1)));
};

export type { BackoffConfig, RandomSource };
export { backoffBound, fullJitterDelay };
