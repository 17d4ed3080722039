import { Logger } from '@aws-lambda-powertools/logger';
import { createActionQueue } from '../../lambdas/adapters/action-queue';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDecisionStore } from '../../lambdas/adapters/decision-store';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { createPiiLedger } from '../../lambdas/adapters/pii-ledger';
import { loadPolicyPack } from '../../lambdas/adapters/policy';
import { createQueueHealthProbe } from '../../lambdas/adapters/queue-health';
import { createRequeueStore } from '../../lambdas/adapters/requeue-store';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { createSqsCommentQueue } from '../../lambdas/adapters/sqs-comment-queue';
import { analyzeDeps } from '../../lambdas/adapters/text-model';
import { staticWebhookSecrets } from '../../lambdas/adapters/webhook-secrets';
import { analyze } from '../../lambdas/core/analyze';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import type { DecisionStore } from '../../lambdas/core/classify-stage/ports';
import type { DecisionRecord } from '../../lambdas/core/classify-stage/records';
import type { Policy } from '../../lambdas/core/policy/schema';
import type { QueueDepth } from '../../lambdas/core/review/health';
import type { Tokenizer } from '../../lambdas/core/tokenizer';
import { createClassifyHandler, offHoursFor } from '../../lambdas/handlers/classify';
import { createRequeueHandler, sqsActionSender } from '../../lambdas/handlers/requeue';
import {
  createReviewApi,
  createSqsReviewActions,
  localHeaderIdentity,
} from '../../lambdas/handlers/review-api';
import { createWebhookHandler } from '../../lambdas/handlers/webhook';
import { QUEUES } from '../../lib/resources';
import { type Embedded, type QueueKey, startEmbedded } from '../embedded';
import { createActStage, type LogLevel } from './act-stage';
import { type ActThread, startActThread } from './act-thread';
import { dataRequestMount } from './data-requests';
import { createDecisionsApi } from './decisions-api';
import type { LocalSettings } from './defaults';
import { startEmbeddedThread } from './embedded-thread';
import { type LocalServer, type ProxyMount, startLocalServer } from './http-server';
import { createOpsApi } from './ops-api';
import { createSqsPoller, type Poller, type PollerStats } from './sqs-poller';
import type { StaticFiles } from './static-files';

/**
 * The whole pipeline on one machine: embedded DynamoDB and SQS, the webhook behind a local HTTP
 * server, the classify and act handlers behind SQS pollers, the read API. The handlers are the
 * same factories the Lambda entry points use, wired to the embedded servers through the real SDK.
 * The act stage is a dry run with no network: its moderation port refuses to be called at all.
 */

/** What the console may print about a decision: ids, action and categories, never text. */
interface DecisionSummary {
  readonly commentId: string;
  readonly action: DecisionRecord['action'];
  readonly categories: readonly string[];
  readonly piiTypes: readonly string[];
  readonly inquiry: boolean;
  readonly pendingFetch: boolean;
}

interface PipelineOptions {
  readonly settings: LocalSettings;
  /** Policy pack (a folder of `policies/`); default `settings.policyPack`. */
  readonly policyPack?: string;
  /** Overrides `settings.port`; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** LevelDB folder for DynamoDB; omit for an in-memory run. */
  readonly dataPath?: string;
  /** The queues' journal file (see `queue-journal.ts`); omit for queues in memory only. */
  readonly queueJournalPath?: string;
  /** Handler logs (Powertools, JSON on stdout). Default `WARN`. */
  readonly logLevel?: LogLevel;
  /** Seconds, per queue; tests shorten it so a failed message comes back quickly. */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueKey, number>>;
  /** Concurrent classify batches (Lambda's concurrent invocations). Default 10. */
  readonly classifyConcurrency?: number;
  readonly actConcurrency?: number;
  /**
   * Run dynalite, fauxqs and the act stage on this thread instead of their own worker threads
   * (default: their own threads, so that the servers and the two stages spread over the cores).
   */
  readonly serversOnMainThread?: boolean;
  /** A tokenizer already loaded in this process (tests share one). */
  readonly tokenizer?: Tokenizer;
  readonly onDecision?: (decision: DecisionSummary) => void;
  /** Runtime faults, by name only. */
  readonly onError?: (where: string, errorName: string) => void;
  /** Extra proxy-integration routes, e.g. the review API. */
  readonly mounts?: readonly ProxyMount[];
  /** The staff console's built files, served at `/console/` (see local/console-build.ts). */
  readonly console?: StaticFiles;
  /** The review API's clock (tests pin office hours); the pipeline itself keeps real time. */
  readonly now?: () => Date;
}

