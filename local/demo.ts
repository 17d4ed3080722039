import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { DEMO_COMMENTS } from './demo-comments';
import { categoryNames } from './runtime/categories';
import { postComments, postDelivery, waitForDecisions } from './runtime/client';
import { fitTable, printable, terminalWidth, wrap } from './runtime/console';
import { LOCAL_DEFAULTS, localSettings } from './runtime/defaults';
import { deliveryBody, type LocalComment, localCommentId } from './runtime/meta-delivery';
import { startPipeline } from './runtime/pipeline';

/**
 * `npm run demo`: the pipeline in this process (in memory, a free port), a realistic morning of
 * signed webhook deliveries, plus a duplicate delivery and a forged one; then a table of what was
 * decided, read back through the read API. Exits 0 when every check holds.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const WAIT_MS = 60_000;

const categoriesCell = (decision: Record<string, unknown>): string =>
  categoryNames(
    ((decision.categories as { id: string }[] | undefined) ?? []).map((c) => c.id),
    '—',
  );

const actionCell = (decision: Record<string, unknown>): string => {
  const action = String(decision.action);
  const status = String(decision.actionStatus ?? 'none');
  return status === 'none' ? action : `${action} (${status.replace('_', ' ')})`;
};

const USAGE = `usage: npm run demo

Starts the whole pipeline in memory on a free port, sends a realistic set of
signed deliveries (benign, criticism, questions, spam, abuse, personal data,
evasion, a duplicate and a forged one), waits for every decision and prints a
table and a check list. Exit 0 when every check holds.

  -h, --help   this help

The table fits the terminal (or COLUMNS, else 80 columns).
`;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const width = terminalWidth();
  // Every line fits the terminal: long ones wrap, continuation lines indented.
  const out = (line = '', indent = '') => {
    for (const part of wrap(line, width, indent)) process.stdout.write(`${part}\n`);
  };
  // Self-contained: the documented defaults, whatever this shell exports.
  const settings = { ...localSettings({}), port: 0 };
  const secret = settings.appSecrets[0] ?? LOCAL_DEFAULTS.appSecret;
  out('Starting the pipeline in memory (embedded DynamoDB and SQS, kuromoji dictionary)…');
  const pipeline = await startPipeline({ settings, logLevel: 'SILENT' });
  try {
    const comments = DEMO_COMMENTS.map((demo, i) => ({
      demo,
      comment: {
        commentId: localCommentId(),
        text: demo.text,
        from: { id: `178414${String(70_000_000_000 + i * 7_919)}`, username: demo.username },
      } satisfies LocalComment,
    }));
    out(`Listening on ${pipeline.url}; sending ${comments.length} comments as Meta would.`);
    out();

    const checks: { label: string; ok: boolean }[] = [];
    const handshake = await fetch(
      `${pipeline.url}/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(settings.verifyToken)}&hub.challenge=1158201444`,
    );
    const challenge = await handshake.text();
    checks.push({
      label: `subscription handshake → ${handshake.status} (challenge echoed)`,
      ok: handshake.status === 200 && challenge === '1158201444',
    });

    // Meta batches changes: a few deliveries of several comments, then single ones.
    const batches: LocalComment[][] = [];
    const all = comments.map((c) => c.comment);
    batches.push(all.slice(0, 6), all.slice(6, 12));
    for (const c of all.slice(12)) batches.push([c]);
    const bodies = batches.map((b) => deliveryBody(b));
    const acks = await Promise.all(bodies.map((body) => postDelivery(pipeline.url, body, secret)));
    const accepted = acks.filter((a) => a.status === 200).length;
    checks.push({
      label: `${bodies.length} signed deliveries → ${accepted} × 200 (slowest ack ${Math.max(...acks.map((a) => a.ms)).toFixed(0)} ms)`,
      ok: accepted === bodies.length,
    });

    // Meta retries and duplicates: the very same bytes again.
    const duplicate = await postDelivery(pipeline.url, bodies[0] ?? '', secret);
    // A captured body re-signed by someone without the app secret.
    const forgedId = localCommentId();
    const forged = await postComments(
      pipeline.url,
      [
        {
          commentId: forgedId,
          text: '市の公式発表：明日は全市で断水します',
          from: { id: '17841400000000666' },
        },
      ],
      'not-the-app-secret',
    );

    const ids = all.map((c) => c.commentId);
    const decisions = await waitForDecisions(pipeline.url, ids, {
      timeoutMs: WAIT_MS,
      settled: true,
    });
    // Give a forged message every chance to show up before asserting it never did.
    await pipeline.drain(5_000);
    const forgedDecision = await waitForDecisions(pipeline.url, [forgedId], { timeoutMs: 0 });
    const written = pipeline.stats().decisions;

    checks.push({
      label: `duplicate delivery of ${batches[0]?.length} comments → ${duplicate.status}; still one decision per comment (${written} written for ${ids.length} comments)`,
      ok: duplicate.status === 200 && written === ids.length,
    });
    checks.push({
      label: `forged delivery (wrong signature) → ${forged.status} ${forged.body}; nothing queued or decided`,
      ok: forged.status === 403 && forgedDecision.size === 0,
    });
    checks.push({
      label: `every comment decided within ${WAIT_MS / 1000} s (${decisions.size}/${ids.length})`,
      ok: decisions.size === ids.length,
    });

    // Fits the terminal (or COLUMNS, else 80): the categories and the text give way.
    const rows = comments.map(({ demo, comment }) => {
      const d = decisions.get(comment.commentId);
      return [
        demo.kind,
        d ? actionCell(d) : 'NOT DECIDED',
        d ? categoriesCell(d) : '',
        d ? printable(String(d.redactedText ?? '')) : '',
      ];
    });
    const lines = fitTable(
      ['kind', 'action', 'categories', 'stored text (redacted)'],
      rows,
      width,
      [2, 3],
    );
    for (const line of lines) out(line);
    out();

    const counts = new Map<string, number>();
    for (const d of decisions.values())
      counts.set(String(d.action), (counts.get(String(d.action)) ?? 0) + 1);
    const inquiries = [...decisions.values()].filter((d) => d.inquiry === true).length;
    const withPii = [...decisions.values()].filter(
      (d) => Object.keys((d.piiTypes as Record<string, number> | undefined) ?? {}).length > 0,
    ).length;
    out(
      `Summary: ${ids.length} comments → ${['allow', 'review', 'hide', 'delete'].map((a) => `${counts.get(a) ?? 0} ${a}`).join(', ')}; ` +
        `${inquiries} inquiries for staff; personal data found in ${withPii}.`,
    );
    out(
      'Hide/delete ran in dry run: recorded on the decision, no call to Instagram. No reply is ever posted.',
    );
    out();
    for (const check of checks) out(`${check.ok ? '✔' : '✘'} ${check.label}`, '  ');
    const failed = checks.filter((c) => !c.ok).length;
    out();
    out(
      failed === 0
        ? 'Demo complete: every check passed.'
        : `Demo finished with ${failed} failed check(s).`,
    );
    out(`Try it yourself: npm start, then npm run send -- "テキスト"`);
    return failed === 0 ? 0 : 1;
  } finally {
    await pipeline.stop({ drainMs: 2_000 });
  }
};

runCli('demo', main, { exit: 'always' });
