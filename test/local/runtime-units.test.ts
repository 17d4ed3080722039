import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBody, toRestProxyEvent } from '../../local/runtime/api-gateway';
import {
  displayWidth,
  fitTable,
  printable,
  table,
  truncate,
  wrap,
} from '../../local/runtime/console';
import { localSettings } from '../../local/runtime/defaults';
import { signBody as localSign } from '../../local/runtime/meta-delivery';
import { succeededRecords, toRecord } from '../../local/runtime/sqs-poller';
import { createStopSignals } from '../../local/runtime/stop-signals';
import { signBody } from '../support/webhook-fixtures';

const records = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    toRecord(
      {
        MessageId: `m${i}`,
        ReceiptHandle: `r${i}`,
        Body: '{}',
        Attributes: { ApproximateReceiveCount: '2' },
      },
      'arn:aws:sqs:us-east-1:000000000000:local-comments',
      'us-east-1',
    ),
  );

describe('SQS event source mapping rules', () => {
  it('builds Lambda SQS records', () => {
    const [record] = records(1);
    expect(record).toMatchObject({
      messageId: 'm0',
      receiptHandle: 'r0',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-comments',
      attributes: { ApproximateReceiveCount: '2' },
    });
  });

  it('deletes exactly the records not reported as failed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.nat(9)), (n, failedIdx) => {
        const batch = records(n);
        const failed = new Set(failedIdx.filter((i) => i < n).map((i) => `m${i}`));
        const kept = succeededRecords(batch, {
          batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })),
        });
        expect(kept?.map((r) => r.messageId)).toEqual(
          batch.map((r) => r.messageId).filter((id) => !failed.has(id)),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('treats an empty or unknown item identifier as a failed batch, as Lambda does', () => {
    const batch = records(3);
    expect(
      succeededRecords(batch, { batchItemFailures: [{ itemIdentifier: '' }] }),
    ).toBeUndefined();
    expect(
      succeededRecords(batch, { batchItemFailures: [{ itemIdentifier: 'other' }] }),
    ).toBeUndefined();
    expect(succeededRecords(batch, undefined)?.length).toBe(3);
    expect(succeededRecords(batch, { batchItemFailures: [] })?.length).toBe(3);
  });
});

describe('API Gateway REST proxy event', () => {
  const roundTrip = (body: Buffer, headers: Record<string, string | string[]> = {}) =>
    new Promise<APIGatewayProxyEvent>((resolve, reject) => {
      const server = createServer(async (req, res) => {
        const raw = await readBody(req);
        const url = new URL(req.url ?? '/', 'http://localhost');
        resolve(toRestProxyEvent(req, raw, url, { resource: '/webhook' }));
        res.end();
        server.close();
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/webhook?a=1&a=2',
          headers,
        });
        req.on('error', reject);
        req.end(body);
      });
    });

  it('keeps the body bytes: UTF-8 as text, anything else base64-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const event = await roundTrip(Buffer.from(bytes));
        const decoded = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
        expect(decoded.equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 30 },
    );
    const japanese = await roundTrip(Buffer.from('{"text":"留萌"}'));
    expect(japanese.isBase64Encoded).toBe(false);
    expect(japanese.body).toBe('{"text":"留萌"}');
  });

  it('lists repeated headers and query values as API Gateway does', async () => {
    const event = await roundTrip(Buffer.from('x'), {
      'X-Hub-Signature-256': ['sha256=a', 'sha256=b'],
    });
    expect(event.multiValueHeaders['x-hub-signature-256']).toEqual(['sha256=a', 'sha256=b']);
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(event.queryStringParameters).toEqual({ a: '2' });
    expect(event.httpMethod).toBe('POST');
    expect(event.resource).toBe('/webhook');
  });
});

describe('local CLI helpers', () => {
  it('signs like Meta (the test fixtures agree)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, secret) => {
        expect(localSign(body, secret)).toBe(signBody(body, secret));
      }),
    );
  });

  it('measures Japanese as double width and pads tables to line up', () => {
    expect(displayWidth('留萌abc')).toBe(7);
    expect(displayWidth('ﾌｫﾛｰ')).toBe(4);
    expect(displayWidth('夕日🌅')).toBe(6);
    const lines = table(
      ['kind', 'text'],
      [
        ['質問', 'a'],
        ['spam', 'b'],
      ],
    );
    const column = (line: string) => displayWidth(line.slice(0, line.lastIndexOf(' ') + 1));
    expect(new Set(lines.map(column)).size).toBe(1);
    expect(displayWidth(truncate('あ'.repeat(50), 11))).toBeLessThanOrEqual(11);
    expect(printable('a\nb\u001b[31m')).toBe('a b [31m');
  });

  it('counts the wide symbols a hand-made table missed, and never cuts inside a grapheme', () => {
    for (const wide of ['⚡', '☕', '✅', '🫶', '👍🏽', '👨‍👩‍👧'])
      expect(displayWidth(wide), wide).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    // A family emoji is one grapheme: kept whole or dropped whole.
    const cut = truncate('あ👨‍👩‍👧い', 4);
    expect(cut).toBe('あ…');
    expect(cut).not.toContain('\u200d');
  });

  it('fits a table into the terminal width whatever the cells hold (property)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('留萌の夕日', '⚡☕✅🫶', '👨‍👩‍👧 家族', 'ﾌｫﾛｰ', 'review (dry run)'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell, cell), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 40, max: 160 }),
        (rows, width) => {
          const lines = fitTable(['kind', 'action', 'categories', 'text'], rows, width, [2, 3]);
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
          expect(lines).toHaveLength(rows.length + 2);
        },
      ),
    );
  });

  it('wraps long lines to the width without losing a character (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('留萌の夕日', '✅⚡')), {
          maxLength: 30,
        }),
        fc.integer({ min: 10, max: 100 }),
        (words, width) => {
          const text = words.join(' ');
          const lines = wrap(text, width, '  ');
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
          const squash = (t: string) => t.replace(/\s+/g, '');
          expect(squash(lines.join(''))).toBe(squash(text));
        },
      ),
    );
  });

  it('reads one Ctrl-C as one stop however many copies of SIGINT arrive', () => {
    let now = 0;
    const classify = createStopSignals({ now: () => now });
    expect(classify()).toBe('drain');
    now += 3; // npm's forwarded copy
    expect(classify()).toBe('repeat');
    now += 50; // tsx's relayed copy, when tsx is the parent
    expect(classify()).toBe('repeat');
    now += 1_500; // a person's second Ctrl-C
    expect(classify()).toBe('force');
  });

  it('reads documented defaults and refuses a short pseudonym key', () => {
    expect(localSettings({})).toMatchObject({
      port: 3000,
      appSecrets: ['local-app-secret'],
      verifyToken: 'local-verify-token',
    });
    expect(localSettings({ PORT: '8080', IG_APP_SECRET: 'new, old' })).toMatchObject({
      port: 8080,
      appSecrets: ['new', 'old'],
    });
    expect(() => localSettings({ PSEUDONYM_KEY: 'short' })).toThrow(/16/);
    expect(() => localSettings({ PORT: 'x' })).toThrow(/PORT/);
  });
});
