import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createActionQueue } from '../../../lambdas/adapters/action-queue';
import { createAuditStore } from '../../../lambdas/adapters/audit-store';
import { createDecisionStore } from '../../../lambdas/adapters/decision-store';
import { createPiiLedger } from '../../../lambdas/adapters/pii-ledger';
import type {
  Analyzer,
  DecisionRecord,
  LedgerRow,
  OffHoursPolicy,
  StagePolicy,
} from '../../../lambdas/core/classify-stage/records';
import { type ClassifyHandler, createClassifyHandler } from '../../../lambdas/handlers/classify';
import { clientConfig, type Embedded, startEmbedded } from '../../../local/embedded';
import { type FaultPlan, injectFaults } from './faults';
import { TEST_KEY, VISIBLE_OFF_HOURS } from './fixtures';
import { type DrainStats, drainQueue, type PollerOptions, receiveAll } from './poller';

/**
 * Builds the classify handler the way the deployed function does (own clients, adapters, ports),
 * pointed at the embedded servers; optionally with faults injected into its clients only, so the
 * test's own reads and the poller (standing in for AWS) stay reliable.
 */
const buildHandler = (
  embedded: Embedded,
  options: {
    analyze: Analyzer;
    policy: StagePolicy;
    faults?: FaultPlan;
    logger?: Logger;
    claimTtlMs?: number;
    /**
     * Default `VISIBLE_OFF_HOURS`: on the wall clock, a `review` decision then never depends on the
     * hour the test runs at. Tests of the off-hours rule pass Rumoi's rule and a fixed `now`.
     */
    offHours?: OffHoursPolicy;
    now?: () => Date;
  },
): ClassifyHandler => {
  const dynamo = new DynamoDBClient(clientConfig(embedded.dynamoEndpoint));
  const sqs = new SQSClient(clientConfig(embedded.sqsEndpoint));
  if (options.faults) {
    injectFaults(dynamo, options.faults);
    injectFaults(sqs, options.faults);
  }
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createClassifyHandler({
    decisions: createDecisionStore(dynamo, embedded.tableNames.decisions),
    ledger: createPiiLedger(dynamo, embedded.tableNames.piiLedger),
    actions: createActionQueue(sqs, embedded.queues.actions.url),
    audit: createAuditStore(doc, embedded.tableNames.audit),
    analyze: options.analyze,
    policy: options.policy,
    offHours: options.offHours ?? VISIBLE_OFF_HOURS,
    pseudonymKey: TEST_KEY,
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.claimTtlMs !== undefined ? { claimTtlMs: options.claimTtlMs } : {}),
  });
};

interface ReliableClients {
  readonly sqs: SQSClient;
  /** For the adapters on the per-comment path, which take the plain client. */
  readonly dynamo: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
}

/**
 * Clients for the test's own side (sending, polling as AWS would, reading back) with the SDK's
 * standard retries: a keep-alive socket closed by the embedded server must not fail a test.
 */
const reliableClients = (embedded: Embedded): ReliableClients => {
  const dynamo = new DynamoDBClient({ ...clientConfig(embedded.dynamoEndpoint), maxAttempts: 5 });
  return {
    sqs: new SQSClient({ ...clientConfig(embedded.sqsEndpoint), maxAttempts: 5 }),
    dynamo,
    doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
  };
};

interface Stage {
  readonly embedded: Embedded;
  readonly clients: ReliableClients;
}

/**
 * Embedded servers with every table and queue, and the test's reliable clients. The comments
 * queue's long visibility timeout keeps a batch slowed by a loaded machine from being redelivered
 * while it still runs; tests that want failed records back sooner say so to the poller.
 */
const startStage = async (prefix: string): Promise<Stage> => {
  const embedded = await startEmbedded({ prefix, visibilityTimeoutSeconds: { comments: 30 } });
  return { embedded, clients: reliableClients(embedded) };
};

