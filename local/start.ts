import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { LOCAL_DEFAULTS, localSettings } from './runtime/defaults';
import {
  type DecisionSummary,
  type LogLevel,
  type Pipeline,
  startPipeline,
} from './runtime/pipeline';

/**
 * `npm start [-- --memory] [--log-level WARN]`: the whole pipeline on this machine. Decisions are
 * kept under `.data/` (they survive a restart) unless `--memory`. The queues are in memory: Ctrl-C
 * drains them before stopping, so nothing accepted is lost on a clean stop.
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
    d.categories.length > 0 ? `categories ${d.categories.join(',')}` : 'no category',
  ];
  if (d.piiTypes.length > 0) parts.push(`pii ${d.piiTypes.join(',')}`);
  if (d.inquiry) parts.push('inquiry');
  if (d.pendingFetch) parts.push('pending fetch (no text in the notification)');
  return parts.join('  ');
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'WARN' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'usage: npm start [-- --memory] [--log-level DEBUG|INFO|WARN|ERROR|SILENT]',
        `  PORT             listen port (default ${LOCAL_DEFAULTS.port})`,
        `  IG_APP_SECRET    app secret(s), comma-separated (default ${LOCAL_DEFAULTS.appSecret})`,
        `  IG_VERIFY_TOKEN  handshake verify token (default ${LOCAL_DEFAULTS.verifyToken})`,
        `  PSEUDONYM_KEY    key for author and value pseudonyms (default ${LOCAL_DEFAULTS.pseudonymKey})`,
        '',
      ].join('\n'),
    );
    return;
  }
  const logLevel = (values['log-level'] ?? 'WARN').toUpperCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`--log-level: one of ${LOG_LEVELS.join(', ')}`);
  const settings = localSettings();
  const dataDir = fileURLToPath(new URL(`../${LOCAL_DEFAULTS.dataDir}/dynamodb`, import.meta.url));
  if (!values.memory) mkdirSync(dataDir, { recursive: true });

  process.stdout.write('instagram-policy-guard: starting the local pipeline…\n');
  let pipeline: Pipeline;
  try {
    pipeline = await startPipeline({
      settings,
      ...(values.memory ? {} : { dataPath: dataDir }),
      logLevel,
      onDecision: (d) => process.stdout.write(`${summaryLine(d)}\n`),
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
  process.stdout.write(
    [
      '',
      `  webhook       ${pipeline.url}/webhook   (GET handshake, POST signed deliveries)`,
      `  read API      ${pipeline.url}/api/decisions?limit=&action=&category=`,
      `                ${pipeline.url}/api/decisions/{commentId}`,
      `  review API    ${pipeline.url}/api/reviews, /api/inquiries   (header x-reviewer: your-name)`,
      `  operations    POST ${pipeline.url}/api/ops/requeue   (npm run requeue -- --help)`,
      `  verify token  ${settings.verifyToken}   (${tokenSource})`,
      `  app secret    ${settings.appSecrets[0]}   (${secretSource})`,
      `  decisions     ${values.memory ? 'in memory (--memory): gone when stopped' : `${dataDir} (kept across restarts)`}`,
      '  act stage     dry run: nothing is hidden or deleted, no network calls',
      '',
      '  try:  npm run send -- "留萌の夕日、きれいですね"',
      '  stop: Ctrl-C (drains the queues first)',
      '',
      '',
    ].join('\n'),
  );

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      process.stderr.write('stopping at once: queued comments not yet decided are lost\n');
      process.exit(130);
    }
    process.stdout.write(
      `\n${signal}: no new deliveries; draining the queues (up to ${DRAIN_MS / 1000} s)…\n`,
    );
    pipeline
      .stop({ drainMs: DRAIN_MS })
      .then(({ drained }) => {
        const s = pipeline.stats();
        process.stdout.write(
          `${drained ? 'drained' : 'NOT drained: some messages were still queued'}; ` +
            `${s.decisions} decisions this session. Stopped.\n`,
        );
        process.exit(drained ? 0 : 1);
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
