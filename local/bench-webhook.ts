import { pathToFileURL } from 'node:url';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { createSqsCommentQueue } from '../lambdas/adapters/sqs-comment-queue';
import { staticWebhookSecrets } from '../lambdas/adapters/webhook-secrets';
import { createWebhookHandler, type WebhookLogger } from '../lambdas/handlers/webhook';
import { commentBatch, deliveryBody, signedPost } from '../test/support/webhook-fixtures';
import { type Embedded, startEmbedded } from './embedded';

/**
 * Webhook ingestion figures: a signed delivery through the real handler (signature, parsing,
 * SendMessageBatch) into the embedded SQS, timed from the call until the handler answers. No HTTP
 * server in between: these are handler-level figures. Numbers only, never a pass/fail verdict.
 */

interface IngestBenchmark {
  /** Median over several runs: one signed delivery of 1000 comment changes, acknowledged 200. */
  readonly ingest_batch1000_ms: number;
  /** Single-change deliveries, handler-level acknowledgement latency. */
  readonly ingest_ack_p50_ms: number;
  readonly ingest_ack_p99_ms: number;
}

interface IngestBenchmarkOptions {
  /** Reuse a running embedded runtime; otherwise one is started and stopped. */
  readonly embedded?: Embedded;
  readonly batchRuns?: number;
  readonly ackRuns?: number;
}

const SECRET = 'bench-app-secret';

const silent: WebhookLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const round = (ms: number) => Math.round(ms * 100) / 100;

const benchIngest = async (options: IngestBenchmarkOptions = {}): Promise<IngestBenchmark> => {
  const embedded = options.embedded ?? (await startEmbedded({ prefix: `bench-${process.pid}` }));
  // A queue of its own, so a running pipeline sharing the runtime never sees benchmark messages.
  const created = await embedded.sqs.send(
    new CreateQueueCommand({ QueueName: `bench-webhook-${process.pid}-${Date.now()}` }),
  );
  const queueUrl = created.QueueUrl ?? '';
  try {
    const handler = createWebhookHandler({
      queue: createSqsCommentQueue({ client: embedded.sqs, queueUrl }),
      secrets: staticWebhookSecrets({ appSecrets: [SECRET], verifyToken: 'bench' }),
      logger: silent,
    });
    const timed = async (changes: number): Promise<number> => {
      const event = signedPost(deliveryBody(commentBatch(changes)), SECRET);
      const started = performance.now();
      const response = await handler(event);
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) {
        throw new Error(`benchmark delivery answered ${response.statusCode}`);
      }
      return elapsed;
    };

    for (let i = 0; i < 2; i++) await timed(1000); // warm-up: JIT, connections
    const batch: number[] = [];
    for (let i = 0; i < (options.batchRuns ?? 5); i++) batch.push(await timed(1000));
    const ack: number[] = [];
    for (let i = 0; i < (options.ackRuns ?? 200); i++) ack.push(await timed(1));

    return {
      ingest_batch1000_ms: round(percentile(batch, 50)),
      ingest_ack_p50_ms: round(percentile(ack, 50)),
      ingest_ack_p99_ms: round(percentile(ack, 99)),
    };
  } finally {
    await embedded.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    if (!options.embedded) await embedded.stop();
  }
};

// `npx tsx local/bench-webhook.ts` prints the figures as JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchIngest().then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}

export type { IngestBenchmark, IngestBenchmarkOptions };
export { benchIngest };
