import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/pipeline-function';
import { postComments, waitForDecisions } from '../../local/runtime/client';
import { type Pipeline, startPipeline } from '../../local/runtime/pipeline';

/**
 * `npm run data-request` as a data officer meets it, against a running local pipeline (started
 * here, on a free port): the DESIGN.md JSON contract, the summaries, and exit codes.
 */

const SECRET = 'cli-app-secret';
const TSX = join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let pipeline: Pipeline;

const cli = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, 'local/data-request.ts', ...args],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PORT: String(pipeline.port) },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

describe('npm run data-request', () => {
  const author = { id: '17841466600000001', username: 'Cli.Resident' };
  const ids = ['917999000000000001', '917999000000000002', '917999000000000003'];

  beforeAll(async () => {
    pipeline = await startPipeline({
      settings: {
        port: 0,
        appSecrets: [SECRET],
        verifyToken: 'cli-verify',
        pseudonymKey: 'cli-pseudonym-key-0123456789',
        policyPack: 'rumoi',
      },
      port: 0,
      logLevel: 'SILENT',
      serversOnMainThread: true,
    });
    const base = `http://127.0.0.1:${pipeline.port}`;
    const posted = await postComments(
      base,
      [
        { commentId: ids[0] as string, text: '連絡先は090-4444-5555です', from: author },
        { commentId: ids[1] as string, text: '今日の夕日きれい', from: author },
        {
          commentId: ids[2] as string,
          text: 'この番号 09044445555 に電話して',
          from: { id: '17841466600000002', username: 'someone_else' },
        },
      ],
      SECRET,
    );
    expect(posted.status).toBe(200);
    const found = await waitForDecisions(base, ids, { timeoutMs: 30_000, settled: true });
    expect(found.size).toBe(3);
  });

  afterAll(async () => {
    await pipeline?.stop({ drainMs: 2_000 });
  });

  it('prints usage for --help (exit 0) and for a usage error (exit 2)', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run data-request -- disclose\|erase/);
    expect(Math.max(...help.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    const none = await cli('erase');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --author-id, --username, --value, --comment/);
    const two = await cli('disclose', '--author-id', '1', '--comment', '2');
    expect(two.code).toBe(2);
  });

  it('discloses by username as the DESIGN.md JSON: decisions, ledger without values, audit', async () => {
    const out = await cli('disclose', '--username', '@cli.resident', '--json');
    expect(out.code).toBe(0);
    const body = JSON.parse(out.stdout) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(body).sort()).toEqual(['audit', 'decisions', 'ledger']);
    expect(body.decisions?.map((d) => d.commentId).sort()).toEqual([ids[0], ids[1]]);
    expect(body.ledger).toEqual([
      expect.objectContaining({
        commentId: ids[0],
        index: 0,
        type: 'phone',
        purpose: 'moderation',
      }),
    ]);
    expect(out.stdout).not.toContain('valueRef');
    expect(out.stdout).not.toContain('4444');
  });

  it('summarises a disclosure by value for a person, without the value', async () => {
    const out = await cli('disclose', '--value', '090 4444 5555');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^held: 2 decisions, 2 ledger rows, 0 audit events/);
    expect(out.stdout).toContain(ids[0]);
    expect(out.stdout).toContain(ids[2]);
    expect(out.stdout).not.toMatch(/4444|5555/);
  });

  it('erases by author id (--json), then finds nothing held (exit 1)', async () => {
    const out = await cli('erase', '--author-id', author.id, '--json');
    expect(out.code).toBe(0);
    const erased = (JSON.parse(out.stdout) as { erased: Record<string, number> }).erased;
    expect(Object.keys(erased).sort()).toEqual(['audit', 'decisions', 'ledger', 'queued']);
    expect(erased.decisions).toBe(2);
    expect(erased.ledger).toBe(1);
    const again = await cli('erase', '--author-id', author.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Nothing is held about this subject/);
    const read = await fetch(`http://127.0.0.1:${pipeline.port}/api/decisions/${ids[0]}`);
    expect(read.status).toBe(404);
    await read.body?.cancel();
    // The other person's comment holding the same number is theirs, and still there.
    const other = await fetch(`http://127.0.0.1:${pipeline.port}/api/decisions/${ids[2]}`);
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it('refuses a malformed value with a clear message (exit 1) that does not echo it', async () => {
    const out = await cli('disclose', '--value', '%%%%');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/not a kind of personal data/);
    expect(out.stderr).not.toContain('%%%%');
  });

  it('says so when no server is running (exit 1)', async () => {
    const out = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [TSX, 'local/data-request.ts', 'disclose', '--comment', '1'],
        { cwd: PROJECT_ROOT, env: { ...process.env, PORT: '1' }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error && typeof error.code === 'number' ? error.code : 0,
            stdout,
            stderr,
          }),
      );
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/no server at http:\/\/127\.0\.0\.1:1/);
  });
});
