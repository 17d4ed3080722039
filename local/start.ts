import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { categoryNames } from './runtime/categories';
import { terminalWidth, wrap } from './runtime/console';
import { LOCAL_DEFAULTS, localSettings } from './runtime/defaults';
import {
  type DecisionSummary,
  type LogLevel,
  type Pipeline,
  startPipeline,
} from './runtime/pipeline';
import { buildLocalConsole } from './runtime/static-files';
import { createStopSignals } from './runtime/stop-signals';

/**
 * `npm start [-- --memory] [--data DIR] [--log-level WARN]`: the whole pipeline on this machine.
 * Decisions and the queues' journal are kept under `.data/` (or `--data DIR`) and survive a
 * restart, a crash or a kill: whatever the queues held is put back at the next start. `--memory`
 * keeps nothing. Ctrl-C drains the queues and stops; a second Ctrl-C after a pause stops at once.
 */

// The local runtime runs on Node 20 on purpose (see DESIGN.md); the SDK's notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DRAIN_MS = 15_000;
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

const time = () => new Date().toTimeString().slice(0, 8);

/** Ids, action and categories only: the console never shows comment text. */
const summaryLine = (d: DecisionSummary): string => {
  const parts = [
    time(),
    d.commentId,
    d.action.padEnd(6),
    d.categories.length > 0 ? categoryNames(d.categories) : 'no category',
  ];
  if (d.piiTypes.length > 0) parts.push(`pii ${d.piiTypes.join(',')}`);
  if (d.inquiry) parts.push('inquiry');
  if (d.pendingFetch) parts.push('pending fetch (no text in the notification)');
  return parts.join('  ');
};

const USAGE = `usage: npm start [-- --memory] [--data DIR] [--log-level LEVEL]

Runs the whole pipeline on this machine: embedded DynamoDB and SQS, the
webhook, the classify and act stages (dry run) and the read and review APIs.

  --memory          keep nothing: decisions and queues live in memory only
  --data DIR        where decisions and the queue journal are kept
                    (default ${LOCAL_DEFAULTS.dataDir}/)
  --log-level L     handler logs: DEBUG, INFO, WARN (default), ERROR, SILENT
  -h, --help        this help

Environment:
  PORT             listen port (default ${LOCAL_DEFAULTS.port}), on 127.0.0.1 only
  IG_APP_SECRET    app secret(s), comma-separated
                   (default ${LOCAL_DEFAULTS.appSecret})
  IG_VERIFY_TOKEN  handshake verify token (default ${LOCAL_DEFAULTS.verifyToken})
  PSEUDONYM_KEY    key of the author and value pseudonyms
                   (default ${LOCAL_DEFAULTS.pseudonymKey})
  POLICY_PACK      policy pack, a folder of policies/ (default ${LOCAL_DEFAULTS.policyPack})

Ctrl-C drains the queues and stops; a second Ctrl-C after a pause stops at
once. Anything still queued then is kept and decided at the next start.
`;

