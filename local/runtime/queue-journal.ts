import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * A write-ahead journal of the embedded SQS queues, so that `npm start` loses no acknowledged comment
 * when the process dies (kill -9, a forced Ctrl-C, a crash): every message a queue accepts is written
 * here before fauxqs answers the SendMessage call, every deletion after it, and at the next start
 * the messages still live are put back in their queues. In AWS, SQS itself is durable; this gives
 * the local queues the same property.
 *
 * One JSON line per event, appended with a `write` system call before the queue answers: a killed
 * process cannot lose it (the kernel holds it), only a power cut could. The file holds raw comment
 * text about as long as SQS would (while the message waits in a queue or its DLQ, within the
 * queue's retention): it is rewritten with the live messages only whenever consumed ones dominate,
 * within `compactAfterMs` of any deletion (so a message deleted after processing, or by a
 * data-subject erasure, leaves the disk within seconds), and at every start and clean stop; it is
 * readable by its owner only.
 */

/** The fauxqs message fields a journal keeps (standard queues). */
interface JournalMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  readonly delayUntil?: number;
  readonly approximateReceiveCount?: number;
  readonly [field: string]: unknown;
}

type JournalEvent =
  | { readonly op: 'put'; readonly queue: string; readonly message: JournalMessage }
  | { readonly op: 'del'; readonly id: string };

interface LiveEntry {
  readonly queue: string;
  readonly line: string;
  readonly message: JournalMessage;
}

interface ReplaySummary {
  /** Messages put back, per queue name. */
  readonly restored: Readonly<Record<string, number>>;
  /** Messages past their queue's retention, or of a queue that no longer exists: dropped. */
  readonly dropped: number;
  /** Lines that could not be read (a line cut short by the kill, typically the last). */
  readonly unreadable: number;
}

interface QueueJournal {
  /** Records a message a queue accepted (a send, or a move to a dead-letter queue). */
  put(queue: string, message: JournalMessage): void;
  /** Records that a message left its queue for good (deleted after processing, or purged). */
  remove(messageId: string): void;
  /**
   * Reads what the last run left: the live messages, each with its queue, in the order they were
   * sent. `restore` puts one back (without journalling it again) and answers false when its queue
   * does not exist any more. Rewrites the file with what was restored.
   */
  replay(
    restore: (queue: string, message: JournalMessage) => boolean,
    retentionMs: (queue: string) => number | undefined,
    now?: number,
  ): ReplaySummary;
  /** Live messages in the journal now. */
  live(): number;
  /** Rewrites the file with the live messages only and closes it. */
  close(): void;
}

/** Rewrite once consumed entries outnumber live ones this many times (and there are enough of them). */
const COMPACT_RATIO = 4;
const COMPACT_MIN_DEAD = 2_000;
/** Longest a deleted message's text stays in the file. */
const COMPACT_AFTER_MS = 5_000;

interface JournalOptions {
  /** Longest a deleted message's text stays in the file; default 5 s. */
  readonly compactAfterMs?: number;
}

const openJournal = (path: string, options: JournalOptions = {}): QueueJournal => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const live = new Map<string, LiveEntry>();
  let dead = 0;
  let fd: number | undefined = openSync(path, 'a', 0o600);
  let sweep: NodeJS.Timeout | undefined;

  const append = (line: string): void => {
    if (fd === undefined) return;
    writeSync(fd, `${line}\n`);
  };

  /** The live messages alone, written to a new file that then replaces the journal. */
  const compact = (): void => {
    const next = `${path}.next`;
    const out = openSync(next, 'w', 0o600);
    try {
      const lines = [...live.values()].map((e) => e.line);
      if (lines.length > 0) writeSync(out, `${lines.join('\n')}\n`);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(next, path);
    if (fd !== undefined) closeSync(fd);
    fd = openSync(path, 'a', 0o600);
    dead = 0;
    if (sweep) clearTimeout(sweep);
    sweep = undefined;
  };

  const maybeCompact = (): void => {
    if (dead >= COMPACT_MIN_DEAD && dead > live.size * COMPACT_RATIO) compact();
    else if (dead > 0 && !sweep && fd !== undefined) {
      // One rewrite per window, however many deletions it saw: the cost stays that of the live set.
      sweep = setTimeout(() => {
        sweep = undefined;
        if (fd !== undefined && dead > 0) compact();
      }, options.compactAfterMs ?? COMPACT_AFTER_MS);
      sweep.unref();
    }
  };

  const readEvents = (): { events: JournalEvent[]; unreadable: number } => {
    if (!existsSync(path)) return { events: [], unreadable: 0 };
    const events: JournalEvent[] = [];
    let unreadable = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim().length === 0) continue;
      try {
        const event = JSON.parse(line) as JournalEvent;
        if (event.op === 'put' && typeof event.message?.messageId === 'string') events.push(event);
        else if (event.op === 'del' && typeof event.id === 'string') events.push(event);
        else unreadable++;
      } catch {
        unreadable++;
      }
    }
    return { events, unreadable };
  };

  return {
    put(queue, message) {
      const line = JSON.stringify({ op: 'put', queue, message } satisfies JournalEvent);
      append(line);
      // A move to a dead-letter queue keeps the message id: the newer entry replaces the older.
      const moved = live.has(message.messageId);
      live.set(message.messageId, { queue, line, message });
      if (moved) {
        dead++;
        maybeCompact();
      }
    },
    remove(messageId) {
      if (!live.delete(messageId)) return;
      append(JSON.stringify({ op: 'del', id: messageId } satisfies JournalEvent));
      dead += 2;
      maybeCompact();
    },
    replay(restore, retentionMs, now = Date.now()) {
      const { events, unreadable } = readEvents();
      const found = new Map<string, { queue: string; message: JournalMessage }>();
      for (const event of events) {
        if (event.op === 'put') {
          found.delete(event.message.messageId);
          found.set(event.message.messageId, { queue: event.queue, message: event.message });
        } else {
          found.delete(event.id);
        }
      }
      const restored: Record<string, number> = {};
      let dropped = 0;
      live.clear();
      for (const { queue, message } of found.values()) {
        const retention = retentionMs(queue);
        const expired = retention !== undefined && message.sentTimestamp + retention <= now;
        if (expired || !restore(queue, message)) {
          dropped++;
          continue;
        }
        restored[queue] = (restored[queue] ?? 0) + 1;
        const line = JSON.stringify({ op: 'put', queue, message } satisfies JournalEvent);
        live.set(message.messageId, { queue, line, message });
      }
      compact();
      return { restored, dropped, unreadable };
    },
    live: () => live.size,
    close() {
      if (fd === undefined) return;
      compact();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
};

export type { JournalMessage, JournalOptions, QueueJournal, ReplaySummary };
export { openJournal };