/** Review API routes on the local server, each mounted under `/api`. */
const REVIEW_API_PREFIXES = [
  '/api/me',
  '/api/reviews',
  '/api/inquiries',
  '/api/comments',
  '/api/reports',
  '/api/health',
] as const;

interface Pipeline {
  readonly url: string;
  readonly port: number;
  readonly embedded: Embedded;
  readonly settings: LocalSettings;
  /** The policy the classify stage applies (from the configured pack). */
  readonly policy: Policy;
  /** Counts per queue, DLQ included. */
  depth(): Promise<Record<QueueKey, QueueDepth>>;
  stats(): { comments: PollerStats; actions: PollerStats; decisions: number };
  /**
   * Stops and restarts the consumers (classify and act pollers), e.g. so that a benchmark of the
   * webhook alone is not sharing this event loop with them, as it would not in AWS.
   */
  pauseConsumers(): Promise<void>;
  resumeConsumers(): void;
  /**
   * Waits until both queues are empty and nothing is in flight, or `timeoutMs` passed.
   * True when drained.
   */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops taking requests, drains for up to `drainMs`, stops the pollers and the servers. */
  stop(options?: { readonly drainMs?: number }): Promise<{ drained: boolean }>;
}

const summarise = (d: DecisionRecord): DecisionSummary => ({
  commentId: d.commentId,
  action: d.action,
  categories: d.categories.map((c) => c.id),
  piiTypes: Object.keys(d.piiTypes),
  inquiry: d.inquiry,
  pendingFetch: d.pendingFetch === true,
});