/** What the journal put back from the last run, for the banner. */
const recoveredLine = (pipeline: Pipeline): string | undefined => {
  const { restored, dropped } = pipeline.embedded.recovered;
  const total = Object.values(restored).reduce((a, b) => a + b, 0);
  if (total === 0 && dropped === 0) return undefined;
  const perQueue = Object.entries(restored)
    .map(([queue, n]) => `${n} ${queue.replace(/^[^-]+-/, '')}`)
    .join(', ');
  return (
    `  recovered     ${total} queued message(s) from the last run` +
    `${perQueue ? ` (${perQueue})` : ''}` +
    (dropped > 0 ? `; ${dropped} past retention dropped` : '')
  );
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean', default: false },
      data: { type: 'string' },
      'log-level': { type: 'string', default: 'WARN' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const logLevel = (values['log-level'] ?? 'WARN').toUpperCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`--log-level: one of ${LOG_LEVELS.join(', ')}`);
  if (values.memory && values.data !== undefined)
    throw new Error('--memory and --data exclude each other');
  const settings = localSettings();
  const dataRoot =
    values.data !== undefined
      ? resolve(values.data)
      : fileURLToPath(new URL(`../${LOCAL_DEFAULTS.dataDir}`, import.meta.url));
  const dataDir = join(dataRoot, 'dynamodb');
  const journalPath = join(dataRoot, 'queues', 'journal.jsonl');
  if (!values.memory) mkdirSync(dataDir, { recursive: true });

  process.stdout.write('instagram-policy-guard: starting the local pipeline…\n');
  let pipeline: Pipeline;
  try {
    // Built from console/ at every start (well under a second); nothing is written to disk.
    const consoleFiles = await buildLocalConsole();
    pipeline = await startPipeline({
      settings,
      console: consoleFiles,
      ...(values.memory ? {} : { dataPath: dataDir, queueJournalPath: journalPath }),
      logLevel,
      onDecision: (d) =>
        process.stdout.write(
          `${wrap(summaryLine(d), terminalWidth(), ' '.repeat(10)).join('\n')}\n`,
        ),
      onError: (where, name) => process.stderr.write(`${time()}  error in ${where}: ${name}\n`),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${settings.port} is in use: stop the other server or set PORT`);
    }
    // LevelDB allows one process per folder; dynalite reports the refused open this way.
    if (
      !values.memory &&
      error instanceof Error &&
      /lock|database is (not open|closed)/i.test(error.message)
    ) {
      throw new Error(`could not open ${dataDir}: is another npm start running? (or use --memory)`);
    }
    throw error;
  }
  const secretSource = process.env.IG_APP_SECRET ? 'IG_APP_SECRET' : 'local default';
  const tokenSource = process.env.IG_VERIFY_TOKEN ? 'IG_VERIFY_TOKEN' : 'local default';
  const recovered = recoveredLine(pipeline);
  const width = terminalWidth();
  const banner = [
    '',
    `  staff console ${pipeline.url}/console/`,
    '                (a name entered once; review, inquiries, reports)',
    `  webhook       ${pipeline.url}/webhook`,
    '                (GET handshake, POST signed deliveries)',
    `  read API      ${pipeline.url}/api/decisions`,
    '                (?limit=&action=&category=&since=), /api/decisions/{id}',
    `  review API    ${pipeline.url}/api/reviews, /api/inquiries`,
    '                (header x-reviewer: your-name; or npm run review)',
    `  operations    POST ${pipeline.url}/api/ops/requeue`,
    '                (npm run requeue -- --help)',
    `  verify token  ${settings.verifyToken}   (${tokenSource})`,
    `  app secret    ${settings.appSecrets[0]}   (${secretSource})`,
    `  policy pack   ${pipeline.policy.id} ${pipeline.policy.version}`,
    `  decisions     ${values.memory ? 'in memory (--memory): gone when stopped' : `${dataRoot}`}`,
    ...(values.memory ? [] : ['                (decisions and queues kept across restarts)']),
    ...(recovered ? [recovered] : []),
    '  act stage     dry run: nothing is hidden or deleted, no network calls',
    '',
    '  try:  npm run send -- "留萌の夕日、きれいですね"',
    '  stop: Ctrl-C (drains the queues first)',
    '',
    '',
  ];
  process.stdout.write(banner.flatMap((line) => wrap(line, width, ' '.repeat(16))).join('\n'));

  const classify = createStopSignals();
  const shutdown = (signal: NodeJS.Signals) => {
    const request = classify();
    if (request === 'repeat') return;
    if (request === 'force') {
      process.stderr.write(
        values.memory
          ? 'stopping at once: queued comments not yet decided are lost (--memory)\n'
          : 'stopping at once: queued comments are kept and decided at the next start\n',
      );
      process.exit(130);
    }
    process.stdout.write(
      `\n${signal}: no new deliveries; draining the queues (up to ${DRAIN_MS / 1000} s; ` +
        'Ctrl-C again to stop at once)…\n',
    );
    pipeline
      .stop({ drainMs: DRAIN_MS })
      .then(({ drained }) => {
        const s = pipeline.stats();
        const summary = `${s.decisions} decisions this session, ${s.comments.deleted} comments and ${s.actions.deleted} actions handled`;
        if (drained) process.stdout.write(`drained; ${summary}. Stopped.\n`);
        else if (values.memory) {
          process.stdout.write(`NOT drained: queued comments are lost (--memory); ${summary}.\n`);
        } else {
          process.stdout.write(
            `not drained in time: what is still queued is kept for the next start; ${summary}.\n`,
          );
        }
        process.exit(drained || !values.memory ? 0 : 1);
      })
      .catch((error: unknown) => {
        process.stderr.write(`stop failed: ${error instanceof Error ? error.name : 'error'}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

runCli('npm start', main, { exit: 'failure' });
