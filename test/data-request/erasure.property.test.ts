import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorRefFor } from '../../lambdas/core/classify-stage/plan';
import type { CommentMessage } from '../../lambdas/core/contracts/comment-message';
import { valueRef } from '../../lambdas/core/pii/pseudonym';
import { PII_TYPES } from '../../lambdas/core/pii/types';
import { submitReview } from '../../lambdas/core/review/service';
import { usernameRefFor } from '../../lambdas/core/username';
import type { ClassifyHandler } from '../../lambdas/handlers/classify';
import { TEST_KEY, VISIBLE_OFF_HOURS } from '../classify-stage/support/fixtures';
import { buildHandler, commentsQueue } from '../classify-stage/support/harness';
import { drainQueue } from '../classify-stage/support/poller';
import {
  callApi,
  type DataRequestStage,
  type Item,
  type QueuedMessage,
  resetStage,
  type Snapshot,
  snapshot,
  startDataRequestStage,
  type TableKey,
} from './support';

/**
 * Article 9 / APPI, as a property on the embedded DynamoDB and SQS through the real SDK, the real
 * classify stage and the real analyzer: after any mix of comments from several authors, with
 * personal values seeded into them, some decided (some long expired but not yet swept by TTL),
 * some reviewed, some still queued and some dead-lettered, a request about one subject
 *
 * - `disclose` returns exactly the live decisions, ledger rows and audit events of the subject's
 *   comments, and no ledger value;
 * - `erase` leaves no item in any table and no message in any queue or DLQ that mentions the
 *   subject (by authorRef, usernameRef, valueRef or comment id), leaves every other item exactly as
 *   it was, counts what it removed, and records itself in the audit trail without the subject;
 * - a second `erase` finds nothing and changes nothing.
 */

const DAY_MS = 86_400_000;

interface Value {
  readonly raw: string;
  /** Other ways a resident may write it in a request. */
  readonly spellings: readonly string[];
}

const VALUES: readonly Value[] = [
  {
    raw: '090-1111-2222',
    spellings: ['09011112222', '０９０ １１１１ ２２２２', '+81 90-1111-2222'],
  },
  { raw: '080-3333-4444', spellings: ['(080)3333-4444', '08033334444'] },
  { raw: 'hanako.r@example.jp', spellings: ['Hanako.R@Example.JP', 'hanako.r@example.jp'] },
  { raw: 'taro_k@example.com', spellings: ['TARO_K@EXAMPLE.COM'] },
];

/** Texts without a value: allow, hide, review, inquiry. */
const PLAIN = [
  'いつも素敵な写真をありがとう',
  '死ね',
  '副業で月収100万円！詳しくはプロフへ',
  'ゴミの収集日はいつですか?',
];
/** Texts that carry values: `{v}` is replaced by them. */
const WITH_VALUES = ['連絡先は{v}です', '問い合わせは{v}までお願いします?'];

const WHERE = ['decided', 'decided', 'decided', 'expired', 'queued', 'dlq', 'poison'] as const;
type Where = (typeof WHERE)[number];

interface Planned {
  readonly message: CommentMessage;
  readonly author: number;
  readonly values: readonly number[];
  readonly where: Where;
  readonly review: boolean;
  /** A copy of an action message for it also sits in the actions DLQ. */
  readonly deadAction: boolean;
}

const commentArb = fc.record({
  author: fc.nat(),
  text: fc.nat(),
  values: fc.uniqueArray(fc.nat({ max: VALUES.length - 1 }), { maxLength: 2 }),
  where: fc.constantFrom(...WHERE),
  review: fc.boolean(),
  deadAction: fc.nat({ max: 4 }).map((n) => n === 0),
  /** A mention, or a change where Meta left the username out. */
  anonymous: fc.nat({ max: 4 }).map((n) => n === 0),
});

const SUBJECT_KINDS = ['author', 'username', 'value', 'comment', 'nobody'] as const;

