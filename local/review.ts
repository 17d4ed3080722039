import { userInfo } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { ReviewView } from '../lambdas/core/review/view';
import { categoryNames } from './runtime/categories';
import { displayWidth, printable, terminalWidth, truncate, wrap } from './runtime/console';

/**
 * `npm run review`: the review queue in a terminal, talking to the local server (`npm start`).
 * Only redacted text is ever shown: that is all the API has.
 */

const DEFAULT_API = 'http://localhost:3000/api';

const USAGE = `usage: npm run review [-- COMMAND] [options]

The review queue of a running npm start, in the terminal.

  (no command)                  interactive: pick a comment, then approve,
                                confirm (keep hidden) or delete it
  list                          print the whole queue, oldest first
  inquiries [--since DATE]      questions and requests for the department
                                (default: the last 30 days)
  approve ID -r "reason"        show the comment again
  confirm ID -r "reason"        keep it hidden (--delete: delete it)
  -h, --help                    this help

Environment: REVIEW_API_URL (default ${DEFAULT_API}),
REVIEWER (default: your login name). At the prompt, Enter, q,
Ctrl-D or Ctrl-C ends the session.
`;

interface Client {
  readonly baseUrl: string;
  readonly reviewer: string;
}

interface ReviewResponse {
  readonly version: number;
  readonly finalAction: string;
  readonly instagram: string;
}

/** A refusal of the API: `{ error, message }` (one shape on every route). */
class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const call = async <T>(client: Client, path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${client.baseUrl}${path}`, {
    ...init,
    // Percent-encoded, so a Japanese name travels in the header as it does from the console.
    headers: {
      'content-type': 'application/json',
      'x-reviewer': encodeURIComponent(client.reviewer),
    },
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      String(body.error ?? 'error'),
      String(body.message ?? `the review API answered ${response.status}`),
    );
  }
  return body as T;
};

const PAGE = 200;

/** The whole queue, oldest first: every page, following the API's `next` cursor. */
const listQueue = async (client: Client): Promise<{ items: ReviewView[] }> => {
  const items: ReviewView[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (after) query.set('after', after);
    const page = await call<{ items: ReviewView[]; next?: string }>(client, `/reviews?${query}`);
    items.push(...page.items);
    after = page.next;
  } while (after);
  return { items };
};

const listInquiries = (client: Client, since?: string): Promise<{ items: ReviewView[] }> => {
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (since) query.set('since', since);
  return call(client, `/inquiries?${query}`);
};

const submit = (
  client: Client,
  commentId: string,
  body: Record<string, unknown>,
): Promise<ReviewResponse> =>
  call(client, `/reviews/${encodeURIComponent(commentId)}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });

const hours = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;
};

/** One line: number, id, queue, age in business hours, categories, text, cut to `width` cells. */
const formatItem = (item: ReviewView, index: number, width: number): string => {
  const categories = item.categories.map((c) => c.id).join(',') || '-';
  const where =
    item.queue === 'hidden' ? 'hidden  ' : item.visibility === 'hidden' ? 'pending*' : 'pending ';
  const head = `${String(index + 1).padStart(3)}. ${item.commentId}  ${where}  ${hours(item.ageBusinessMs).padStart(6)}  cat ${categories.padEnd(5)}  `;
  const text = printable((item.redactedText ?? '').replace(/\s+/g, ' '));
  return `${head}${truncate(text, Math.max(0, width - displayWidth(head)))}`.trimEnd();
};

const formatItems = (items: readonly ReviewView[], width = terminalWidth()): string =>
  items.length === 0
    ? '  (none)\n'
    : `${items.map((item, i) => formatItem(item, i, width)).join('\n')}\n`;

const LEGEND =
  '  (pending* = hidden outside office hours until someone approves;\n   ages are business hours)\n';

const versionOf = async (client: Client, commentId: string): Promise<number> => {
  const { items } = await listQueue(client);
  const found = items.find((i) => i.commentId === commentId);
  if (!found) throw new Error(`comment ${commentId} is not in the review queue`);
  return found.version;
};

/**
 * Questions asked at the prompt. `undefined` once the input has ended (Ctrl-D) or the reviewer
 * pressed Ctrl-C: both simply end the session.
 */
const prompter = (rl: Interface) => {
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  rl.on('SIGINT', () => rl.close());
  return (question: string): Promise<string | undefined> =>
    new Promise((resolve) => {
      if (closed) return resolve(undefined);
      const onClose = () => resolve(undefined);
      rl.once('close', onClose);
      rl.question(question, (answer) => {
        rl.off('close', onClose);
        resolve(answer);
      });
    });
};

