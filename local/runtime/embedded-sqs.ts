import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from 'fauxqs';
import { isLoopbackHost, LOOPBACK_ADDRESS } from './loopback';
import { type JournalMessage, openJournal, type ReplaySummary } from './queue-journal';

/**
 * fauxqs, the embedded SQS, on the loopback interface. Its `startFauxqs()` always listens on
 * 0.0.0.0, which would let any machine on the network read queue messages (raw comment text), so
 * the app is built with its exported `buildApp()` and listened on here instead. Two additions on
 * top: requests must name a loopback host (DNS rebinding), and an optional journal makes the
 * queues survive the process (`queue-journal.ts`).
 */

/** The parts of fauxqs's internal queue this module uses (fauxqs 1.9.2, pinned). */
interface FauxqsQueue {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly inflightMessages: Map<string, { readonly message: JournalMessage }>;
  readonly messages: JournalMessage[];
  readonly delayedMessages: JournalMessage[];
  isFifo(): boolean;
  enqueue(message: JournalMessage): void;
  deleteMessage(receiptHandle: string): boolean;
  purge(): void;
}

interface FauxqsStore {
  createQueue(name: string, ...rest: unknown[]): FauxqsQueue;
  getQueueByName(name: string): FauxqsQueue | undefined;
}

/**
 * fauxqs does not export its store, and its package `exports` hide the file, so it is loaded by
 * path next to the package's entry point. A fauxqs upgrade that moves it fails here, at start-up.
 */
const loadStoreClass = async (): Promise<new () => FauxqsStore> => {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths('fauxqs') ?? []) {
    const file = join(dir, 'fauxqs', 'dist', 'sqs', 'sqsStore.js');
    if (existsSync(file)) {
      const module = (await import(pathToFileURL(file).href)) as {
        SqsStore: new () => FauxqsStore;
      };
      return module.SqsStore;
    }
  }
  throw new Error('fauxqs: dist/sqs/sqsStore.js not found (was fauxqs upgraded?)');
};

interface EmbeddedSqsOptions {
  /** Journal file; omit for queues that live in memory only. */
  readonly journalPath?: string;
}

interface EmbeddedSqs {
  readonly endpoint: string;
  readonly port: number;
  /**
   * Puts back what the journal holds from the last run. Call once, after the queues exist and
   * before anything consumes them. Without a journal, restores nothing.
   */
  restore(): ReplaySummary;
  stop(): Promise<void>;
}

/** Journals every message a standard queue takes in and every message that leaves it for good. */
const journalled = (queue: FauxqsQueue, journal: ReturnType<typeof openJournal>): void => {
  if (queue.isFifo()) return;
  const enqueue = queue.enqueue.bind(queue);
  const deleteMessage = queue.deleteMessage.bind(queue);
  const purge = queue.purge.bind(queue);
  queue.enqueue = (message) => {
    journal.put(queue.name, message);
    enqueue(message);
  };
  queue.deleteMessage = (receiptHandle) => {
    const id = queue.inflightMessages.get(receiptHandle)?.message.messageId;
    const deleted = deleteMessage(receiptHandle);
    if (deleted && id !== undefined) journal.remove(id);
    return deleted;
  };
  queue.purge = () => {
    const ids = [
      ...queue.messages.map((m) => m.messageId),
      ...queue.delayedMessages.map((m) => m.messageId),
      ...[...queue.inflightMessages.values()].map((e) => e.message.messageId),
    ];
    purge();
    for (const id of ids) journal.remove(id);
  };
};

const startEmbeddedSqs = async (options: EmbeddedSqsOptions = {}): Promise<EmbeddedSqs> => {
  const SqsStore = await loadStoreClass();
  const store = new SqsStore();
  const journal = options.journalPath ? openJournal(options.journalPath) : undefined;
  if (journal) {
    const createQueue = store.createQueue.bind(store);
    store.createQueue = (name, ...rest) => {
      const queue = createQueue(name, ...rest);
      journalled(queue, journal);
      return queue;
    };
  }
  // The other two stores are optional in practice; fauxqs builds its own when they are absent.
  const app = buildApp({
    logger: false,
    stores: { sqsStore: store } as unknown as NonNullable<Parameters<typeof buildApp>[0]>['stores'],
  });
  let port = 0;
  // fauxqs queue URLs name `sqs.<region>.localhost` (resolved to loopback by interceptLocalhostDns).
  const fauxqsNames = [/^sqs\.[a-z0-9-]+\.localhost$/];
  app.addHook(
    'onRequest',
    (
      request: { readonly headers: { readonly host?: string } },
      reply: { code(status: number): { send(body: unknown): unknown } },
      done: () => void,
    ) => {
      if (isLoopbackHost(request.headers.host, port, fauxqsNames)) return done();
      reply.code(403).send({ error: 'forbidden', message: 'Only loopback host names are served.' });
    },
  );
  await app.listen({ port: 0, host: LOOPBACK_ADDRESS });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  let restored = false;
  return {
    endpoint: `http://${LOOPBACK_ADDRESS}:${port}`,
    port,
    restore() {
      if (!journal || restored) return { restored: {}, dropped: 0, unreadable: 0 };
      restored = true;
      return journal.replay(
        (name, message) => {
          const queue = store.getQueueByName(name);
          if (!queue) return false;
          // Put back without journalling it again: replay rewrites the journal itself.
          Object.getPrototypeOf(queue).enqueue.call(queue, { ...message });
          return true;
        },
        (name) => {
          const seconds = Number(store.getQueueByName(name)?.attributes.MessageRetentionPeriod);
          return Number.isFinite(seconds) ? seconds * 1000 : undefined;
        },
      );
    },
    async stop() {
      await app.close();
      journal?.close();
    },
  };
};

export type { EmbeddedSqs, EmbeddedSqsOptions };
export { startEmbeddedSqs };
