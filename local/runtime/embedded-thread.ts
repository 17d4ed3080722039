import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { interceptLocalhostDns } from 'fauxqs';
import { clientConfig, type Embedded, type EmbeddedOptions } from '../embedded';

/**
 * `startEmbedded()` on a worker thread: dynalite and fauxqs serve from there, while this thread
 * gets SDK clients pointed at them, so the same `Embedded` shape comes back. Everything the
 * servers do (parsing, validation, LevelDB) then runs in parallel with the handlers.
 */

type Ready = Pick<Embedded, 'dynamoEndpoint' | 'sqsEndpoint' | 'tableNames' | 'queues' | 'env'>;

type WorkerMessage =
  | ({ readonly type: 'ready' } & Ready)
  | {
      readonly type: 'failed';
      readonly name: string;
      readonly message: string;
      readonly code?: unknown;
    }
  | { readonly type: 'stopped'; readonly error?: string };

class EmbeddedThreadError extends Error {
  override readonly name = 'EmbeddedThreadError';
  readonly code: unknown;
  constructor(message: string, code?: unknown) {
    super(message);
    this.code = code;
  }
}

let dnsIntercepted = false;

interface ThreadHooks {
  /** The servers' thread failed after start-up: every later request will fail. Name only. */
  readonly onCrash?: (errorName: string) => void;
}

const startEmbeddedThread = async (
  options: EmbeddedOptions = {},
  hooks: ThreadHooks = {},
): Promise<Embedded> => {
  if (!dnsIntercepted) {
    // Queue URLs are `sqs.<region>.localhost`: resolved to loopback on this thread too.
    interceptLocalhostDns();
    dnsIntercepted = true;
  }
  // The entry registers tsx on the worker's thread, whatever started this process.
  const worker = new Worker(new URL('./embedded-worker.mjs', import.meta.url), {
    workerData: { options },
    stdout: false,
    stderr: false,
  });
  const messages: WorkerMessage[] = [];
  const waiters: ((m: WorkerMessage) => void)[] = [];
  worker.on('message', (m: WorkerMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else messages.push(m);
  });
  let ready = false;
  let exited = false;
  // Always listened to: an unhandled worker 'error' would take this whole process down.
  worker.on('error', (error) => {
    if (ready) hooks.onCrash?.(error instanceof Error ? error.name : 'Error');
  });
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      if (exited) return reject(new EmbeddedThreadError('embedded servers thread exited'));
      waiters.push(resolve);
      worker.once('error', (error) => reject(error));
      exit.then(() => reject(new EmbeddedThreadError('embedded servers thread exited')));
    });

  const first = await next();
  if (first.type !== 'ready') {
    await worker.terminate();
    const detail =
      first.type === 'failed' ? first : { message: 'unexpected message', code: undefined };
    throw new EmbeddedThreadError(detail.message, detail.code);
  }
  ready = true;
  const dynamo = new DynamoDBClient(clientConfig(first.dynamoEndpoint));
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient(clientConfig(first.sqsEndpoint));
  let stopping: Promise<void> | undefined;
  return {
    dynamoEndpoint: first.dynamoEndpoint,
    sqsEndpoint: first.sqsEndpoint,
    dynamo,
    doc,
    sqs,
    tableNames: first.tableNames,
    queues: first.queues,
    env: first.env,
    stop() {
      stopping ??= (async () => {
        dynamo.destroy();
        sqs.destroy();
        worker.postMessage('stop');
        await Promise.race([next().catch(() => undefined), exit]);
        await worker.terminate();
      })();
      return stopping;
    },
  };
};

export type { ThreadHooks };
export { EmbeddedThreadError, startEmbeddedThread };
