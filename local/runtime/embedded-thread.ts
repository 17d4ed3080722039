import { interceptLocalhostDns } from 'fauxqs';
import { createClients, type Embedded, type EmbeddedOptions } from '../embedded';
import { openChannel, WorkerThreadError } from './worker-channel';

/**
 * `startEmbedded()` on a worker thread: dynalite and fauxqs serve from there, while this thread
 * gets SDK clients pointed at them, so the same `Embedded` shape comes back. Everything the
 * servers do (parsing, validation, LevelDB) then runs in parallel with the handlers.
 */

type Ready = Pick<
  Embedded,
  'dynamoEndpoint' | 'sqsEndpoint' | 'tableNames' | 'queues' | 'env' | 'recovered'
>;

type WorkerMessage =
  | ({ readonly type: 'ready' } & Ready)
  | {
      readonly type: 'failed';
      readonly name: string;
      readonly message: string;
      readonly code?: unknown;
    }
  | { readonly type: 'stopped'; readonly error?: string };

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
  let ready = false;
  const channel = openChannel<WorkerMessage>({
    entry: './embedded-worker.ts',
    data: { options },
    onError: (name) => {
      if (ready) hooks.onCrash?.(name);
    },
  });
  const first = await channel.next();
  if (first.type !== 'ready') {
    await channel.worker.terminate();
    const detail =
      first.type === 'failed' ? first : { message: 'unexpected message', code: undefined };
    throw new WorkerThreadError(detail.message, detail.code);
  }
  ready = true;
  const clients = createClients(first.dynamoEndpoint, first.sqsEndpoint);
  let stopping: Promise<void> | undefined;
  return {
    dynamoEndpoint: first.dynamoEndpoint,
    sqsEndpoint: first.sqsEndpoint,
    dynamo: clients.dynamo,
    doc: clients.doc,
    sqs: clients.sqs,
    tableNames: first.tableNames,
    queues: first.queues,
    env: first.env,
    recovered: first.recovered,
    stop() {
      stopping ??= (async () => {
        clients.destroy();
        channel.worker.postMessage('stop');
        await Promise.race([channel.next().catch(() => undefined), channel.exit]);
        await channel.worker.terminate();
      })();
      return stopping;
    },
  };
};

export type { ThreadHooks };
export { startEmbeddedThread };