/**
 * `startStage` for the enclosing describe block, stopped after it. Read `embedded` and `clients`
 * inside hooks and tests only: they exist from the block's first `beforeAll` on.
 */
const useStage = (prefix: string): Stage => {
  let current: Stage | undefined;
  beforeAll(async () => {
    current = await startStage(prefix);
  });
  afterAll(async () => {
    await current?.embedded.stop();
  });
  const started = (): Stage => {
    if (!current) throw new Error(`stage ${prefix} read before its beforeAll ran`);
    return current;
  };
  return {
    get embedded() {
      return started().embedded;
    },
    get clients() {
      return started().clients;
    },
  };
};

/** The comments queue as the poller reads it (through the reliable clients), for `drainQueue`. */
const commentsQueue = (embedded: Embedded, clients: ReliableClients) => ({
  sqs: clients.sqs,
  queueUrl: embedded.queues.comments.url,
  queueArn: embedded.queues.comments.arn,
});

/** Sends raw bodies in order, ten per call; returns the message ids. */
const sendBodies = async (
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
    if ((out.Failed ?? []).length > 0) {
      throw new Error(
        `send failed: ${(out.Failed ?? []).map((f) => `${f.Code} ${f.Message}`).join('; ')}`,
      );
    }
    const byEntry = new Map((out.Successful ?? []).map((s) => [s.Id, s.MessageId ?? '']));
    ids.push(...chunk.map((_, j) => byEntry.get(String(j)) ?? ''));
  }
  return ids;
};

/**
 * Sends bodies to the comments queue, then drains it through the poller as Lambda's event source
 * mapping would; returns the message ids in send order and what the poller saw.
 */
const deliverComments = async (
  embedded: Embedded,
  clients: ReliableClients,
  bodies: readonly string[],
  poller: Omit<PollerOptions, 'sqs' | 'queueUrl' | 'queueArn'>,
): Promise<{ sent: string[]; stats: DrainStats }> => {
  const sent = await sendBodies(clients.sqs, embedded.queues.comments.url, bodies);
  const stats = await drainQueue({ ...commentsQueue(embedded, clients), ...poller });
  return { sent, stats };
};

const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

interface Observed {
  readonly decisions: Map<string, DecisionRecord>;
  readonly ledgerRows: Map<string, LedgerRow[]>;
  /** Action messages per comment id, drained from the actions queue. */
  readonly actions: Map<string, number>;
  readonly actionMessages: number;
}

/** Reads back everything the stage wrote for these comments (reliable clients, live items only). */
const observe = async (
  embedded: Embedded,
  commentIds: readonly string[],
  clients: ReliableClients = reliableClients(embedded),
): Promise<Observed> => {
  const now = new Date();
  const store = createDecisionStore(clients.dynamo, embedded.tableNames.decisions);
  const ledger = createPiiLedger(clients.dynamo, embedded.tableNames.piiLedger);
  const decisions = new Map<string, DecisionRecord>();
  const ledgerRows = new Map<string, LedgerRow[]>();
  for (const id of new Set(commentIds)) {
    const d = await store.get(id, now);
    if (d) decisions.set(id, d);
    ledgerRows.set(id, await ledger.list(id, now));
  }
  const actions = new Map<string, number>();
  const wanted = new Set(commentIds);
  let actionMessages = 0;
  for (const m of await receiveAll(clients.sqs, embedded.queues.actions.url)) {
    const id = String(JSON.parse(m.Body ?? '{}').commentId);
    if (!wanted.has(id)) continue;
    actionMessages += 1;
    actions.set(id, (actions.get(id) ?? 0) + 1);
  }
  return { decisions, ledgerRows, actions, actionMessages };
};

export type { Observed, ReliableClients, Stage };
export {
  buildHandler,
  commentsQueue,
  deliverComments,
  observe,
  reliableClients,
  sendBodies,
  shuffle,
  useStage,
};
