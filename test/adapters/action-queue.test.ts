import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionQueueError, createActionQueue } from '../../lambdas/adapters/action-queue';
import type { ActionMessage } from '../../lambdas/core/contracts/decision';
import { type Embedded, startEmbedded } from '../../local/embedded';

/**
 * The actions queue coalesces the enqueues of concurrent records into SendMessageBatch requests,
 * against fauxqs through the real SDK. What must hold whatever SQS answers: an enqueue resolves
 * only when its own message is on the queue, every message on the queue belongs to a resolved
 * enqueue, and nothing is sent twice.
 */

let embedded: Embedded;
let queues = 0;
beforeAll(async () => {
  embedded = await startEmbedded();
});
afterAll(async () => {
  await embedded.stop();
});

const freshQueue = async (): Promise<string> => {
  const out = await embedded.sqs.send(new CreateQueueCommand({ QueueName: `aq-${queues++}` }));
  return out.QueueUrl ?? '';
};

const receiveAll = async (queueUrl: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const out = await embedded.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) empty++;
    for (const m of messages) ids.push((JSON.parse(m.Body ?? '{}') as ActionMessage).commentId);
  }
  return ids.sort();
};

const message = (commentId: string): ActionMessage => ({
  commentId,
  accountId: '17841400000000001',
  field: 'comments',
  action: 'hide',
  policyVersion: '2025-08-20.2',
  decidedAt: '2026-11-26T03:00:00.000Z',
});

type Fault = 'ok' | 'entry-refused' | 'entry-unconfirmed';

/**
 * The real client, except that chosen entries are held back and reported as refused (or left out
 * of both lists), and chosen requests fail outright, as SQS does under throttling or an outage.
 */
const faultyClient = (
  faults: (commentId: string) => Fault,
  failRequest: (n: number) => boolean,
) => {
  const stats = { requests: 0 };
  const client = {
    async send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput> {
      const n = stats.requests++;
      if (failRequest(n))
        throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      const entries = command.input.Entries ?? [];
      const fault = (body: string | undefined) =>
        faults((JSON.parse(body ?? '{}') as ActionMessage).commentId);
      const sent = entries.filter((e) => fault(e.MessageBody) === 'ok');
      const out =
        sent.length > 0
          ? await embedded.sqs.send(
              new SendMessageBatchCommand({ QueueUrl: command.input.QueueUrl, Entries: sent }),
            )
          : ({ Successful: [], Failed: [], $metadata: {} } as SendMessageBatchCommandOutput);
      const refused = entries
        .filter((e) => fault(e.MessageBody) === 'entry-refused')
        .map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false }));
      return { ...out, Failed: [...(out.Failed ?? []), ...refused] };
    },
  } as unknown as Pick<SQSClient, 'send'>;
  return { client, stats };
};

describe('actions queue', () => {
  it('puts on the queue exactly the messages whose enqueue resolved, each once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 17n }), { minLength: 1, maxLength: 35 }),
        fc.func(fc.constantFrom<Fault>('ok', 'ok', 'ok', 'entry-refused', 'entry-unconfirmed')),
        fc.func(fc.boolean()),
        async (ids, faultOf, failOf) => {
          const queueUrl = await freshQueue();
          const commentIds = ids.map(String);
          const { client, stats } = faultyClient(faultOf, (n) => failOf(n) && n % 3 === 0);
          const queue = createActionQueue(client, queueUrl);
          const settled = await Promise.allSettled(
            commentIds.map((id) => queue.enqueue(message(id))),
          );
          const resolved = commentIds.filter((_, i) => settled[i]?.status === 'fulfilled').sort();
          expect(await receiveAll(queueUrl)).toEqual(resolved);
          for (const s of settled) {
            if (s.status === 'rejected') {
              expect(['ActionQueueError', 'ThrottlingException']).toContain(
                (s.reason as Error).name,
              );
            }
          }
          // Enqueued in one turn of the event loop: full batches of ten, not one request each.
          expect(stats.requests).toBe(Math.ceil(commentIds.length / 10));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the SQS code of a refused entry, and an unconfirmed one', async () => {
    const queueUrl = await freshQueue();
    const { client } = faultyClient(
      (id) => (id === '1' ? 'entry-refused' : id === '2' ? 'entry-unconfirmed' : 'ok'),
      () => false,
    );
    const queue = createActionQueue(client, queueUrl);
    const [a, b, c] = await Promise.allSettled(
      ['1', '2', '3'].map((id) => queue.enqueue(message(id))),
    );
    expect(a?.status === 'rejected' && a.reason).toBeInstanceOf(ActionQueueError);
    expect(a?.status === 'rejected' && (a.reason as ActionQueueError).code).toBe('InternalError');
    expect(b?.status === 'rejected' && (b.reason as ActionQueueError).code).toBe('Unconfirmed');
    expect(c?.status).toBe('fulfilled');
    expect(await receiveAll(queueUrl)).toEqual(['3']);
  });

  it('rejects an invalid message on its own and still sends the others', async () => {
    const queueUrl = await freshQueue();
    const queue = createActionQueue(embedded.sqs, queueUrl);
    const bad = { ...message('5'), commentId: 'not-a-graph-id' };
    const [invalid, valid] = await Promise.allSettled([
      queue.enqueue(bad),
      queue.enqueue(message('6')),
    ]);
    expect(invalid?.status === 'rejected' && (invalid.reason as Error).name).toBe('ZodError');
    expect(valid?.status).toBe('fulfilled');
    expect(await receiveAll(queueUrl)).toEqual(['6']);
  });

  it('sends enqueues of later turns in later requests', async () => {
    const queueUrl = await freshQueue();
    const { client, stats } = faultyClient(
      () => 'ok',
      () => false,
    );
    const queue = createActionQueue(client, queueUrl);
    await queue.enqueue(message('7'));
    await queue.enqueue(message('8'));
    expect(stats.requests).toBe(2);
    expect(await receiveAll(queueUrl)).toEqual(['7', '8']);
  });
});
