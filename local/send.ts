import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { categoryNames } from './runtime/categories';
import { getDecision, postComments, waitForDecisions } from './runtime/client';
import { printable } from './runtime/console';
import { localSettings } from './runtime/defaults';
import { localCommentId } from './runtime/meta-delivery';

/**
 * `npm run send -- "テキスト" [--id ID] [--username NAME] [--no-wait]`: signs one comment the way
 * Meta would and posts it to a running `npm start` (`PORT`, `IG_APP_SECRET` as there), then waits
 * for its decision and prints it.
 */

const USAGE = `usage: npm run send -- "コメント本文" [options]

Signs one comment the way Meta would, posts it to a running npm start and
prints its decision (the stored, redacted text; never the raw one).

  --id ID            the comment's Graph id (digits; default: a fresh one)
  --username NAME    the commenter's handle (default local_tester)
  --user-id ID       the commenter's Instagram user id
  --no-wait          post and exit without waiting for the decision
  -h, --help         this help

Environment: PORT and IG_APP_SECRET, as given to npm start.`;

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      username: { type: 'string', default: 'local_tester' },
      'user-id': { type: 'string', default: '17841499999999999' },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const text = positionals.join(' ');
  if (text.trim().length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const commentId = values.id ?? localCommentId();
  if (!/^\d{1,32}$/.test(commentId)) {
    process.stderr.write('--id must be a numeric Graph id\n');
    return 2;
  }
  const settings = localSettings();
  const baseUrl = `http://127.0.0.1:${settings.port}`;
  const secret = settings.appSecrets[0] ?? '';
  let posted: Awaited<ReturnType<typeof postComments>>;
  try {
    posted = await postComments(
      baseUrl,
      [
        {
          commentId,
          text,
          from: {
            id: values['user-id'] ?? '17841499999999999',
            username: values.username ?? 'local_tester',
          },
        },
      ],
      secret,
    );
  } catch {
    process.stderr.write(`no server at ${baseUrl}: run \`npm start\` first (or set PORT)\n`);
    return 1;
  }
  process.stdout.write(
    `comment ${commentId} → ${posted.status} ${posted.body} (${posted.ms.toFixed(0)} ms)\n`,
  );
  if (posted.status !== 200) {
    if (posted.status === 403) {
      process.stderr.write('refused: IG_APP_SECRET here differs from the server’s\n');
    }
    return 1;
  }
  if (values['no-wait']) return 0;
  const found = await waitForDecisions(baseUrl, [commentId], { timeoutMs: 15_000, settled: true });
  const decision = found.get(commentId) ?? (await getDecision(baseUrl, commentId));
  if (!decision) {
    process.stderr.write('no decision within 15 s (is the server busy?)\n');
    return 1;
  }
  const categories = (decision.categories as { id: string; score: number }[] | undefined) ?? [];
  process.stdout.write(
    [
      `action      ${String(decision.action)}  (act stage: ${String(decision.actionStatus)})`,
      `categories  ${categories.length > 0 ? categories.map((c) => `${categoryNames([c.id])} (score ${c.score.toFixed(2)})`).join(', ') : 'none'}`,
      `inquiry     ${decision.inquiry === true ? 'yes' : 'no'}`,
      `stored text ${printable(String(decision.redactedText ?? ''))}`,
      `full record ${baseUrl.replace('127.0.0.1', 'localhost')}/api/decisions/${commentId}`,
      '',
    ].join('\n'),
  );
  return 0;
};

runCli('send', main);
