import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { ReviewView } from '../lambdas/core/review/view';

/**
 * `npm run review`: the review queue in a terminal, talking to the local server (`npm start`).
 *
 *   npm run review                        interactive: pick a comment, approve / confirm / delete
 *   npm run review -- list                print the queue (oldest first) and exit
 *   npm run review -- inquiries           print questions and requests for the department
 *   npm run review -- approve <id> -r "理由"
 *   npm run review -- confirm <id> -r "理由" [--delete]
 *
 * REVIEW_API_URL (default http://localhost:3000/api) and REVIEWER (default: your login name).
 * Only redacted text is ever shown: that is all the API has.
 */

interface Client {
  readonly baseUrl: string;
  readonly reviewer: string;
}

interface ReviewResponse {
  readonly version: number;
  readonly finalAction: string;
  readonly instagram: string;
}

class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${String(body.error ?? 'error')}`);
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
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
};

const listQueue = (client: Client): Promise<{ items: ReviewView[] }> =>
  call(client, '/reviews?limit=200');

const listInquiries = (client: Client): Promise<{ items: ReviewView[] }> =>
  call(client, '/inquiries?limit=200');

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

const oneLine = (text: string | undefined, max = 60): string => {
  const chars = [...(text ?? '').replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
};

/** One line per item: number, id, queue, age in business hours, categories, redacted text. */
const formatItems = (items: readonly ReviewView[]): string => {
  if (items.length === 0) return '  (none)\n';
  return `${items
    .map((item, i) => {
      const categories = item.categories.map((c) => c.id).join(',') || '-';
      const where =
        item.queue === 'hidden'
          ? 'hidden '
          : item.visibility === 'hidden'
            ? 'pending*'
            : 'pending ';
      return `${String(i + 1).padStart(3)}. ${item.commentId}  ${where}  ${hours(item.ageBusinessMs).padStart(6)}  cat ${categories.padEnd(6)}  ${oneLine(item.redactedText)}`;
    })
    .join('\n')}\n`;
};

const LEGEND =
  '  (pending* = hidden outside office hours until someone approves; ages are business hours)\n';

const versionOf = async (client: Client, commentId: string): Promise<number> => {
  const { items } = await listQueue(client);
  const found = items.find((i) => i.commentId === commentId);
  if (!found) throw new Error(`comment ${commentId} is not in the review queue`);
  return found.version;
};

const interactive = async (client: Client): Promise<void> => {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const { items } = await listQueue(client);
      process.stdout.write(`\nReview queue (${items.length}), oldest first:\n`);
      process.stdout.write(formatItems(items));
      if (items.length === 0) return;
      process.stdout.write(LEGEND);
      const pick = (await rl.question('\nNumber to review (Enter to quit): ')).trim();
      if (!pick) return;
      const item = items[Number(pick) - 1];
      if (!item) {
        process.stdout.write('No such number.\n');
        continue;
      }
      process.stdout.write(
        `\n${item.commentId}  decided ${item.decidedAt}  action ${item.action}  now ${item.visibility}\n` +
          `  categories: ${item.categories.map((c) => `${c.id} (${c.score.toFixed(2)}: ${c.rules.join(', ')})`).join('; ') || 'none'}\n` +
          `  text: ${item.redactedText ?? '(no text)'}\n`,
      );
      const choice = (
        await rl.question('[a]pprove (show it)  [c]onfirm (keep hidden)  [d]elete  [s]kip: ')
      )
        .trim()
        .toLowerCase();
      const body =
        choice === 'a'
          ? { action: 'approve' }
          : choice === 'c'
            ? { action: 'confirm', outcome: 'hide' }
            : choice === 'd'
              ? { action: 'confirm', outcome: 'delete' }
              : undefined;
      if (!body) continue;
      const reason = (await rl.question('Reason (for the audit trail, no personal data): ')).trim();
      if (!reason) {
        process.stdout.write('A reason is required; nothing was sent.\n');
        continue;
      }
      try {
        const result = await submit(client, item.commentId, {
          ...body,
          version: item.version,
          reason,
        });
        process.stdout.write(
          `Recorded (version ${result.version}): ${result.finalAction}, Instagram: ${result.instagram}\n`,
        );
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) throw error;
        process.stdout.write(
          `Not recorded: ${String(error.body.error)} (someone else was faster?)\n`,
        );
      }
    }
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
    },
  });
  const client: Client = {
    baseUrl: (process.env.REVIEW_API_URL ?? 'http://localhost:3000/api').replace(/\/$/, ''),
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
      process.stdout.write(formatItems((await listInquiries(client)).items));
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
      process.stderr.write('usage: npm run review [-- list | inquiries | approve | confirm]\n');
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
          ? `No server answered at ${process.env.REVIEW_API_URL ?? 'http://localhost:3000/api'}. Start it first: npm start\n`
          : `review failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}

export type { Client };
export { formatItems, listInquiries, listQueue, main, submit };
