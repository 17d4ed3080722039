import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyze } from '../../lambdas/core/analyze';
import type { Analyzer } from '../../lambdas/core/classify-stage/records';
import type { CommentMessage } from '../../lambdas/core/contracts/comment-message';
import type { PiiSpan, PiiType } from '../../lambdas/core/pii/types';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import type { Embedded } from '../../local/embedded';
import { commentMessage, oracleAnalyze } from './support/fixtures';
import { buildHandler, deliverComments, type ReliableClients, useStage } from './support/harness';
import { receiveAll, toRecord } from './support/poller';

/**
 * Article 9: after a corpus with seeded personal data has gone through the stage, no table item, no
 * action message and no log line holds a personal value, a username or a raw user id.
 */

interface Row {
  readonly id: string;
  readonly text: string;
  readonly pii: readonly { type: PiiType; start: number; end: number }[];
}

const DATASET = join(__dirname, '../../../shared/datasets/dev/seeded-pii.jsonl');

const rows: Row[] = readFileSync(DATASET, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as Row);

/** Each row as a comment by a fake person: a username and an Instagram-scoped user id. */
const corpus = (tag: string): { row: Row; message: CommentMessage }[] =>
  rows.map((row, i) => ({
    row,
    message: commentMessage({
      text: row.text,
      from: {
        id: `88${tag}${String(i).padStart(5, '0')}4242${String(i * 7919).padStart(6, '0')}`,
        username: `fake.user_${tag}_${i}`,
      },
    }),
  }));

const goldValues = (): string[] => [
  ...new Set(rows.flatMap((r) => r.pii.map((p) => r.text.slice(p.start, p.end)))),
];

interface Scan {
  readonly haystacks: { where: string; text: string }[];
  readonly items: number;
  readonly ledgerCommentIds: string[];
}

