import { Worker } from 'node:worker_threads';

/**
 * A worker thread running one of this folder's TypeScript modules (through `worker-entry.mjs`), and
 * the messages it sends: pushed ones go to `onPush` as they come, the others queue up for `next()`
 * (a request's answer, or a start-up report).
 */

interface Message {
  readonly type: string;
}

class WorkerThreadError extends Error {
  override readonly name = 'WorkerThreadError';
  readonly code: unknown;
  constructor(message: string, code?: unknown) {
    super(message);
    this.code = code;
  }
}

interface ChannelOptions<M extends Message> {
  /** Module to run, relative to this folder, e.g. `./act-worker.ts`. */
  readonly entry: string;
  readonly data: Record<string, unknown>;
  /** Takes the messages that are not answers (true when taken). */
  readonly onPush?: (message: M) => boolean;
  /** The thread failed: every later request will fail. Name only. */
  readonly onError?: (errorName: string) => void;
}

interface Channel<M extends Message> {
  readonly worker: Worker;
  /** The next queued message; rejects once the thread is gone. */
  next(): Promise<M>;
  /** Resolves when the thread has exited. */
  readonly exit: Promise<void>;
}

const openChannel = <M extends Message>(options: ChannelOptions<M>): Channel<M> => {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: { entry: options.entry, ...options.data },
    stdout: false,
    stderr: false,
  });
  const queued: M[] = [];
  const waiters: { resolve: (m: M) => void; reject: (e: unknown) => void }[] = [];
  let gone: unknown;
  worker.on('message', (m: M) => {
    if (options.onPush?.(m)) return;
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(m);
    else queued.push(m);
  });
  const fail = (error: unknown) => {
    gone ??= error;
    for (const w of waiters.splice(0)) w.reject(gone);
  };
  // Always listened to: an unhandled worker 'error' would take this whole process down.
  worker.on('error', (error) => {
    options.onError?.(error instanceof Error ? error.name : 'Error');
    fail(error);
  });
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      fail(new WorkerThreadError(`worker ${options.entry} exited`));
      resolve();
    }),
  );
  return {
    worker,
    exit,
    next: () =>
      new Promise<M>((resolve, reject) => {
        const m = queued.shift();
        if (m) return resolve(m);
        if (gone !== undefined) return reject(gone);
        waiters.push({ resolve, reject });
      }),
  };
};

export type { Channel, ChannelOptions };
export { openChannel, WorkerThreadError };
