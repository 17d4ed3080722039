import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import {
  createReviewApi,
  createSqsReviewActions,
  localHeaderIdentity,
} from '../../lambdas/handlers/review-api';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { type Client, formatItems, listQueue, prompter } from '../../local/review';
import { readBody, toRestProxyEvent, writeProxyResult } from '../../local/runtime/api-gateway';
import { calendar, OPEN_NOW, seed, storedDecision } from '../review/support';
import { PROJECT_ROOT } from '../support/npm-start';

/**
 * `npm run review` against a queue longer than one page of the API: it sees every item, prints
 * lines that fit 80 columns whatever the text, and ends quietly when the input ends.
 */

const COUNT = 450;

describe('npm run review', () => {
  let embedded: Embedded;
  let server: Server;
  let client: Client;

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'reviewcli' });
    const base = Date.parse('2026-11-20T00:00:00.000Z');
    await seed(
      embedded,
      Array.from({ length: COUNT }, (_, i) =>
        storedDecision({
          decidedAt: new Date(base + i * 60_000).toISOString(),
          redactedText: i % 2 === 0 ? '⚡☕✅🫶 留萌の夕日がとてもきれいでした'.repeat(4) : 'short',
        }),
      ),
    );
    const api = createReviewApi({
      store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
      audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
      actions: createSqsReviewActions(embedded.sqs, embedded.queues.actions.url),
      calendar,
      auditRetentionDays: 400,
      now: () => OPEN_NOW,
      identify: localHeaderIdentity,
    });
    server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const body = await readBody(req);
        writeProxyResult(
          res,
          await api(toRestProxyEvent(req, body, url, { resource: '/{proxy+}' })),
        );
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      reviewer: 'tanaka',
    };
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await embedded?.stop();
  });

  it('pages through the whole queue, oldest first, past the 200-item page', async () => {
    const { items } = await listQueue(client);
    expect(items).toHaveLength(COUNT);
    const times = items.map((i) => i.decidedAt);
    expect([...times].sort()).toEqual(times);
    expect(new Set(items.map((i) => i.commentId)).size).toBe(COUNT);
  });

  it('prints one line per item, cut by display cells to the terminal width', async () => {
    const { items } = await listQueue(client);
    for (const width of [80, 100]) {
      const lines = formatItems(items, width).trimEnd().split('\n');
      expect(lines).toHaveLength(COUNT);
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
    }
  });

  it('at a terminal: lists once, and Ctrl-D at the prompt ends with exit 0', async () => {
    // script(1) gives the CLI a terminal; ^D on an empty line is the end of input there.
    const child = spawn('script', ['-qec', 'npm run -s review', '/dev/null'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, REVIEW_API_URL: client.baseUrl, COLUMNS: '80' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (!out.includes('Number to review') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.stdin.write('\u0004');
    expect(await exited).toBe(0);
    expect(out).toContain(`Review queue (${COUNT})`);
    expect(out).not.toContain('review failed');
  }, 90_000);

  it('ends the prompt quietly on Ctrl-D (end of input) and on Ctrl-C', async () => {
    const input = new PassThrough();
    const rl = createInterface({ input, output: new PassThrough(), terminal: false });
    const ask = prompter(rl);
    const first = ask('Number: ');
    input.write('3\n');
    expect(await first).toBe('3');
    const second = ask('Number: ');
    input.end();
    expect(await second).toBeUndefined();
    expect(await ask('again: ')).toBeUndefined();

    const tty = new PassThrough();
    const rl2 = createInterface({ input: tty, output: new PassThrough(), terminal: false });
    const ask2 = prompter(rl2);
    const pending = ask2('Number: ');
    rl2.emit('SIGINT');
    expect(await pending).toBeUndefined();
  });
});
