/**
 * Test wiring for the act stage: embedded DynamoDB (dynalite) and SQS (fauxqs) through the real
 * SDK, the local Graph API fake, a fake clock, and recording metrics and visibility. Each call to
 * `handler()` builds fresh store instances, as a separate Lambda instance would.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { ActionStatusStore } from '../../lambdas/adapters/action-status-store';
import {
  BREAKER_ID,
  CircuitBreakerStore,
  USAGE_ID,
} from '../../lambdas/adapters/circuit-breaker-store';
import { createModerationPort, GraphApiClient } from '../../lambdas/adapters/graph-api-client';
import { staticTokenSource } from '../../lambdas/adapters/graph-token';
import type {
  MessageVisibility,
  Requeue,
  VisibilityTarget,
} from '../../lambdas/adapters/message-visibility';
import { type ActConfig, DEFAULT_ACT_CONFIG } from '../../lambdas/core/act/config';
import type { ActMetric, BreakerPort, UsagePort } from '../../lambdas/core/act/ports';
import type { Action, ActionMessage } from '../../lambdas/core/contracts/decision';
import { type ActHandler, createActHandler } from '../../lambdas/handlers/act';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { type FakeGraphApi, startFakeGraphApi } from '../support/fake-graph-api';

const TOKEN = 'fake-page-token';
const START = Date.parse('2026-11-26T09:00:00.000Z');

class RecordingVisibility implements MessageVisibility {
  readonly delays: { receiptHandle: string; seconds: number }[] = [];
  async delay(record: VisibilityTarget, seconds: number): Promise<void> {
    this.delays.push({ receiptHandle: record.receiptHandle, seconds });
  }
}

class RecordingMetrics {
  readonly counts = new Map<ActMetric, number>();
  readonly deferredAges: number[] = [];
  count(name: ActMetric): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  deferredAge(seconds: number): void {
    this.deferredAges.push(seconds);
  }
  flush(): void {}
  get(name: ActMetric): number {
    return this.counts.get(name) ?? 0;
  }
}

interface Harness {
  readonly embedded: Embedded;
  readonly graph: FakeGraphApi;
  readonly metrics: RecordingMetrics;
  readonly visibility: RecordingVisibility;
  now: number;
  handler(overrides?: Partial<ActConfig>, options?: HandlerOptions): ActHandler;
  /** A pending decision; `action` is the classifier's (an interim hide is `review` + extra). */
  seed(commentId: string, action: Action, extra?: Record<string, unknown>): Promise<void>;
  item(commentId: string): Promise<Record<string, unknown> | undefined>;
  /** Forget the shared breaker and usage, the fake's state, the metrics and the delays. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

interface HandlerOptions {
  readonly random?: () => number;
  readonly visibility?: MessageVisibility;
  readonly requeue?: Requeue;
  readonly usageCacheMs?: number;
  /** Fault injection: wraps the shared store the handler gets. */
  readonly wrapShared?: (store: CircuitBreakerStore) => BreakerPort & UsagePort;
}

const enabledConfig = (overrides: Partial<ActConfig> = {}): ActConfig => ({
  ...DEFAULT_ACT_CONFIG,
  actionsEnabled: true,
  ...overrides,
});

const startHarness = async (): Promise<Harness> => {
  const embedded = await startEmbedded({ prefix: `act${process.pid}` });
  const graph = await startFakeGraphApi({ token: TOKEN });
  const metrics = new RecordingMetrics();
  const visibility = new RecordingVisibility();
  const client = new GraphApiClient({ baseUrl: graph.url, timeoutMs: 2000 });
  const logger = new Logger({ logLevel: 'SILENT' });
  const harness: Harness = {
    embedded,
    graph,
    metrics,
    visibility,
    now: START,
    handler(overrides = {}, options = {}) {
      const config = enabledConfig(overrides);
      const breaker = new CircuitBreakerStore(embedded.doc, embedded.tableNames.circuitBreaker, {
        breaker: config.breaker,
        usage: config.usage,
        ...(options.usageCacheMs !== undefined ? { usageCacheMs: options.usageCacheMs } : {}),
      });
      return createActHandler({
        config,
        statuses: new ActionStatusStore(embedded.dynamo, embedded.tableNames.decisions),
        ...(() => {
          const shared = options.wrapShared ? options.wrapShared(breaker) : breaker;
          return { breaker: shared, usage: shared };
        })(),
        moderation: createModerationPort(client, staticTokenSource(TOKEN)),
        visibility: options.visibility ?? visibility,
        ...(options.requeue ? { requeue: options.requeue } : {}),
        metrics,
        logger,
        now: () => harness.now,
        random: options.random ?? Math.random,
      });
    },
    async seed(commentId, action, extra = {}) {
      await embedded.doc.send(
        new PutCommand({
          TableName: embedded.tableNames.decisions,
          Item: {
            commentId,
            accountId: '17841400000000000',
            action,
            actionStatus: 'pending',
            decidedAt: new Date(START).toISOString(),
            policyVersion: 'rumoi-1',
            ...extra,
          },
        }),
      );
    },
    async item(commentId) {
      const { Item } = await embedded.doc.send(
        new GetCommand({
          TableName: embedded.tableNames.decisions,
          Key: { commentId },
          ConsistentRead: true,
        }),
      );
      return Item;
    },
    async reset() {
      for (const id of [BREAKER_ID, USAGE_ID]) {
        await embedded.doc.send(
          new DeleteCommand({ TableName: embedded.tableNames.circuitBreaker, Key: { id } }),
        );
      }
      graph.reset();
      metrics.counts.clear();
      metrics.deferredAges.length = 0;
      visibility.delays.length = 0;
      harness.now = START;
    },
    async stop() {
      await graph.stop();
      await embedded.stop();
    },
  };
  return harness;
};

const message = (
  commentId: string,
  action: ActionMessage['action'],
  extra: Partial<ActionMessage> = {},
): ActionMessage => ({
  commentId,
  accountId: '17841400000000000',
  field: 'comments',
  action,
  policyVersion: 'rumoi-1',
  decidedAt: new Date(START).toISOString(),
  ...extra,
});

let receipt = 0;
const record = (body: ActionMessage | string, receiveCount = 1): SQSRecord => {
  const n = receipt++;
  return {
    messageId: `m-${n}`,
    receiptHandle: `r-${n}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(START),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(START),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:actions',
    awsRegion: 'us-east-1',
  };
};

const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

let ids = 0;
/** Fresh numeric comment ids, unique within the process. */
const commentId = (): string => `9${process.pid}${String(ids++).padStart(6, '0')}`;

export type { Harness };
export {
  commentId,
  enabledConfig,
  event,
  message,
  RecordingVisibility,
  record,
  START,
  startHarness,
  TOKEN,
};
