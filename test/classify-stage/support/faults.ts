import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Fault injection through the SDK's own middleware stack: a call fails either before it is sent
 * (nothing happened) or after the service answered (it happened, but the caller never learns so),
 * the two ways a network or a crashed process breaks a call.
 */
class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

interface FaultLog {
  /** `${CommandName}:${before|after}` → count */
  readonly counts: Map<string, number>;
  total(): number;
  of(command: string, when?: 'before' | 'after'): number;
}

interface FaultPlan {
  /** Probability that a call fails (split evenly between before and after). */
  rate: number;
  /** Deterministic source of randomness in [0, 1). */
  readonly random: () => number;
  readonly log: FaultLog;
}

const createFaultLog = (): FaultLog => {
  const counts = new Map<string, number>();
  return {
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    of: (command, when) =>
      [...counts.entries()]
        .filter(([k]) => k.startsWith(`${command}:`) && (!when || k.endsWith(`:${when}`)))
        .reduce((a, [, v]) => a + v, 0),
  };
};

/** Mulberry32: small, seedable, good enough to spread faults. */
const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const injectFaults = (client: DynamoDBClient | SQSClient, plan: FaultPlan): void => {
  const record = (command: string, when: 'before' | 'after') => {
    const key = `${command}:${when}`;
    plan.log.counts.set(key, (plan.log.counts.get(key) ?? 0) + 1);
  };
  // The two client types share the middleware shape; the union is not callable as one.
  (client as DynamoDBClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      if (plan.random() < plan.rate / 2) {
        record(command, 'before');
        throw new InjectedFault(`${command} failed before sending`);
      }
      const result = await next(args);
      if (plan.random() < plan.rate / 2) {
        record(command, 'after');
        throw new InjectedFault(`${command} answer lost`);
      }
      return result;
    },
    { step: 'initialize', name: 'injectFaults' },
  );
};

export type { FaultLog, FaultPlan };
export { createFaultLog, InjectedFault, injectFaults, seededRandom };
