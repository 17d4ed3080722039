/**
 * Shared Graph API health in the breaker table (`BREAKER_TABLE`, key `id`): the circuit breaker
 * and the last rate-limit usage Meta reported. Every Lambda instance reads and writes the same two
 * items; writes are optimistic (a `version` attribute, conditional put), so when two functions race
 * to turn OPEN into HALF_OPEN only one of them gets the probe.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Admission,
  admit,
  type BreakerConfig,
  type BreakerState,
  INITIAL_BREAKER,
  recordFailure,
  recordSuccess,
  sameState,
} from '../core/act/circuit-breaker';
import type { BreakerPort, UsagePort } from '../core/act/ports';
import {
  EMPTY_USAGE,
  observeThrottle,
  observeUsage,
  type UsageGateConfig,
  type UsageState,
} from '../core/act/throttle-gate';
import type { UsageReading } from '../core/act/usage';
import { isConditionFailure } from './dynamo-items';

const BREAKER_ID = 'graph-api#breaker';
const USAGE_ID = 'graph-api#usage';
// Enough for a handful of functions writing at the same instant; beyond that a lost count only
// delays opening the breaker by one failure.
const MAX_WRITE_TRIES = 8;

type Item = Record<string, unknown>;

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

const toBreaker = (item: Item | undefined): BreakerState => {
  switch (item?.state) {
    case 'OPEN':
      return { state: 'OPEN', openedAt: num(item.openedAt) };
    case 'HALF_OPEN':
      return { state: 'HALF_OPEN', probeUntil: num(item.probeUntil) };
    case 'CLOSED':
      return { state: 'CLOSED', failures: num(item.failures) };
    default:
      return INITIAL_BREAKER;
  }
};

const toUsage = (item: Item | undefined): UsageState =>
  item
    ? {
        usagePercent: num(item.usagePercent),
        observedAt: num(item.observedAt),
        regainAt: num(item.regainAt),
      }
    : EMPTY_USAGE;

interface CircuitBreakerStoreOptions {
  readonly breaker: BreakerConfig;
  readonly usage: UsageGateConfig;
  /**
   * How long a usage reading is reused before the table is read again. A burst under a shut gate
   * then costs one read per second per function, not one per message.
   */
  readonly usageCacheMs?: number;
}

class CircuitBreakerStore implements BreakerPort, UsagePort {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #breaker: BreakerConfig;
  readonly #usage: UsageGateConfig;
  readonly #usageCacheMs: number;
  #usageCache: { state: UsageState; readAt: number } | undefined;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: CircuitBreakerStoreOptions) {
    this.#doc = doc;
    this.#table = tableName;
    this.#breaker = options.breaker;
    this.#usage = options.usage;
    this.#usageCacheMs = options.usageCacheMs ?? 1000;
  }

  // --- breaker ---

  async admit(now: number): Promise<Admission> {
    for (let i = 0; i < MAX_WRITE_TRIES; i++) {
      const { item, version } = await this.#read(BREAKER_ID);
      const current = toBreaker(item);
      const admission = admit(current, now, this.#breaker);
      if (sameState(current, admission.next)) return admission;
      if (await this.#write(BREAKER_ID, version, { ...admission.next })) return admission;
    }
    // Lost every race: someone else is moving the breaker right now, so stay out of the way.
    return { decision: 'reject', next: INITIAL_BREAKER, retryAt: now + 1000 };
  }

  recordSuccess(): Promise<void> {
    return this.#mutateBreaker((current) => recordSuccess(current));
  }

  recordFailure(now: number): Promise<void> {
    return this.#mutateBreaker((current) => recordFailure(current, now, this.#breaker));
  }

  /** The current breaker state (operations, tests). */
  async breakerState(): Promise<BreakerState> {
    return toBreaker((await this.#read(BREAKER_ID)).item);
  }

  // --- usage ---

  async read(now: number): Promise<UsageState> {
    const cached = this.#usageCache;
    if (cached && now >= cached.readAt && now - cached.readAt < this.#usageCacheMs) {
      return cached.state;
    }
    const state = toUsage((await this.#read(USAGE_ID)).item);
    this.#usageCache = { state, readAt: now };
    return state;
  }

  observe(reading: UsageReading, now: number): Promise<void> {
    return this.#mutateUsage(now, (current) => observeUsage(current, reading, now));
  }

  throttle(reading: UsageReading | undefined, now: number): Promise<void> {
    return this.#mutateUsage(now, (current) => observeThrottle(current, reading, now, this.#usage));
  }

  // --- storage ---

  async #mutateBreaker(step: (current: BreakerState) => BreakerState): Promise<void> {
    for (let i = 0; i < MAX_WRITE_TRIES; i++) {
      const { item, version } = await this.#read(BREAKER_ID);
      const current = toBreaker(item);
      const next = step(current);
      if (sameState(current, next)) return;
      if (await this.#write(BREAKER_ID, version, { ...next })) return;
    }
  }

  async #mutateUsage(now: number, step: (current: UsageState) => UsageState): Promise<void> {
    for (let i = 0; i < MAX_WRITE_TRIES; i++) {
      const { item, version } = await this.#read(USAGE_ID);
      const current = toUsage(item);
      const next = step(current);
      if (await this.#write(USAGE_ID, version, { ...next })) {
        this.#usageCache = { state: next, readAt: now };
        return;
      }
    }
  }

  async #read(id: string): Promise<{ item: Item | undefined; version: number }> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }),
    );
    return { item: Item, version: num(Item?.version) };
  }

  /** Conditional put on the version read; false when another function wrote first. */
  async #write(id: string, version: number, attributes: Item): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...attributes, id, version: version + 1 },
          ConditionExpression: 'attribute_not_exists(id) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

export type { CircuitBreakerStoreOptions };
export { BREAKER_ID, CircuitBreakerStore, USAGE_ID };
