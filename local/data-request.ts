import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { printable } from './runtime/console';
import { DATA_REQUESTS_PREFIX } from './runtime/data-request-route';
import { localSettings } from './runtime/defaults';

/**
 * `npm run data-request -- disclose|erase (--author-id ID | --username NAME | --value VALUE |
 * --comment ID) [--json] [--officer NAME]`: serves a resident's request (city policy article 9,
 * APPI) against a running `npm start` (`PORT` as there). The subject goes in the request body and
 * is never printed back.
 */

const USAGE = `usage: npm run data-request -- disclose|erase SUBJECT [--json] [--officer NAME]

  SUBJECT is exactly one of:
    --author-id ID    the person's Instagram user id (digits)
    --username NAME   the @username the comments were posted under (a later
                      change of username is not followed)
    --value VALUE     a personal value: phone number, e-mail address, postal
                      code, address, name, ... (written any usual way)
    --comment ID      one comment's id

  disclose  prints every decision, personal-data ledger row (type and place,
            never the value) and audit event held about the subject
  erase     deletes them, removes the subject's messages from the queues and
            DLQs, and records the request (no personal data) in the audit trail
  --json    the API's JSON instead of a summary
  --officer who serves the request, recorded in the audit trail
            (default: your login name)

  Exit 0 when served; 1 when nothing is held, the value is malformed or the
  server refuses; 2 for a usage error.
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Parsed {
  readonly operation: 'disclose' | 'erase';
  readonly subject: Record<string, string>;
  readonly json: boolean;
  readonly officer: string;
}

const SUBJECT_OPTIONS = {
  'author-id': 'authorId',
  username: 'username',
  value: 'value',
  comment: 'commentId',
} as const;

const defaultOfficer = (): string => {
  try {
    const name = userInfo().username.replace(/[^\w.@-]/g, '');
    return name.length > 0 ? name.slice(0, 64) : 'local-officer';
  } catch {
    return 'local-officer';
  }
};

const parse = (args: readonly string[]): Parsed | 'help' => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'author-id': { type: 'string' },
        username: { type: 'string' },
        value: { type: 'string' },
        comment: { type: 'string' },
        json: { type: 'boolean', default: false },
        officer: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // parseArgs names the option, never echoes a value.
    throw new UsageError(error instanceof Error ? error.message : 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [operation, ...rest] = positionals;
  if (operation !== 'disclose' && operation !== 'erase') {
    throw new UsageError('say disclose or erase first');
  }
  if (rest.length > 0) throw new UsageError('unexpected extra arguments');
  const named = Object.entries(SUBJECT_OPTIONS).filter(([option]) => values[option] !== undefined);
  const [only] = named;
  if (named.length !== 1 || only === undefined) {
    throw new UsageError(
      'name the subject with exactly one of --author-id, --username, --value, --comment',
    );
  }
  const officer = typeof values.officer === 'string' ? values.officer : defaultOfficer();
  if (!/^[\w.@-]{1,64}$/.test(officer)) {
    throw new UsageError('--officer: 1 to 64 letters, digits, or . _ @ -');
  }
  return {
    operation,
    subject: { [only[1]]: String(values[only[0]]) },
    json: values.json === true,
    officer,
  };
};

type Counts = Record<string, number>;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const summariseDisclosure = (body: {
  decisions: Record<string, unknown>[];
  ledger: Record<string, unknown>[];
  audit: Record<string, unknown>[];
}): string => {
  const lines = [
    `held: ${plural(body.decisions.length, 'decision', 'decisions')}, ` +
      `${plural(body.ledger.length, 'ledger row', 'ledger rows')}, ` +
      `${plural(body.audit.length, 'audit event', 'audit events')}`,
  ];
  for (const d of body.decisions) {
    const categories = Array.isArray(d.categories)
      ? d.categories.map((c) => (c as { id?: unknown }).id).join(',')
      : '';
    lines.push(
      `  decision ${String(d.commentId)}  ${String(d.decidedAt)}  ${String(d.action)}` +
        `${categories ? `  categories ${categories}` : ''}`,
    );
    if (typeof d.redactedText === 'string') {
      lines.push(`    ${printable(d.redactedText).slice(0, 200)}`);
    }
  }
  for (const r of body.ledger) {
    lines.push(
      `  ledger   ${String(r.commentId)} #${String(r.index)}  ${String(r.type)}  ${String(r.purpose)}`,
    );
  }
  for (const e of body.audit) {
    lines.push(`  audit    ${String(e.commentId)}  ${String(e.at)}  ${String(e.type)}`);
  }
  lines.push('(--json prints the records as stored)');
  return `${lines.join('\n')}\n`;
};

const summariseErasure = (erased: Counts): string =>
  `erased: ${plural(erased.decisions ?? 0, 'decision', 'decisions')}, ` +
  `${plural(erased.ledger ?? 0, 'ledger row', 'ledger rows')}, ` +
  `${plural(erased.audit ?? 0, 'audit event', 'audit events')}, ` +
  `${plural(erased.queued ?? 0, 'queued message', 'queued messages')}\n` +
  'The request is recorded in the audit trail (who, when, counts; not the subject).\n';

const main = async (): Promise<number> => {
  let request: Parsed | 'help';
  try {
    request = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`data-request: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (request === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const baseUrl = `http://127.0.0.1:${localSettings().port}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${DATA_REQUESTS_PREFIX}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-data-officer': request.officer },
      body: JSON.stringify({ operation: request.operation, subject: request.subject }),
    });
  } catch {
    process.stderr.write(`no server at ${baseUrl}: run \`npm start\` first (or set PORT)\n`);
    return 1;
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    process.stderr.write(`the server answered ${response.status} without JSON\n`);
    return 1;
  }
  if (!response.ok) {
    const message = (body as { message?: unknown }).message;
    process.stderr.write(
      `data-request ${request.operation}: ${typeof message === 'string' ? message : `refused (${response.status})`}\n`,
    );
    return 1;
  }
  if (request.json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return 0;
  }
  process.stdout.write(
    request.operation === 'disclose'
      ? summariseDisclosure(body as Parameters<typeof summariseDisclosure>[0])
      : summariseErasure((body as { erased: Counts }).erased),
  );
  return 0;
};

runCli('data-request', main);