const scanEverything = async (
  embedded: Embedded,
  clients: ReliableClients,
  logs: readonly string[],
): Promise<Scan> => {
  const haystacks: { where: string; text: string }[] = [];
  let items = 0;
  const ledgerCommentIds: string[] = [];
  for (const [key, table] of Object.entries(embedded.tableNames)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await clients.doc.send(
        new ScanCommand({ TableName: table, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      for (const item of out.Items ?? []) {
        items += 1;
        haystacks.push({ where: `table ${key}`, text: JSON.stringify(item) });
        if (key === 'piiLedger') ledgerCommentIds.push(String(item.commentId));
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  // The comments queue is where raw text is allowed to live (encrypted, bounded retention); the
  // actions queue carries no text at all.
  for (const url of [embedded.queues.actions.url, embedded.queues.actions.deadLetterUrl]) {
    for (const m of await receiveAll(clients.sqs, url)) {
      haystacks.push({ where: 'queue actions', text: m.Body ?? '' });
    }
  }
  for (const line of logs) haystacks.push({ where: 'log', text: line });
  return { haystacks, items, ledgerCommentIds };
};

const findLeaks = (scan: Scan, needles: readonly string[]): string[] =>
  needles.flatMap((n) =>
    scan.haystacks.filter((h) => h.text.includes(n)).map((h) => `${h.where}: ${n.length} chars`),
  );

/** Every line the Powertools logger writes (it prints through its own Console on stdout/stderr). */
const captureLogs = () => {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  return {
    lines,
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
};

const runCorpus = async (
  embedded: Embedded,
  clients: ReliableClients,
  analyzer: Analyzer,
  policy: { version: string; retentionDays: number },
  tag: string,
) => {
  const logs = captureLogs();
  try {
    const logger = new Logger({ serviceName: 'classify-privacy-test', logLevel: 'DEBUG' });
    const handler = buildHandler(embedded, { analyze: analyzer, policy, logger });
    const comments = corpus(tag);
    // Every fourth comment twice, so the duplicate path logs too; plus one mention without text.
    const mention = commentMessage({
      field: 'mentions',
      text: undefined,
      from: { id: '8899000011112222', username: `fake.mention_${tag}` },
    });
    const bodies = [...comments, ...comments.filter((_, i) => i % 4 === 0)].map((c) =>
      encodeCommentMessage(c.message),
    );
    bodies.push(encodeCommentMessage(mention));
    const { stats } = await deliverComments(embedded, clients, bodies, {
      handler,
      concurrency: 2,
    });
    // An invalid record carrying personal data goes down the error path, which logs too.
    const invalid = { ...comments[0]?.message, commentId: 'not-an-id' };
    const event: SQSEvent = {
      Records: [
        toRecord(
          { MessageId: 'invalid-1', ReceiptHandle: 'r', Body: JSON.stringify(invalid) },
          embedded.queues.comments.arn,
        ),
      ],
    };
    const invalidResponse = await handler(event);
    return {
      comments,
      mention,
      stats,
      bodies,
      invalidFailed: invalidResponse.batchItemFailures.length,
      logs: logs.lines,
    };
  } finally {
    logs.restore();
  }
};

describe('privacy: nothing personal is stored or logged', () => {
  const stage = useStage('privacy');

  const check = async (
    analyzer: Analyzer,
    policy: { version: string; retentionDays: number },
    tag: string,
  ) => {
    const { embedded, clients } = stage;
    const run = await runCorpus(embedded, clients, analyzer, policy, tag);
    expect(run.stats.failed).toBe(0);
    expect(run.stats.deleted).toBe(run.bodies.length);
    expect(run.invalidFailed).toBe(1);
    // The capture works: a line per handled delivery.
    expect(run.logs.filter((l) => l.includes('comment handled')).length).toBe(run.bodies.length);
    expect(run.logs.filter((l) => l.includes('comment failed')).length).toBe(1);

    const scan = await scanEverything(embedded, clients, run.logs);
    expect(scan.items).toBeGreaterThanOrEqual(rows.length);
    const usernames = [
      ...run.comments.map((c) => c.message.from?.username ?? ''),
      run.mention.from?.username ?? '',
    ];
    const userIds = [
      ...run.comments.map((c) => c.message.from?.id ?? ''),
      run.mention.from?.id ?? '',
    ];
    const values = goldValues();
    // The needles are real: every one is found in the raw corpus the stage was given.
    const raw: Scan = {
      haystacks: rows.map((r) => ({ where: 'input', text: r.text })),
      items: 0,
      ledgerCommentIds: [],
    };
    expect(new Set(findLeaks(raw, values).map((l) => l)).size).toBeGreaterThan(0);
    expect(values.every((v) => rows.some((r) => r.text.includes(v)))).toBe(true);
    const runIds = new Set(run.comments.map((c) => c.message.commentId));
    const ledgerRows = scan.ledgerCommentIds.filter((id) => runIds.has(id)).length;
    const figures = {
      ledgerRows,
      analyzer: tag,
      comments: run.comments.length + 1,
      deliveries: run.bodies.length,
      itemsScanned: scan.items,
      logLines: run.logs.length,
      goldValues: values.length,
      leakedValues: findLeaks(scan, values).length,
      leakedUsernames: findLeaks(scan, usernames).length,
      leakedUserIds: findLeaks(scan, userIds).length,
    };
    console.info(JSON.stringify({ privacy: figures }));
    expect(findLeaks(scan, usernames)).toEqual([]);
    expect(findLeaks(scan, userIds)).toEqual([]);
    expect(findLeaks(scan, values)).toEqual([]);
    // Redaction came from detection: the ledger holds the spans the analyzer reported.
    expect(ledgerRows).toBeGreaterThan(0);
  };

  it('with a perfect detector (gold spans): the stage itself adds no leak', async () => {
    const gold = new Map<string, PiiSpan[]>(
      rows.map((r) => [r.text, r.pii.map((p) => ({ ...p, score: 1, rule: 'gold' }))]),
    );
    await check(
      oracleAnalyze('oracle-policy', gold),
      { version: 'oracle-policy', retentionDays: 90 },
      'o',
    );
  });

  it('with the real analyze(): detector, redaction and stage together leak nothing', async () => {
    const policy = loadPolicy('rumoi');
    const tokenizer = await loadTokenizer();
    await check((text) => analyze(text, { policy, tokenizer }), policy, 'r');
  });
});