const scenarioArb = fc.record({
  authors: fc.integer({ min: 2, max: 5 }),
  comments: fc.array(commentArb, { minLength: 3, maxLength: 9 }),
  subject: fc.record({
    kind: fc.constantFrom(...SUBJECT_KINDS),
    pick: fc.nat(),
    spelling: fc.nat(),
  }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Author {
  readonly id: string;
  readonly username: string;
}

let run = 0;

const plan = (scenario: Scenario): { authors: Author[]; comments: Planned[] } => {
  run += 1;
  const tag = `${String(process.pid % 1000).padStart(3, '0')}${String(run).padStart(4, '0')}`;
  const authors = Array.from({ length: scenario.authors }, (_, i) => ({
    id: `1784140${tag}${i}`,
    username: `resident.${tag}_${i}`,
  }));
  const comments = scenario.comments.map((c, i): Planned => {
    const author = c.author % authors.length;
    const who = authors[author] as Author;
    const text =
      c.values.length > 0
        ? (WITH_VALUES[c.text % WITH_VALUES.length] as string).replace(
            '{v}',
            c.values.map((v) => (VALUES[v] as Value).raw).join('、'),
          )
        : (PLAIN[c.text % PLAIN.length] as string);
    const message: CommentMessage = {
      accountId: '17841400000000001',
      field: 'comments',
      commentId: `1790${tag}${String(i).padStart(3, '0')}`,
      mediaId: '17950000000000001',
      text,
      from: c.anonymous ? { id: who.id } : { id: who.id, username: who.username },
      receivedAt: '2026-11-26T01:00:00.000Z',
      deliveryTime: '2026-11-26T00:59:59.000Z',
    };
    return {
      message,
      author,
      values: c.values,
      where: c.where,
      review: c.review,
      deadAction: c.deadAction,
    };
  });
  return { authors, comments };
};

/** How the request names the subject, and which planned comments are about it. */
interface Request {
  readonly kind: (typeof SUBJECT_KINDS)[number];
  readonly subject: Record<string, string>;
  readonly commentIds: ReadonlySet<string>;
  /** Keyed references by which a stored item mentions the subject. */
  readonly refs: ReadonlySet<string>;
  /** Raw values the audit record of the request must not contain. */
  readonly raw: readonly string[];
}

const requestFor = (scenario: Scenario, authors: Author[], comments: Planned[]): Request => {
  const { kind, pick, spelling } = scenario.subject;
  const ids = (keep: (c: Planned) => boolean) =>
    new Set(comments.filter(keep).map((c) => c.message.commentId));
  switch (kind) {
    case 'author': {
      const i = pick % authors.length;
      const author = authors[i] as Author;
      return {
        kind,
        subject: { authorId: author.id },
        commentIds: ids((c) => c.author === i),
        refs: new Set([authorRefFor(TEST_KEY, author.id)]),
        raw: [author.id],
      };
    }
    case 'username': {
      const i = pick % authors.length;
      const author = authors[i] as Author;
      const written = spelling % 2 === 0 ? `@${author.username.toUpperCase()}` : author.username;
      return {
        kind,
        subject: { username: written },
        commentIds: ids((c) => c.author === i && c.message.from?.username !== undefined),
        refs: new Set([usernameRefFor(TEST_KEY, author.username) ?? '']),
        raw: [author.username],
      };
    }
    case 'value': {
      const j = pick % VALUES.length;
      const value = VALUES[j] as Value;
      const written = value.spellings[spelling % value.spellings.length] as string;
      return {
        kind,
        subject: { value: written },
        commentIds: ids((c) => c.values.includes(j)),
        refs: new Set(PII_TYPES.map((type) => valueRef(TEST_KEY, type, value.raw))),
        raw: [value.raw, written],
      };
    }
    case 'comment': {
      const c = comments[pick % comments.length] as Planned;
      return {
        kind,
        subject: { commentId: c.message.commentId },
        commentIds: new Set([c.message.commentId]),
        refs: new Set(),
        raw: [],
      };
    }
    case 'nobody':
      return {
        kind,
        subject: { authorId: '17841499999999990' },
        commentIds: new Set(),
        refs: new Set(),
        raw: [],
      };
  }
};

const mentions = (item: Item, request: Request): boolean =>
  request.commentIds.has(String(item.commentId)) ||
  ['authorRef', 'usernameRef', 'valueRef'].some(
    (k) => typeof item[k] === 'string' && request.refs.has(item[k] as string),
  );

const messageMentions = (m: QueuedMessage, request: Request): boolean => {
  try {
    return request.commentIds.has(String((JSON.parse(m.body) as Item).commentId));
  } catch {
    return false;
  }
};

const isLive = (item: Item, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt > Math.floor(now.getTime() / 1000);

const DATA_TABLES: readonly TableKey[] = ['decisions', 'piiLedger', 'audit'];
const isRequestEvent = (item: Item): boolean => item.commentId === 'data-requests';

/** Tables and queues without the data-request events, as sorted JSON lines for comparison. */
const canonical = (snap: Snapshot, keep: (item: Item) => boolean) => {
  const lines: string[] = [];
  for (const [table, items] of Object.entries(snap.tables)) {
    for (const item of items) {
      if (!isRequestEvent(item) && keep(item)) lines.push(`${table} ${stable(item)}`);
    }
  }
  return lines.sort();
};
const canonicalQueues = (snap: Snapshot, keep: (m: QueuedMessage) => boolean) =>
  snap.queues
    .filter(keep)
    .map((m) => `${m.family} ${m.body}`)
    .sort();

const stable = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Item).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const sendTo = async (stage: DataRequestStage, url: string, bodies: readonly string[]) => {
  for (let i = 0; i < bodies.length; i += 10) {
    await stage.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
};

const figures = {
  runs: 0,
  bySubject: {} as Record<string, number>,
  nothingHeld: 0,
  itemsBefore: 0,
  messagesBefore: 0,
  erased: { decisions: 0, ledger: 0, audit: 0, queued: 0 },
  disclosed: 0,
};

describe('data-subject requests (property, embedded DynamoDB and SQS)', () => {
  let stage: DataRequestStage;
  let classifyNow: ClassifyHandler;
  let classifyLongAgo: ClassifyHandler;

  beforeAll(async () => {
    stage = await startDataRequestStage('dsr');
    const common = { analyze: stage.analyze, policy: stage.policy, offHours: VISIBLE_OFF_HOURS };
    classifyNow = buildHandler(stage.embedded, common);
    // Decided longer ago than the policy keeps decisions: expired, not yet swept by TTL.
    classifyLongAgo = buildHandler(stage.embedded, {
      ...common,
      now: () => new Date(Date.now() - (stage.policy.retentionDays + 5) * DAY_MS),
    });
  });

  afterAll(async () => {
    await stage?.stop();
    process.stdout.write(`data-request property figures: ${JSON.stringify(figures)}\n`);
  });

  const classify = async (handler: ClassifyHandler, messages: readonly CommentMessage[]) => {
    if (messages.length === 0) return;
    await sendTo(
      stage,
      stage.embedded.queues.comments.url,
      messages.map((m) => JSON.stringify(m)),
    );
    const stats = await drainQueue({
      ...commentsQueue(stage.embedded, stage.clients),
      handler,
      failedVisibilitySeconds: 0,
    });
    expect(stats.failed).toBe(0);
  };

  const build = async (comments: readonly Planned[]) => {
    const at = (w: Where) => comments.filter((c) => c.where === w).map((c) => c.message);
    await classify(classifyNow, at('decided'));
    await classify(classifyLongAgo, at('expired'));
    const now = new Date();
    for (const c of comments.filter((p) => p.where === 'decided' && p.review)) {
      const item = await stage.review.store.get(c.message.commentId, now);
      if (!item || (item.reviewState !== 'pending' && item.action !== 'hide')) continue;
      await submitReview(stage.review, {
        commentId: c.message.commentId,
        request:
          item.action === 'hide'
            ? { action: 'approve', version: 0, reason: '批判の範囲内のため表示に戻す' }
            : { action: 'confirm', version: 0, reason: '広告のため非表示', outcome: 'hide' },
        reviewer: 'local:tanaka',
        now,
      });
    }
    const { queues } = stage.embedded;
    await sendTo(
      stage,
      queues.comments.url,
      at('queued').map((m) => JSON.stringify(m)),
    );
    await sendTo(stage, queues.comments.deadLetterUrl, [
      ...at('dlq').map((m) => JSON.stringify(m)),
      // Poison: valid JSON that fails the message schema, as a DLQ would hold it.
      ...at('poison').map((m) => JSON.stringify({ ...m, receivedAt: 'yesterday' })),
    ]);
    await sendTo(
      stage,
      queues.actions.deadLetterUrl,
      comments
        .filter((c) => c.deadAction && c.where === 'decided')
        .map((c) =>
          JSON.stringify({
            commentId: c.message.commentId,
            accountId: c.message.accountId,
            field: 'comments',
            action: 'hide',
            policyVersion: stage.policy.version,
            decidedAt: now.toISOString(),
          }),
        ),
    );
  };

  it('disclose returns exactly the subject’s items; erase removes them all, touches nothing else, and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await resetStage(stage);
        const { authors, comments } = plan(scenario);
        const request = requestFor(scenario, authors, comments);
        await build(comments);
        const now = new Date();
        const before = await snapshot(stage);
        figures.runs += 1;
        figures.bySubject[request.kind] = (figures.bySubject[request.kind] ?? 0) + 1;
        figures.itemsBefore += DATA_TABLES.reduce((n, t) => n + before.tables[t].length, 0);
        figures.messagesBefore += before.queues.length;

        const about = (t: TableKey) => before.tables[t].filter((i) => mentions(i, request));
        const heldLive = DATA_TABLES.flatMap(about).filter((i) => isLive(i, now));
        const queuedAbout = before.queues.filter((m) => messageMentions(m, request));

        // Disclose: exactly the live items of the subject's comments, ledger without values.
        const disclosed = await callApi(stage.api, 'disclose', request.subject);
        if (heldLive.length === 0) {
          expect(disclosed.status).toBe(404);
          expect(disclosed.body.error).toBe('not_found');
        } else {
          expect(disclosed.status).toBe(200);
          const ids = (items: unknown) =>
            (items as Item[]).map((i) => `${i.commentId}/${i.index ?? i.eventId ?? ''}`).sort();
          const liveAbout = (t: TableKey) => about(t).filter((i) => isLive(i, now));
          expect(ids(disclosed.body.decisions)).toEqual(ids(liveAbout('decisions')));
          expect(ids(disclosed.body.ledger)).toEqual(ids(liveAbout('piiLedger')));
          expect(ids(disclosed.body.audit)).toEqual(ids(liveAbout('audit')));
          expect((disclosed.body.decisions as Item[]).map(stable).sort()).toEqual(
            liveAbout('decisions').map(stable).sort(),
          );
          expect(JSON.stringify(disclosed.body.ledger)).not.toContain('valueRef');
          figures.disclosed += heldLive.length;
        }

        // Erase: everything about the subject, nothing else.
        const erased = await callApi(stage.api, 'erase', request.subject);
        const expected = {
          decisions: about('decisions').length,
          ledger: about('piiLedger').length,
          audit: about('audit').length,
          queued: queuedAbout.length,
        };
        const total = Object.values(expected).reduce((a, b) => a + b, 0);
        if (total === 0) {
          expect(erased.status).toBe(404);
          figures.nothingHeld += 1;
        } else {
          expect(erased.status).toBe(200);
          expect(erased.body).toEqual({ erased: expected });
          for (const [k, n] of Object.entries(expected)) {
            figures.erased[k as keyof typeof figures.erased] += n;
          }
        }
        const after = await snapshot(stage);
        expect(canonical(after, (i) => mentions(i, request))).toEqual([]);
        expect(canonicalQueues(after, (m) => messageMentions(m, request))).toEqual([]);
        expect(canonical(after, () => true)).toEqual(
          canonical(before, (i) => !mentions(i, request)),
        );
        expect(canonicalQueues(after, () => true)).toEqual(
          canonicalQueues(before, (m) => !messageMentions(m, request)),
        );

        // One audit event per request, naming the kind and the counts, never the subject.
        const events = after.tables.audit.filter(isRequestEvent);
        expect(events.map((e) => e.type).sort()).toEqual([
          'data_request.disclose',
          'data_request.erase',
        ]);
        const erasure = events.find((e) => e.type === 'data_request.erase') as Item;
        expect(erasure.what).toEqual({
          subject: request.kind === 'nobody' ? 'author' : request.kind,
          counts: expected,
        });
        const recorded = JSON.stringify(events);
        for (const needle of [...request.raw, ...request.refs, ...request.commentIds]) {
          expect(recorded).not.toContain(needle);
        }

        // Again: nothing held, nothing changed.
        const again = await callApi(stage.api, 'erase', request.subject);
        expect(again.status).toBe(404);
        const still = await snapshot(stage);
        expect(canonical(still, () => true)).toEqual(canonical(after, () => true));
        expect(canonicalQueues(still, () => true)).toEqual(canonicalQueues(after, () => true));
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });
});