const CHOICES: Readonly<Record<string, Record<string, string>>> = {
  a: { action: 'approve' },
  c: { action: 'confirm', outcome: 'hide' },
  d: { action: 'confirm', outcome: 'delete' },
};

const interactive = async (client: Client): Promise<void> => {
  const out = (text: string) => process.stdout.write(text);
  const width = terminalWidth();
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const ask = prompter(rl);
  try {
    let items = (await listQueue(client)).items;
    const show = () => {
      out(`\nReview queue (${items.length}), oldest first:\n${formatItems(items, width)}`);
      if (items.length > 0) out(LEGEND);
    };
    show();
    while (items.length > 0) {
      const pick = (await ask('\nNumber to review, l to list again, Enter to quit: '))?.trim();
      if (pick === undefined || pick === '' || pick === 'q') break;
      if (pick === 'l') {
        items = (await listQueue(client)).items;
        show();
        continue;
      }
      const item = items[Number(pick) - 1];
      if (!item || !/^\d+$/.test(pick)) {
        out(`No such number: 1 to ${items.length}, or l.\n`);
        continue;
      }
      const categories =
        item.categories
          .map((c) => `${categoryNames([c.id])} (${c.score.toFixed(2)}: ${c.rules.join(', ')})`)
          .join('; ') || 'none';
      out(
        [
          '',
          `${item.commentId}  decided ${item.decidedAt}`,
          `  action ${item.action}, now ${item.visibility}`,
          ...wrap(`  categories: ${categories}`, width, '    '),
          ...wrap(`  text: ${printable(item.redactedText ?? '(no text)')}`, width, '    '),
          '',
        ].join('\n'),
      );
      const choice = (await ask('[a]pprove (show it)  [c]onfirm (keep hidden)  [d]elete  [s]kip: '))
        ?.trim()
        .toLowerCase();
      if (choice === undefined) break;
      const body = CHOICES[choice];
      if (!body) continue;
      const reason = (await ask('Reason (for the audit trail, no personal data): '))?.trim();
      if (reason === undefined) break;
      if (!reason) {
        out('A reason is required; nothing was sent.\n');
        continue;
      }
      try {
        const result = await submit(client, item.commentId, {
          ...body,
          version: item.version,
          reason,
        });
        items = items.filter((i) => i.commentId !== item.commentId);
        out(
          `Recorded (version ${result.version}): ${result.finalAction}, Instagram: ${result.instagram}. ${items.length} left.\n`,
        );
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) throw error;
        out(`Not recorded: ${error.message}\nType l to load the queue again.\n`);
      }
    }
    if (items.length === 0) out('The queue is empty.\n');
  } finally {
    rl.close();
  }
};

const main = async (argv: readonly string[]): Promise<number> => {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      reason: { type: 'string', short: 'r' },
      delete: { type: 'boolean', default: false },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const client: Client = {
    baseUrl: (process.env.REVIEW_API_URL ?? DEFAULT_API).replace(/\/$/, ''),
    reviewer: process.env.REVIEWER ?? userInfo().username,
  };
  const [command, commentId] = positionals;
  switch (command) {
    case undefined:
      if (!process.stdin.isTTY) {
        process.stdout.write(formatItems((await listQueue(client)).items));
        return 0;
      }
      await interactive(client);
      return 0;
    case 'list':
      process.stdout.write(formatItems((await listQueue(client)).items) + LEGEND);
      return 0;
    case 'inquiries':
      process.stdout.write(formatItems((await listInquiries(client, values.since)).items));
      return 0;
    case 'approve':
    case 'confirm': {
      if (!commentId || !values.reason) {
        process.stderr.write(`usage: npm run review -- ${command} <commentId> -r "reason"\n`);
        return 2;
      }
      const result = await submit(client, commentId, {
        action: command,
        version: await versionOf(client, commentId),
        reason: values.reason,
        ...(command === 'confirm' ? { outcome: values.delete ? 'delete' : 'hide' } : {}),
      });
      process.stdout.write(
        `${commentId}: ${result.finalAction} (version ${result.version}, Instagram: ${result.instagram})\n`,
      );
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
};

const isEntryPoint = process.argv[1]?.endsWith('review.ts') ?? false;
if (isEntryPoint) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // fetch reports every connection failure as a TypeError with the socket error as its cause.
      const unreachable = error instanceof TypeError && error.message === 'fetch failed';
      process.stderr.write(
        unreachable
          ? `No server answered at ${process.env.REVIEW_API_URL ?? DEFAULT_API}. Start it first: npm start\n`
          : `review failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = error instanceof TypeError && !unreachable ? 2 : 1;
    },
  );
}

export type { Client };
export { formatItems, listInquiries, listQueue, main, prompter, submit };
