import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admit,
  type BreakerState,
  INITIAL_BREAKER,
  recordFailure,
  recordSuccess,
} from '../../lambdas/core/act/circuit-breaker';

const config = { failureThreshold: 5, openMs: 60_000, probeLeaseMs: 30_000 };

describe('circuit breaker state machine', () => {
  it('opens after the configured consecutive failures, not before', () => {
    let state: BreakerState = INITIAL_BREAKER;
    for (let i = 1; i < config.failureThreshold; i++) {
      state = recordFailure(state, 1000, config);
      expect(state.state).toBe('CLOSED');
    }
    state = recordFailure(state, 1000, config);
    expect(state).toEqual({ state: 'OPEN', openedAt: 1000 });
  });

  it('a success in between resets the count', () => {
    let state: BreakerState = INITIAL_BREAKER;
    for (let i = 0; i < 4; i++) state = recordFailure(state, 0, config);
    state = recordSuccess(state);
    for (let i = 0; i < 4; i++) state = recordFailure(state, 0, config);
    expect(state.state).toBe('CLOSED');
  });

  it('rejects while open, lets one probe through when half-open, closes on its success', () => {
    const open: BreakerState = { state: 'OPEN', openedAt: 0 };
    expect(admit(open, 59_999, config)).toMatchObject({ decision: 'reject', retryAt: 60_000 });
    const first = admit(open, 60_000, config);
    expect(first.decision).toBe('probe');
    expect(admit(first.next, 60_001, config).decision).toBe('reject');
    expect(recordSuccess(first.next)).toEqual(INITIAL_BREAKER);
  });

  it('a failed probe reopens; a lost probe frees the slot after its lease', () => {
    const half: BreakerState = { state: 'HALF_OPEN', probeUntil: 90_000 };
    expect(recordFailure(half, 70_000, config)).toEqual({ state: 'OPEN', openedAt: 70_000 });
    expect(admit(half, 90_000, config).decision).toBe('probe');
  });

  it('model check: never more than one probe per half-open period, never a call while open', () => {
    type Step = { kind: 'admit' | 'success' | 'failure'; dt: number };
    const step = fc.record({
      kind: fc.constantFrom<Step['kind']>('admit', 'success', 'failure'),
      dt: fc.integer({ min: 0, max: 40_000 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        let state: BreakerState = INITIAL_BREAKER;
        let now = 0;
        let probesInPeriod = 0;
        for (const s of steps) {
          now += s.dt;
          if (s.kind === 'admit') {
            const before = state;
            const a = admit(state, now, config);
            if (before.state === 'OPEN' && now < before.openedAt + config.openMs) {
              expect(a.decision).toBe('reject');
            }
            if (a.decision === 'probe') {
              probesInPeriod = before.state === 'OPEN' ? 1 : probesInPeriod + 1;
              // A second probe only once the first one's lease has run out.
              if (probesInPeriod > 1) {
                expect(before.state === 'HALF_OPEN' && now >= before.probeUntil).toBe(true);
              }
            }
            if (before.state === 'HALF_OPEN' && now < before.probeUntil) {
              expect(a.decision).toBe('reject');
            }
            state = a.next;
          } else if (s.kind === 'success') {
            state = recordSuccess(state);
          } else {
            state = recordFailure(state, now, config);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
