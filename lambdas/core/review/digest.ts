import type { BusinessCalendar } from '../calendar/calendar';
import { jstDate, jstTimeOfDay } from '../calendar/jst';
import { ACTIONS, type Action, CATEGORY_IDS, type CategoryId } from '../contracts/decision';
import { type QueueName, queueOf, type ReviewItem } from './record';
import { byDecidedAt } from './view';

/**
 * The daily digest for staff at the opening of each business day: what the machine decided since the
 * last digest (per action, per category and action), what waits for a person and for how long in
 * business time, and the inquiries the department should answer through its own channels (the
 * city never replies on Instagram, article 5(2)). Ids, counts and redacted excerpts only.
 */

type ActionCounts = Record<Action, number>;

interface DigestPending {
  readonly commentId: string;
  readonly queue: QueueName;
  readonly decidedAt: string;
  readonly ageBusinessMs: number;
  readonly action: Action;
  readonly categories: readonly CategoryId[];
}

interface DigestInquiry {
  readonly commentId: string;
  readonly decidedAt: string;
  readonly action: Action;
  /** Redacted text, shortened. */
  readonly excerpt: string;
}

interface Digest {
  /** JST date of the digest, `YYYY-MM-DD`. */
  readonly day: string;
  readonly since: string;
  readonly until: string;
  readonly decisions: number;
  readonly byAction: ActionCounts;
  /** Only categories that occurred; a decision counts once under each category it asserts. */
  readonly byCategory: Partial<Record<CategoryId, { readonly total: number } & ActionCounts>>;
  /** Review decisions hidden for the time being by the off-hours rule. */
  readonly interimHides: number;
  readonly pending: readonly DigestPending[];
  readonly inquiries: readonly DigestInquiry[];
}

interface DigestInput {
  readonly since: Date;
  readonly until: Date;
  /** Decisions made in [since, until); others are ignored. */
  readonly decided: readonly ReviewItem[];
  /** Items in the review queues now. */
  readonly queue: readonly ReviewItem[];
  readonly calendar: BusinessCalendar;
}

const EXCERPT_LENGTH = 80;

const zeroCounts = (): ActionCounts =>
  Object.fromEntries(ACTIONS.map((a) => [a, 0])) as ActionCounts;

const excerptOf = (text: string | undefined): string => {
  const chars = [...(text ?? '')];
  return chars.length > EXCERPT_LENGTH
    ? `${chars.slice(0, EXCERPT_LENGTH).join('')}…`
    : chars.join('');
};

const computeDigest = (input: DigestInput): Digest => {
  const since = input.since.toISOString();
  const until = input.until.toISOString();
  const inPeriod = [...input.decided]
    .filter((d) => d.decidedAt >= since && d.decidedAt < until)
    .sort(byDecidedAt);
  const seen = new Set<string>();
  const unique = inPeriod.filter((d) => !seen.has(d.commentId) && seen.add(d.commentId));

  const byAction = zeroCounts();
  const byCategory: Partial<Record<CategoryId, { total: number } & ActionCounts>> = {};
  let interimHides = 0;
  for (const decision of unique) {
    byAction[decision.action] += 1;
    if (decision.interimAction === 'hide') interimHides += 1;
    for (const id of new Set(decision.categories.map((c) => c.id))) {
      const counts = byCategory[id] ?? { total: 0, ...zeroCounts() };
      counts.total += 1;
      counts[decision.action] += 1;
      byCategory[id] = counts;
    }
  }

  const pending = [...input.queue].sort(byDecidedAt).flatMap((item): DigestPending[] => {
    const queue = queueOf(item);
    if (!queue) return [];
    return [
      {
        commentId: item.commentId,
        queue,
        decidedAt: item.decidedAt,
        ageBusinessMs: input.calendar.businessMillisBetween(
          Date.parse(item.decidedAt),
          input.until.getTime(),
        ),
        action: item.action,
        categories: item.categories.map((c) => c.id),
      },
    ];
  });

  const inquiries = unique
    .filter((d) => d.inquiry)
    .map((d) => ({
      commentId: d.commentId,
      decidedAt: d.decidedAt,
      action: d.action,
      excerpt: excerptOf(d.redactedText),
    }));

  return {
    day: jstDate(input.until.getTime()).key,
    since,
    until,
    decisions: unique.length,
    byAction,
    byCategory,
    interimHides,
    pending,
    inquiries,
  };
};

const ACTION_LABELS: Record<Action, string> = {
  allow: '許可',
  review: '要確認',
  hide: '非表示',
  delete: '削除',
};

const QUEUE_LABELS: Record<QueueName, string> = { pending: '確認待ち', hidden: '非表示中' };

const jstClock = (iso: string): string => {
  const t = Date.parse(iso);
  const date = jstDate(t);
  const minutes = Math.floor(jstTimeOfDay(t) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${date.key} ${hh}:${mm}`;
};

const businessAge = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}時間${String(minutes % 60).padStart(2, '0')}分`;
};

/** Plain text for e-mail (SNS) and the terminal. Times are JST. */
const renderDigest = (digest: Digest): string => {
  const lines: string[] = [];
  lines.push(`Instagram コメント日報 ${digest.day}`);
  lines.push(`対象期間: ${jstClock(digest.since)} 〜 ${jstClock(digest.until)} (JST)`);
  lines.push('');
  const actions = ACTIONS.map((a) => `${ACTION_LABELS[a]} ${digest.byAction[a]}`).join(' / ');
  lines.push(`判定 ${digest.decisions} 件: ${actions}`);
  if (digest.interimHides > 0) {
    lines.push(`  うち時間外の一時非表示 ${digest.interimHides} 件`);
  }
  const categories = CATEGORY_IDS.flatMap((id) => {
    const counts = digest.byCategory[id];
    if (!counts) return [];
    const detail = ACTIONS.filter((a) => counts[a] > 0)
      .map((a) => `${ACTION_LABELS[a]} ${counts[a]}`)
      .join(', ');
    return [`  第6条(${id}): ${counts.total} 件 (${detail})`];
  });
  lines.push(categories.length > 0 ? '禁止事項の区分別:' : '禁止事項の区分別: なし');
  lines.push(...categories);
  lines.push('');
  lines.push(`確認が必要なコメント ${digest.pending.length} 件 (古い順、経過は業務時間):`);
  for (const p of digest.pending) {
    const categoryList = p.categories.length > 0 ? ` 第6条(${p.categories.join(',')})` : '';
    lines.push(
      `  - ${p.commentId} ${QUEUE_LABELS[p.queue]} 判定 ${jstClock(p.decidedAt)} 経過 ${businessAge(p.ageBusinessMs)}${categoryList}`,
    );
  }
  lines.push('');
  lines.push(`問い合わせ・要望 ${digest.inquiries.length} 件 (市は Instagram で返信しません):`);
  for (const q of digest.inquiries) {
    lines.push(`  - ${q.commentId} ${jstClock(q.decidedAt)} 「${q.excerpt}」`);
  }
  return `${lines.join('\n')}\n`;
};

export type { Digest, DigestInput, DigestInquiry, DigestPending };
export { computeDigest, renderDigest };
