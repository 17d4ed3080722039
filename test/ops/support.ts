/**
 * Wiring for the operations tests: the embedded servers (dynalite + fauxqs through the real SDK),
 * the local fake Graph API, the webhook handler and the classify handler as deployed, and the
 * sweep built from its real adapters. Each world gets fresh ids, so property runs never collide.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createActionQueue } from '../../lambdas/adapters/action-queue';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { CircuitBreakerStore } from '../../lambdas/adapters/circuit-breaker-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import { createSweepGraphPort, GraphReadClient } from '../../lambdas/adapters/graph-read-client';
import { staticTokenSource } from '../../lambdas/adapters/graph-token';
import { recordingOpsMetrics } from '../../lambdas/adapters/ops-metrics';
import { createPendingFetchStore } from '../../lambdas/adapters/pending-fetch-store';
import { createPiiLedger } from '../../lambdas/adapters/pii-ledger';
import { createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import { staticWebhookSecrets } from '../../lambdas/adapters/webhook-secrets';
import { DEFAULT_ACT_CONFIG } from '../../lambdas/core/act/config';
import type { DecisionStore } from '../../lambdas/core/classify-stage/ports';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../../lambdas/core/ops/sweep';
import { type ClassifyHandler, createClassifyHandler } from '../../lambdas/handlers/classify';
import { createSweepHandler, type SweepHandler } from '../../lambdas/handlers/sweep';
import { createWebhookHandler, type WebhookHandler } from '../../lambdas/handlers/webhook';
import { clientConfig, type Embedded } from '../../local/embedded';
import { observed } from '../../local/runtime/pipeline';
import { fakeAnalyze, TEST_KEY, VISIBLE_OFF_HOURS } from '../classify-stage/support/fixtures';
import type { FakeComment, FakeGraphApi } from '../support/fake-graph-api';

const TOKEN = 'ops-test-token';
const APP_SECRET = 'ops-app-secret';
const ACCOUNT = '17841400000000000';
const POLICY = { version: 'ops-test-1', retentionDays: 90 };
const SILENT = new Logger({ logLevel: 'SILENT' });

let sequence = 0;
/** A fresh Graph id, unique within the process. */
const nextId = (prefix: string): string =>
  `${prefix}${String(process.pid % 100_000).padStart(5, '0')}${String(++sequence).padStart(9, '0')}`;

interface DecisionWrites {
  /** Successful decision writes per comment id (a pending fetch and its completion are two). */
  readonly writes: Map<string, number>;
  /** Writes that classified the comment (not a pending-fetch placeholder). */
  readonly classified: Map<string, number>;
}

/** Decision writes counted at the port, as they succeed. */
const countingDecisions = (store: DecisionStore): DecisionWrites & { store: DecisionStore } => {
  const writes = new Map<string, number>();
  const classified = new Map<string, number>();
  const count = (decision: { commentId: string; pendingFetch?: true }) => {
    const id = decision.commentId;
    writes.set(id, (writes.get(id) ?? 0) + 1);
    if (decision.pendingFetch !== true) classified.set(id, (classified.get(id) ?? 0) + 1);
  };
  return { writes, classified, store: observed(store, count) };
};

/** The classify handler as deployed (own clients), counting decision writes. */
const classifyWithCounts = (embedded: Embedded): DecisionWrites & { handler: ClassifyHandler } => {
  const dynamo = new DynamoDBClient(clientConfig(embedded.dynamoEndpoint));
  const sqs = new SQSClient(clientConfig(embedded.sqsEndpoint));
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const { store, writes, classified } = countingDecisions(
    createDecisionStore(dynamo, embedded.tableNames.decisions),
  );
  const handler = createClassifyHandler({
    decisions: store,
    ledger: createPiiLedger(dynamo, embedded.tableNames.piiLedger),
    actions: createActionQueue(sqs, embedded.queues.actions.url),
    audit: createAuditStore(doc, embedded.tableNames.audit),
    analyze: fakeAnalyze(POLICY.version),
    policy: POLICY,
    offHours: VISIBLE_OFF_HOURS,
    pseudonymKey: TEST_KEY,
    logger: SILENT,
  });
  return { handler, writes, classified };
};

const webhookFor = (embedded: Embedded): WebhookHandler =>
  createWebhookHandler({
    queue: createSqsCommentQueue({
      client: new SQSClient(clientConfig(embedded.sqsEndpoint)),
      queueUrl: embedded.queues.comments.url,
    }),
    secrets: staticWebhookSecrets({ appSecrets: [APP_SECRET], verifyToken: 'ops-verify' }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

interface SweepUnderTest {
  readonly handler: SweepHandler;
  readonly metrics: ReturnType<typeof recordingOpsMetrics>;
  readonly shared: CircuitBreakerStore;
}

/** The sweep from its real adapters, against the embedded servers and the fake Graph API. */
const sweepFor = (
  embedded: Embedded,
  graph: FakeGraphApi,
  options: { config?: Partial<SweepConfig>; accountId?: string; token?: string } = {},
): SweepUnderTest => {
  const dynamo = new DynamoDBClient(clientConfig(embedded.dynamoEndpoint));
  const config = { ...DEFAULT_SWEEP_CONFIG, ...options.config };
  const shared = new CircuitBreakerStore(embedded.doc, embedded.tableNames.circuitBreaker, {
    breaker: DEFAULT_ACT_CONFIG.breaker,
    usage: config.usage,
    usageCacheMs: 0,
  });
  const metrics = recordingOpsMetrics();
  const handler = createSweepHandler({
    ports: {
      graph: createSweepGraphPort(
        new GraphReadClient({ baseUrl: graph.url, timeoutMs: 5000 }),
        staticTokenSource(options.token ?? TOKEN),
      ),
      decisions: createDecisionStore(dynamo, embedded.tableNames.decisions),
      pendingFetches: createPendingFetchStore(dynamo, embedded.tableNames.decisions),
      queue: createSqsCommentQueue({
        client: new SQSClient(clientConfig(embedded.sqsEndpoint)),
        queueUrl: embedded.queues.comments.url,
      }),
      breaker: shared,
      usage: shared,
      ...(options.accountId ? { accountId: options.accountId } : {}),
    },
    config,
    metrics,
    logger: SILENT,
  });
  return { handler, metrics, shared };
};

/** A comment `minutesAgo` old on a media; the text's `[tag]` picks the fake classifier's action. */
const fakeComment = (
  mediaId: string,
  minutesAgo: number,
  text: string,
  extra: Partial<FakeComment> = {},
): FakeComment => ({
  id: nextId('179'),
  mediaId,
  text,
  timestamp: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  from: { id: nextId('5'), username: 'someone' },
  ...extra,
});

export type { DecisionWrites, SweepUnderTest };
export {
  ACCOUNT,
  APP_SECRET,
  classifyWithCounts,
  fakeComment,
  nextId,
  POLICY,
  SILENT,
  sweepFor,
  TOKEN,
  webhookFor,
};