/** Reports every decision that this process wrote, at the port, whatever the handler logs. */
const observed = (store: DecisionStore, notify: (d: DecisionRecord) => void): DecisionStore => ({
  get: (commentId, now) => store.get(commentId, now),
  claim: (commentId, expected, next) => store.claim(commentId, expected, next),
  markComplete: (commentId, enqueued) => store.markComplete(commentId, enqueued),
  async create(decision, now) {
    const written = await store.create(decision, now);
    if (written) notify(decision);
    return written;
  },
  async supersedePendingFetch(decision, now) {
    const written = await store.supersedePendingFetch(decision, now);
    if (written) notify(decision);
    return written;
  },
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : 'UnknownError';

const startPipeline = async (options: PipelineOptions): Promise<Pipeline> => {
  const { settings } = options;
  // Read first: a bad pack fails before any server starts.
  const pack = loadPolicyPack(options.policyPack ?? settings.policyPack);
  const report = options.onError ?? (() => undefined);
  const logLevel = options.logLevel ?? 'WARN';
  const logger = (serviceName: string) => new Logger({ serviceName, logLevel });

  // The tokenizer load (~0.5 s) overlaps the embedded servers' start.
  const tokenizerReady = options.tokenizer ? Promise.resolve(options.tokenizer) : loadTokenizer();
  const embeddedOptions = {
    ...(options.dataPath ? { dataPath: options.dataPath } : {}),
    ...(options.queueJournalPath ? { queueJournalPath: options.queueJournalPath } : {}),
    ...(options.visibilityTimeoutSeconds
      ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
      : {}),
  };
  const embedded = options.serversOnMainThread
    ? await startEmbedded(embeddedOptions)
    : await startEmbeddedThread(embeddedOptions, {
        onCrash: (name) => report('embedded servers thread', name),
      });
  const pollers: Poller[] = [];
  let actThread: ActThread | undefined;
  let server: LocalServer | undefined;
  try {
    const tokenizer = await tokenizerReady;
    const { policy } = pack;
    const deps = analyzeDeps(policy, tokenizer);
    const { dynamo, doc, sqs, tableNames, queues } = embedded;

    const webhook = createWebhookHandler({
      queue: createSqsCommentQueue({ client: sqs, queueUrl: queues.comments.url }),
      secrets: staticWebhookSecrets({
        appSecrets: [...settings.appSecrets],
        verifyToken: settings.verifyToken,
      }),
      logger: logger('webhook'),
    });

    let decisions = 0;
    const classify = createClassifyHandler({
      decisions: observed(createDecisionStore(dynamo, tableNames.decisions), (d) => {
        decisions++;
        options.onDecision?.(summarise(d));
      }),
      ledger: createPiiLedger(dynamo, tableNames.piiLedger),
      actions: createActionQueue(sqs, queues.actions.url),
      audit: createAuditStore(doc, tableNames.audit),
      analyze: (text) => analyze(text, deps),
      policy,
      offHours: offHoursFor(pack.name),
      pseudonymKey: settings.pseudonymKey,
      logger: logger('classify'),
    });

    const commentsPoller = createSqsPoller({
      sqs,
      queueUrl: queues.comments.url,
      queueArn: queues.comments.arn,
      handler: classify,
      batchSize: QUEUES.comments.batchSize,
      concurrency: options.classifyConcurrency ?? 10,
      onError: (stage, name) => report(`comments poller ${stage}`, name),
    });
    const actStage = {
      concurrency: options.actConcurrency ?? 2,
      logLevel,
      onError: (stage: string, name: string) => report(`actions poller ${stage}`, name),
    };
    if (!options.serversOnMainThread) {
      actThread = await startActThread({ ...actStage, endpoints: embedded }, actStage);
    }
    const actionsPoller = actThread ?? createActStage({ ...actStage, embedded });
    pollers.push(commentsPoller, actionsPoller);

    // The act stage here is always a dry run (its moderation port refuses every call).
    const probe = createQueueHealthProbe(
      sqs,
      {
        comments: { url: queues.comments.url, deadLetterUrl: queues.comments.deadLetterUrl },
        actions: { url: queues.actions.url, deadLetterUrl: queues.actions.deadLetterUrl },
      },
      false,
    );

    // Staff review: nobody signs local requests, so the `x-reviewer` header names the reviewer
    // (the server answers loopback Host names only).
    const { officeHours } = pack;
    const reviewApi = createReviewApi({
      store: createReviewStore(doc, tableNames.decisions),
      audit: createAuditStore(doc, tableNames.audit),
      actions: createSqsReviewActions(sqs, queues.actions.url),
      calendar: createBusinessCalendar(officeHours),
      auditRetentionDays: officeHours.review.auditRetentionDays,
      identify: localHeaderIdentity,
      health: probe,
      logger: logger('review-api'),
      ...(options.now ? { now: options.now } : {}),
    });

    // Operations (README runbook): requeue failed or stuck actions, as the deployed function does.
    const opsApi = createOpsApi({
      requeue: createRequeueHandler({
        ports: {
          store: createRequeueStore(dynamo, tableNames.decisions),
          send: sqsActionSender(sqs, queues.actions.url),
        },
        metrics: { add: () => undefined, flush: () => undefined },
        logger: logger('requeue'),
      }),
      onError: (name) => report('ops requeue', name),
    });

    server = await startLocalServer({
      webhook,
      decisions: createDecisionsApi({ doc, tableName: tableNames.decisions }),
      mounts: [
        ...REVIEW_API_PREFIXES.map((prefix) => ({ prefix, handler: reviewApi })),
        dataRequestMount({
          embedded,
          pseudonymKey: settings.pseudonymKey,
          policy,
          tokenizer,
          auditRetentionDays: officeHours.review.auditRetentionDays,
          logger: logger('data-request'),
        }),
        { prefix: '/api/ops', handler: opsApi },
        ...(options.mounts ?? []),
      ],
      ...(options.console ? { console: options.console } : {}),
      ...(options.host ? { host: options.host } : {}),
      port: options.port ?? settings.port,
      onError: (route, name) => report(`http ${route}`, name),
    });
    for (const poller of pollers) poller.start();

    const depth = (): Promise<Record<QueueKey, QueueDepth>> => probe.queueDepths();

    const drain = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const d = await depth();
          const busy = pollers.some((p) => p.stats().inFlight > 0);
          const pending = (q: QueueDepth) => q.visible + q.inFlight + q.delayed;
          if (!busy && pending(d.comments) === 0 && pending(d.actions) === 0) return true;
        } catch (error) {
          report('drain', errorName(error));
        }
        if (Date.now() >= deadline) return false;
        await sleep(50);
      }
    };

    const url = `http://localhost:${server.port}`;
    const running = server;
    let stopping: Promise<{ drained: boolean }> | undefined;
    return {
      url,
      port: server.port,
      embedded,
      settings,
      policy,
      depth,
      drain,
      stats: () => ({
        comments: commentsPoller.stats(),
        actions: actionsPoller.stats(),
        decisions,
      }),
      pauseConsumers: async () => {
        await Promise.all(pollers.map((p) => p.stop()));
      },
      resumeConsumers: () => {
        if (!stopping) for (const p of pollers) p.start();
      },
      stop(stopOptions = {}) {
        stopping ??= (async () => {
          await running.close();
          const drained = await drain(stopOptions.drainMs ?? 0);
          await Promise.all(pollers.map((p) => p.stop()));
          await actThread?.close();
          await embedded.stop();
          return { drained };
        })();
        return stopping;
      },
    };
  } catch (error) {
    await Promise.all(pollers.map((p) => p.stop()));
    await actThread?.close();
    await server?.close();
    await embedded.stop();
    throw error;
  }
};

export type { DecisionSummary, LogLevel, Pipeline, PipelineOptions, QueueDepth };
export { observed, startPipeline };
