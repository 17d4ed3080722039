import { spawn } from 'node:child_process';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/pipeline-function';
import { type Pipeline, startPipeline } from '../../local/runtime/pipeline';

/**
 * `npm run requeue` against a running local pipeline (`npm start`'s runtime in memory), through
 * HTTP only: a failed action on the embedded table is re-sent once and settles in the local act
 * stage (a dry run); the endpoint's errors have the project's one JSON shape.
 */
describe('requeue locally: the CLI and POST /api/ops/requeue', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({
      settings: {
        port: 0,
        appSecrets: ['requeue-local-secret'],
        verifyToken: 'requeue-local-verify',
        pseudonymKey: 'requeue-local-pseudonym-key',
        policyPack: 'rumoi',
      },
      host: '127.0.0.1',
      serversOnMainThread: true,
      logLevel: 'SILENT',
    });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  /** Runs the CLI in a child process; async, since the server it calls lives in this one. */
  const cli = (
    ...args: string[]
  ): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'local/requeue.ts', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PORT: String(pipeline.port) },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });

  const seedFailed = async (commentId: string): Promise<void> => {
    const { doc, tableNames } = pipeline.embedded;
    await doc.send(
      new PutCommand({
        TableName: tableNames.decisions,
        Item: {
          commentId,
          accountId: '17841400000000001',
          field: 'comments',
          action: 'hide',
          actionStatus: 'failed',
          actionError: '190/463',
          actionUpdatedAt: new Date(Date.now() - 3600_000).toISOString(),
          decidedAt: new Date(Date.now() - 7200_000).toISOString(),
          policyVersion: 'rumoi-1',
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
      }),
    );
  };
  const statusOf = async (commentId: string): Promise<unknown> => {
    const { doc, tableNames } = pipeline.embedded;
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableNames.decisions, Key: { commentId }, ConsistentRead: true }),
    );
    return Item?.actionStatus;
  };

  it('prints its usage with --help and refuses a bad flag with exit status 2', async () => {
    const help = await cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run requeue/);
    for (const flag of ['--status', '--stuck-minutes', '--comment', '--dry-run', '--json']) {
      expect(help.stdout).toContain(flag);
    }
    const bad = await cli('--status', 'everything');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--status must be failed, pending or all/);
  });

  it('re-sends a failed action once; the local act stage settles it', async () => {
    const id = '1790555000111';
    await seedFailed(id);
    const dry = await cli('--dry-run', '--json');
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      requeued: [{ commentId: id, action: 'hide', from: 'failed' }],
    });
    expect(await statusOf(id)).toBe('failed');

    const run = await cli('--status', 'failed');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${id}  hide    was failed`);
    // The local act stage is a dry run: the re-sent action settles as such, once.
    expect(await pipeline.drain(30_000)).toBe(true);
    expect(await statusOf(id)).toBe('dry_run');
    // Nothing is left to re-send: the same operation over HTTP finds nothing.
    const again = await fetch(`http://127.0.0.1:${pipeline.port}/api/ops/requeue`, {
      method: 'POST',
      body: '{}',
    });
    expect(await again.json()).toMatchObject({ requeued: [] });
  });

  it('answers errors in the one JSON shape, with no internals', async () => {
    const base = `http://127.0.0.1:${pipeline.port}/api/ops`;
    const cases: [string, RequestInit, number, string][] = [
      ['/requeue', { method: 'GET' }, 405, 'method_not_allowed'],
      ['/requeue', { method: 'POST', body: '{not json' }, 400, 'bad_request'],
      [
        '/requeue',
        { method: 'POST', body: '{"status":"x","secret":"s3cr3t"}' },
        400,
        'bad_request',
      ],
      ['/requeue', { method: 'POST', body: 'x'.repeat(70_000) }, 413, 'payload_too_large'],
      ['/elsewhere', { method: 'POST' }, 404, 'not_found'],
    ];
    for (const [path, init, status, error] of cases) {
      const res = await fetch(`${base}${path}`, init);
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status, path).toBe(status);
      expect(Object.keys(body).sort(), path).toEqual(['error', 'message']);
      expect(body.error, path).toBe(error);
      expect(String(body.message)).not.toMatch(/s3cr3t|at .*\.ts|Error:/);
    }
  });
});
