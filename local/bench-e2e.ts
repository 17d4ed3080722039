import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_COMMENTS } from './demo-comments';
import { postDelivery } from './runtime/client';
import { localSettings } from './runtime/defaults';
import { deliveryBody, type LocalComment, localCommentId } from './runtime/meta-delivery';
import { type Pipeline, startPipeline } from './runtime/pipeline';

/**
 * End-to-end figures for `npm run bench` (keys in DESIGN.md), measured through HTTP against the
 * whole local pipeline in this process (embedded DynamoDB and SQS, real handlers):
 * - `ingest_ack_p50_ms` / `ingest_ack_p99_ms`: signed single-comment deliveries, one at a time,
 *   request sent → 200 received, while the rest of the pipeline works on what came before;
 * - `ingest_batch1000_ms`: a 1000-change delivery acknowledged (median of 3). Each meets an idle
 *   pipeline with its consumers paused: in AWS the classify function runs elsewhere and does not
 *   share the webhook's event loop, which here it would;
 * - `e2e_comments_per_s`: comments posted in 100-change deliveries, first request → every decision
 *   written and both queues drained (act stage included); `e2e_lost`: comments acknowledged but
 *   without a decision once the queues are drained.
 * A benchmark reports; it never fails on a number.
 */

interface EndToEndFigures {
  readonly ingest_ack_p50_ms: number;
  readonly ingest_ack_p99_ms: number;
  readonly ingest_batch1000_ms: number;
  readonly e2e_comments_per_s: number;
  readonly e2e_lost: number;
  /** Process CPU (every thread) per comment during the sustained run: the cost behind the rate. */
  readonly e2e_cpu_ms_per_comment: number;
}

interface BenchOptions {
  readonly singles?: number;
  readonly comments?: number;
  readonly deliverySize?: number;
  /** Deliveries in flight at once, as Meta sends several batches concurrently. */
  readonly senders?: number;
  /** Concurrent classify batches; see `PipelineOptions.classifyConcurrency`. */
  readonly classifyConcurrency?: number;
  /** See `PipelineOptions.serversOnMainThread`. */
  readonly serversOnMainThread?: boolean;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
};

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

let textIndex = 0;
/** Realistic texts, varied so that no two comments are identical. */
const nextComment = (): LocalComment => {
  const demo = DEMO_COMMENTS[textIndex++ % DEMO_COMMENTS.length];
  return {
    commentId: localCommentId(),
    text: `${demo?.text ?? '夕日がきれい'} ${textIndex}`,
    from: { id: `1784140${String(textIndex).padStart(10, '0')}`, username: demo?.username ?? 'u' },
  };
};

/** Ids among `ids` that have no decision in the table. */
const missingDecisions = async (pipeline: Pipeline, ids: readonly string[]): Promise<number> => {
  const table = pipeline.embedded.tableNames.decisions;
  let missing = 0;
  for (let i = 0; i < ids.length; i += 100) {
    let keys = ids.slice(i, i + 100).map((commentId) => ({ commentId }));
    let found = 0;
    for (let attempt = 0; keys.length > 0 && attempt < 10; attempt++) {
      const out = await pipeline.embedded.doc.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'commentId' } },
        }),
      );
      found += out.Responses?.[table]?.length ?? 0;
      keys = (out.UnprocessedKeys?.[table]?.Keys ?? []) as { commentId: string }[];
    }
    missing += Math.min(100, ids.length - i) - found;
  }
  return missing;
};

const benchEndToEnd = async (options: BenchOptions = {}): Promise<EndToEndFigures> => {
  const singles = options.singles ?? 300;
  const total = options.comments ?? 3000;
  const size = options.deliverySize ?? 100;
  const senders = options.senders ?? 4;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  let watching: Set<string> | undefined;
  let decided = 0;
  const settings = { ...localSettings({}), port: 0 };
  const secret = settings.appSecrets[0] ?? '';
  const pipeline = await startPipeline({
    settings,
    logLevel: 'SILENT',
    ...(options.serversOnMainThread ? { serversOnMainThread: true } : {}),
    ...(options.classifyConcurrency ? { classifyConcurrency: options.classifyConcurrency } : {}),
    onDecision: (d) => {
      if (watching?.has(d.commentId)) decided++;
    },
  });
  try {
    const send = async (comments: readonly LocalComment[]) => {
      const ack = await postDelivery(
        `http://127.0.0.1:${pipeline.port}`,
        deliveryBody(comments),
        secret,
      );
      if (ack.status !== 200) throw new Error(`delivery answered ${ack.status}`);
      return ack.ms;
    };

    // Warm-up: JIT, connection pool, classifier caches.
    for (let i = 0; i < 30; i++) await send([nextComment()]);
    await send(Array.from({ length: 200 }, nextComment));
    await pipeline.drain(60_000);

    const acks: number[] = [];
    for (let i = 0; i < singles; i++) acks.push(await send([nextComment()]));

    // Each large delivery meets an idle pipeline, as the webhook function would in AWS: the
    // classify backlog of the previous one is not on its clock.
    const batchTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pipeline.drain(120_000);
      await pipeline.pauseConsumers();
      batchTimes.push(await send(Array.from({ length: 1000 }, nextComment)));
      pipeline.resumeConsumers();
    }
    await pipeline.drain(120_000);

    const comments = Array.from({ length: total }, nextComment);
    const ids = comments.map((c) => c.commentId);
    watching = new Set(ids);
    decided = 0;
    const deliveries: LocalComment[][] = [];
    for (let i = 0; i < comments.length; i += size) deliveries.push(comments.slice(i, i + size));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next++];
          if (delivery) await send(delivery);
        }
      }),
    );
    const deadline = Date.now() + 300_000;
    while (decided < total && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // The whole pipeline: every decision written and every action settled by the act stage.
    await pipeline.drain(60_000);
    const elapsedS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const lost = await missingDecisions(pipeline, ids);
    return {
      ingest_ack_p50_ms: round(percentile(acks, 50)),
      ingest_ack_p99_ms: round(percentile(acks, 99)),
      ingest_batch1000_ms: round(percentile(batchTimes, 50)),
      e2e_comments_per_s: Math.round(decided / elapsedS),
      e2e_lost: lost,
      e2e_cpu_ms_per_comment: round((cpu.user + cpu.system) / 1000 / Math.max(1, decided), 2),
    };
  } finally {
    await pipeline.stop();
  }
};

export type { BenchOptions, EndToEndFigures };
export { benchEndToEnd };
