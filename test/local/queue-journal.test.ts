import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { interceptLocalhostDns } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientConfig } from '../../local/embedded';
import { type EmbeddedSqs, startEmbeddedSqs } from '../../local/runtime/embedded-sqs';
import { openJournal } from '../../local/runtime/queue-journal';
import { getWithHost } from '../support/with-host';

/**
 * The queue journal against the real fauxqs through the real SDK: whatever a run leaves in its
 * queues (sent and not deleted, wherever redrive moved it) is exactly what the next run finds,
 * whether the first one stopped cleanly or was abandoned mid-way as a kill would leave it.
 */

let dir: string;
beforeAll(() => {
  interceptLocalhostDns();
  dir = mkdtempSync(join(tmpdir(), 'queue-journal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Queues {
  readonly sqs: SQSClient;
  readonly main: string;
  readonly dlq: string;
}

const open = async (server: EmbeddedSqs): Promise<Queues> => {
  const sqs = new SQSClient(clientConfig(server.endpoint));
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'j-dlq' }))).QueueUrl ?? '';
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const main =
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'j-main',
          Attributes: {
            // Visible again at once, so a receive without a delete is a failed attempt.
            VisibilityTimeout: '0',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
          },
        }),
      )
    ).QueueUrl ?? '';
  return { sqs, main, dlq };
};

/** Every message in a queue, read with a long visibility so each is seen once. */
const drainAll = async (sqs: SQSClient, url: string): Promise<Message[]> => {
  const out: Message[] = [];
  for (;;) {
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (!got.Messages?.length) return out;
    out.push(...got.Messages);
  }
};

type Op =
  | { readonly kind: 'send'; readonly bodies: readonly string[] }
  | { readonly kind: 'consume'; readonly max: number; readonly keep: readonly boolean[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    bodies: fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 10 }),
  }),
  fc.record({
    kind: fc.constant('consume' as const),
    max: fc.integer({ min: 1, max: 10 }),
    // false: the handler "fails" (no delete); the message comes back and, twice failed, goes to the DLQ.
    keep: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
  }),
);

const printable = (s: string) =>
  // SQS refuses some control characters in bodies; the journal is not what is tested there.
  s.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/g, '?');

describe('queue journal (embedded SQS survives its process)', () => {
  it('restores exactly the messages sent and not deleted, whatever redrive did (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        async (ops, clean) => {
          const journalPath = join(dir, `run-${run++}`, 'journal.jsonl');
          const first = await startEmbeddedSqs({ journalPath });
          const a = await open(first);
          first.restore();
          const live = new Map<string, string>();
          for (const o of ops) {
            if (o.kind === 'send') {
              const bodies = o.bodies.map(printable);
              const sent = await a.sqs.send(
                new SendMessageBatchCommand({
                  QueueUrl: a.main,
                  Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })),
                }),
              );
              for (const ok of sent.Successful ?? []) {
                live.set(ok.MessageId ?? '', bodies[Number(ok.Id)] ?? '');
              }
            } else {
              const got = await a.sqs.send(
                new ReceiveMessageCommand({ QueueUrl: a.main, MaxNumberOfMessages: o.max }),
              );
              const done = (got.Messages ?? []).filter((_, i) => o.keep[i] === true);
              if (done.length > 0) {
                await a.sqs.send(
                  new DeleteMessageBatchCommand({
                    QueueUrl: a.main,
                    Entries: done.map((m, i) => ({
                      Id: String(i),
                      ReceiptHandle: m.ReceiptHandle,
                    })),
                  }),
                );
                for (const m of done) live.delete(m.MessageId ?? '');
              }
            }
          }
          a.sqs.destroy();
          // A clean stop compacts and closes; otherwise the process is simply gone (kill -9).
          if (clean) await first.stop();

          const second = await startEmbeddedSqs({ journalPath });
          const b = await open(second);
          const summary = second.restore();
          const found = [...(await drainAll(b.sqs, b.main)), ...(await drainAll(b.sqs, b.dlq))];
          expect(new Map(found.map((m) => [m.MessageId, m.Body]))).toEqual(live);
          expect(found.length).toBe(live.size);
          expect(summary.unreadable).toBe(0);
          b.sqs.destroy();
          await second.stop();
          if (!clean) await first.stop();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('skips a last line cut short by a kill, drops what outlived its retention, stays private', async () => {
    const journalPath = join(dir, 'torn', 'journal.jsonl');
    const first = await startEmbeddedSqs({ journalPath });
    const a = await open(first);
    first.restore();
    await a.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: a.main,
        Entries: [
          { Id: '0', MessageBody: 'kept' },
          { Id: '1', MessageBody: 'also kept' },
        ],
      }),
    );
    a.sqs.destroy();
    appendFileSync(journalPath, '{"op":"put","queue":"j-main","message":{"messageId":"x","bo');
    expect(statSync(journalPath).mode & 0o777).toBe(0o600);

    const second = await startEmbeddedSqs({ journalPath });
    const b = await open(second);
    const summary = second.restore();
    expect(summary).toEqual({ restored: { 'j-main': 2 }, dropped: 0, unreadable: 1 });
    expect((await drainAll(b.sqs, b.main)).map((m) => m.Body).sort()).toEqual([
      'also kept',
      'kept',
    ]);
    b.sqs.destroy();
    await second.stop();
    await first.stop();

    // A message older than its queue's retention (4 days by default here) is not brought back.
    const old = JSON.stringify({
      op: 'put',
      queue: 'j-main',
      message: { messageId: 'old', body: 'stale', sentTimestamp: Date.now() - 5 * 86_400_000 },
    });
    appendFileSync(journalPath, `${old}\n`);
    const third = await startEmbeddedSqs({ journalPath });
    const c = await open(third);
    expect(third.restore().dropped).toBe(1);
    c.sqs.destroy();
    await third.stop();
    // After a clean stop with the queues drained above, nothing of the text is left on disk.
    expect(readFileSync(journalPath, 'utf8')).not.toContain('stale');
  });

  it('listens on loopback only and refuses other host names', async () => {
    const server = await startEmbeddedSqs();
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const refused = await getWithHost(server.port, '/health', `rebound.example:${server.port}`);
    expect(refused.status).toBe(403);
    const inspect = await getWithHost(server.port, '/_fauxqs/queues', `evil:${server.port}`);
    expect(inspect.status).toBe(403);
    expect((await fetch(`${server.endpoint}/health`)).status).toBe(200);
    await server.stop();
  });
});

