import type { Embedded } from '../embedded';
import type { LogLevel } from './act-stage';
import { EMPTY_STATS, type Poller, type PollerStats } from './sqs-poller';
import { openChannel, WorkerThreadError } from './worker-channel';

/**
 * The local act stage (`act-stage.ts`) on its own thread: with the handlers of the classify stage,
 * the webhook and the read API on the pipeline's thread, one thread could not keep up with both
 * stages, while the embedded servers' thread leaves the second core half idle. In AWS the act
 * function runs apart from the classify function anyway. The thread builds its own SDK clients for
 * the embedded endpoints; this side sees a `Poller` whose stats the thread pushes as they change.
 */

interface ActThreadInput {
  readonly endpoints: Pick<Embedded, 'dynamoEndpoint' | 'sqsEndpoint' | 'tableNames' | 'queues'>;
  readonly concurrency: number;
  readonly logLevel: LogLevel;
}

/** Messages from the act thread. */
type ActThreadMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly name: string; readonly message: string }
  | { readonly type: 'stats'; readonly stats: PollerStats }
  | { readonly type: 'stopped'; readonly stats: PollerStats }
  | { readonly type: 'error'; readonly stage: string; readonly name: string };

/** Requests to the act thread. */
type ActThreadRequest = { readonly type: 'start' } | { readonly type: 'stop' };

interface ActThreadHooks {
  /** Poller faults (stage and error name), and `thread` if the thread itself failed. */
  readonly onError: (stage: string, errorName: string) => void;
}

interface ActThread extends Poller {
  /** Ends the thread; stop the poller first to let the batches in flight settle. */
  close(): Promise<void>;
}

const startActThread = async (input: ActThreadInput, hooks: ActThreadHooks): Promise<ActThread> => {
  let stats = EMPTY_STATS;
  const channel = openChannel<ActThreadMessage>({
    entry: './act-worker.ts',
    // Only what a thread can receive: the clients and callbacks stay on this side.
    data: {
      input: {
        endpoints: {
          dynamoEndpoint: input.endpoints.dynamoEndpoint,
          sqsEndpoint: input.endpoints.sqsEndpoint,
          tableNames: input.endpoints.tableNames,
          queues: input.endpoints.queues,
        },
        concurrency: input.concurrency,
        logLevel: input.logLevel,
      } satisfies ActThreadInput,
    },
    onPush: (m) => {
      if (m.type === 'stats') stats = m.stats;
      else if (m.type === 'error') hooks.onError(m.stage, m.name);
      else return false;
      return true;
    },
    onError: (name) => hooks.onError('thread', name),
  });
  const first = await channel.next();
  if (first.type !== 'ready') {
    await channel.worker.terminate();
    throw new WorkerThreadError(first.type === 'failed' ? first.message : 'unexpected message');
  }
  const send = (request: ActThreadRequest) => channel.worker.postMessage(request);
  let stopping: Promise<void> | undefined;
  return {
    start() {
      stopping = undefined;
      send({ type: 'start' });
    },
    stop() {
      stopping ??= (async () => {
        send({ type: 'stop' });
        for (;;) {
          const m = await channel.next().catch(() => undefined);
          if (m === undefined) return; // the thread is gone: nothing is in flight any more
          if (m.type === 'stopped') {
            stats = m.stats;
            return;
          }
        }
      })();
      return stopping;
    },
    stats: () => stats,
    async close() {
      await channel.worker.terminate();
    },
  };
};

export type { ActThread, ActThreadInput, ActThreadMessage, ActThreadRequest };
export { startActThread };
