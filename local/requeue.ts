import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { LOCAL_DEFAULTS } from './runtime/defaults';

/**
 * `npm run requeue`: re-sends failed actions, and pending ones whose message was lost, to the act
 * stage of a running `npm start`, once each (in AWS the same operation is the requeue function; see
 * the README runbook). Prints ids and actions only.
 */

const USAGE = `usage: npm run requeue -- [options]

Re-sends actions (hide, unhide, delete) that ended "failed", and "pending" ones untouched for a
while (their message was lost), to the act stage of a running npm start. Each is sent once, even
when several requeues run at the same time.

options:
  --status failed|pending|all   which actions (default all)
  --stuck-minutes N             a pending action untouched this long is stuck (default 60)
  --since-days N                decisions made in the last N days (default 30)
  --comment ID                  only this comment (repeat for several)
  --dry-run                     list what would be re-sent, change nothing
  --json                        print the report as JSON
  --url URL                     the local server (default http://localhost:$PORT, PORT ${LOCAL_DEFAULTS.port})
  -h, --help                    this text

exit status: 0 done, 1 some actions could not be sent or the server refused, 2 bad usage
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const integer = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,7}$/.test(raw)) throw new UsageError(`${name} must be a whole number`);
  return Number(raw);
};

interface Report {
  readonly dryRun: boolean;
  readonly examined: number;
  readonly requeued: readonly { commentId: string; action: string; from: string }[];
  readonly skipped: Record<string, number>;
  readonly failed: readonly { commentId: string; error: string }[];
}

const format = (report: Report): string => {
  const verb = report.dryRun ? 'would re-send' : 're-sent';
  const lines = [
    `${report.examined} decisions with a failed or pending action examined; ${verb} ${report.requeued.length}.`,
    ...report.requeued.map((r) => `  ${r.commentId}  ${r.action.padEnd(6)}  was ${r.from}`),
  ];
  const skipped = Object.entries(report.skipped);
  if (skipped.length > 0) {
    lines.push(`skipped: ${skipped.map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  }
  for (const f of report.failed) lines.push(`  NOT SENT ${f.commentId} (${f.error}); run again`);
  return `${lines.join('\n')}\n`;
};

const main = async (): Promise<number> => {
  let values: ReturnType<typeof parse>['values'];
  const parse = () =>
    parseArgs({
      options: {
        status: { type: 'string' },
        'stuck-minutes': { type: 'string' },
        'since-days': { type: 'string' },
        comment: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  let request: Record<string, unknown>;
  try {
    ({ values } = parse());
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const status = values.status;
    if (status !== undefined && !['failed', 'pending', 'all'].includes(status)) {
      throw new UsageError('--status must be failed, pending or all');
    }
    const stuckMinutes = integer('--stuck-minutes', values['stuck-minutes']);
    const sinceDays = integer('--since-days', values['since-days']);
    request = {
      ...(status !== undefined ? { status } : {}),
      ...(stuckMinutes !== undefined ? { stuckMinutes } : {}),
      ...(sinceDays !== undefined ? { sinceDays } : {}),
      ...(values.comment ? { commentIds: values.comment } : {}),
      ...(values['dry-run'] ? { dryRun: true } : {}),
    };
  } catch (error) {
    process.stderr.write(
      `npm run requeue: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  const base = values.url ?? `http://localhost:${process.env.PORT?.trim() || LOCAL_DEFAULTS.port}`;
  let response: Response;
  try {
    response = await fetch(new URL('/api/ops/requeue', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error(`no server at ${base}: is npm start running (and PORT the same)?`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    process.stderr.write(
      `the server refused (${response.status} ${String(body.error ?? '')}): ${String(body.message ?? '')}\n`,
    );
    return response.status === 400 ? 2 : 1;
  }
  const report = body as unknown as Report;
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : format(report));
  return report.failed.length > 0 ? 1 : 0;
};

runCli('npm run requeue', main);