describe('queue journal: what leaves a queue leaves the disk', () => {
  const message = (id: string, body: string) => ({ messageId: id, body, sentTimestamp: 1 });

  it('rewrites the file without a deleted message within the window, keeping live ones and moves', () => {
    vi.useFakeTimers();
    try {
      const path = join(dir, `window-${Date.now()}.jsonl`);
      const journal = openJournal(path, { compactAfterMs: 1_000 });
      journal.put('main', message('a', 'erased-text-ア'));
      journal.put('main', message('b', 'kept-text-イ'));
      journal.put('main', message('c', 'moved-text-ウ'));
      journal.put('dlq', message('c', 'moved-text-ウ'));
      journal.remove('a');
      // Deleted, not yet rewritten: the text is still in the appended file.
      expect(readFileSync(path, 'utf8')).toContain('erased-text-ア');
      vi.advanceTimersByTime(1_000);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain('erased-text-ア');
      expect(text).toContain('kept-text-イ');
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.queue, l.message.messageId])).toEqual([
        ['main', 'b'],
        ['dlq', 'c'],
      ]);
      expect(journal.live()).toBe(2);
      journal.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never leaves a deleted body on disk past the window, whatever the order of events (property)', () => {
    vi.useFakeTimers();
    try {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.record({ op: fc.constant('put' as const), id: fc.integer({ min: 0, max: 9 }) }),
              fc.record({ op: fc.constant('del' as const), id: fc.integer({ min: 0, max: 9 }) }),
            ),
            { maxLength: 40 },
          ),
          (events) => {
            const path = join(dir, `prop-${Math.random().toString(36).slice(2)}.jsonl`);
            const journal = openJournal(path, { compactAfterMs: 100 });
            const live = new Set<number>();
            const gone = new Set<number>();
            for (const e of events) {
              if (e.op === 'put' && !gone.has(e.id)) {
                journal.put('q', message(`m${e.id}`, `body-${e.id}-本文`));
                live.add(e.id);
              } else if (e.op === 'del' && live.has(e.id)) {
                journal.remove(`m${e.id}`);
                live.delete(e.id);
                gone.add(e.id);
              }
            }
            vi.advanceTimersByTime(100);
            const text = readFileSync(path, 'utf8');
            for (const id of gone) expect(text).not.toContain(`body-${id}-本文`);
            for (const id of live) expect(text).toContain(`body-${id}-本文`);
            journal.close();
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
