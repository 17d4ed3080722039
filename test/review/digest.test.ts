import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import {
  createConsoleDigestPublisher,
  truncateBytes,
} from '../../lambdas/adapters/digest-publisher';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { fromJst } from '../../lambdas/core/calendar/jst';
import { computeDigest, renderDigest } from '../../lambdas/core/review/digest';
import type { DigestDeps } from '../../lambdas/core/review/service';
import { createDigestHandler } from '../../lambdas/handlers/digest';
import { type Embedded, startEmbedded } from '../../local/embedded';
import { asItem, calendar, seed, storedDecision } from './support';

const iso = (y: number, m: number, d: number, h: number, min = 0) =>
  new Date(fromJst(y, m, d, h, min)).toISOString();

// Monday 2026-11-30 08:50 JST; the previous business day opened Friday 2026-11-27 08:50.
const MONDAY = new Date(fromJst(2026, 11, 30, 8, 50));
const TUESDAY = new Date(fromJst(2026, 12, 1, 8, 50));

const fixtures = () => ({
  inquiry: storedDecision({
    decidedAt: iso(2026, 11, 27, 9),
    action: 'allow',
    categories: [],
    reviewState: undefined,
    inquiry: true,
    redactedText: `図書館の開館時間を教えてください［電話番号］${'。'.repeat(100)}`,
  }),
  offHours: storedDecision({
    decidedAt: iso(2026, 11, 28, 12),
    interimAction: 'hide',
    actionStatus: 'done',
  }),
  hidden: storedDecision({
    decidedAt: iso(2026, 11, 29, 3),
    action: 'hide',
    actionStatus: 'done',
    reviewState: undefined,
    categories: [
      { id: '4', score: 0.9, evidence: [] },
      { id: '6', score: 0.8, evidence: [] },
    ],
  }),
  olderPending: storedDecision({ decidedAt: iso(2026, 11, 26, 10) }),
  atUntil: storedDecision({
    decidedAt: MONDAY.toISOString(),
    action: 'delete',
    reviewState: undefined,
  }),
  expired: storedDecision({
    decidedAt: iso(2026, 11, 27, 12),
    action: 'delete',
    reviewState: undefined,
    expiresAt: Math.floor(MONDAY.getTime() / 1000) - 1,
  }),
});

describe('digest contents (pure)', () => {
  it('counts per action and category in [since, until), lists pending by business age and inquiries', () => {
    const f = fixtures();
    const items = [f.inquiry, f.offHours, f.hidden, f.olderPending, f.atUntil].map(asItem);
    const digest = computeDigest({
      since: new Date(fromJst(2026, 11, 27, 8, 50)),
      until: MONDAY,
      decided: [...items, asItem(f.hidden)], // a repeated item counts once
      queue: [asItem(f.hidden), asItem(f.offHours), asItem(f.olderPending)],
      calendar,
    });
    expect(digest.day).toBe('2026-11-30');
    expect(digest.decisions).toBe(3);
    expect(digest.byAction).toEqual({ allow: 1, review: 1, hide: 1, delete: 0 });
    expect(digest.byCategory).toEqual({
      '4': { total: 2, allow: 0, review: 1, hide: 1, delete: 0 },
      '6': { total: 1, allow: 0, review: 0, hide: 1, delete: 0 },
    });
    expect(digest.interimHides).toBe(1);
    expect(digest.pending.map((p) => [p.commentId, p.queue, p.ageBusinessMs])).toEqual([
      // Thu 10:00–17:20 and all of Friday; the weekend does not count.
      [f.olderPending.commentId, 'pending', (7 * 60 + 20 + 8 * 60 + 30) * 60_000],
      [f.offHours.commentId, 'pending', 0],
      [f.hidden.commentId, 'hidden', 0],
    ]);
    expect(digest.inquiries).toHaveLength(1);
    expect(digest.inquiries[0]?.excerpt).toHaveLength(81);
    const text = renderDigest(digest);
    expect(text).toContain('判定 3 件: 許可 1 / 要確認 1 / 非表示 1 / 削除 0');
    expect(text).toContain('第6条(4): 2 件 (要確認 1, 非表示 1)');
    expect(text).toContain('うち時間外の一時非表示 1 件');
    expect(text).toContain(
      `${f.olderPending.commentId} 確認待ち 判定 2026-11-26 10:00 経過 15時間50分`,
    );
    expect(text).toContain('図書館の開館時間を教えてください［電話番号］');
    expect(text).not.toContain('a'.repeat(64));
  });

  it('cuts an oversized message for SNS without breaking characters', () => {
    const text = '留'.repeat(200_000);
    const cut = truncateBytes(text, 250 * 1024);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(250 * 1024);
    expect(cut).toContain('省略');
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('daily digest run (dynalite, console publisher)', () => {
  let embedded: Embedded;
  let deps: DigestDeps;
  const printed: string[] = [];
  const f = fixtures();

  beforeAll(async () => {
    embedded = await startEmbedded({ prefix: 'digest' });
    deps = {
      store: createReviewStore(embedded.doc, embedded.tableNames.decisions),
      audit: createAuditStore(embedded.doc, embedded.tableNames.audit),
      publisher: createConsoleDigestPublisher((text) => printed.push(text)),
      calendar,
      auditRetentionDays: 400,
      policyVersion: '2025-08-20.0',
    };
    await seed(embedded, Object.values(f));
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('skips weekends, national holidays and the year-end break', async () => {
    const digest = createDigestHandler(deps);
    await expect(digest({ time: iso(2026, 11, 28, 8, 50) })).resolves.toEqual({
      status: 'closed',
      reason: 'weekend',
    });
    await expect(digest({ time: iso(2026, 11, 23, 8, 50) })).resolves.toEqual({
      status: 'closed',
      reason: 'holiday',
    });
    await expect(digest({ time: iso(2026, 12, 29, 8, 50) })).resolves.toEqual({
      status: 'closed',
      reason: 'year_end',
    });
    expect(printed).toHaveLength(0);
  });

  it('publishes once per business day, covering the time since the last digest', async () => {
    const digest = createDigestHandler(deps);
    const first = await digest({ time: MONDAY.toISOString() });
    expect(first.status).toBe('published');
    if (first.status !== 'published') return;
    // No digest on record: from Friday's opening, the previous business day.
    expect(first.digest.since).toBe(iso(2026, 11, 27, 8, 50));
    expect(first.digest.decisions).toBe(3);
    expect(first.digest.pending.map((p) => p.commentId)).toEqual([
      f.olderPending.commentId,
      f.offHours.commentId,
      f.hidden.commentId,
    ]);
    expect(first.digest.inquiries.map((i) => i.commentId)).toEqual([f.inquiry.commentId]);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Instagram コメント日報 2026-11-30');

    // A retried invocation of the same schedule does not send it again.
    await expect(digest({ time: MONDAY.toISOString() })).resolves.toEqual({
      status: 'already_sent',
      day: '2026-11-30',
    });
    expect(printed).toHaveLength(1);

    const next = await digest({ time: TUESDAY.toISOString() });
    expect(next.status === 'published' && next.digest.since).toBe(MONDAY.toISOString());
    // Monday 08:50 exactly belongs to Tuesday's digest.
    expect(next.status === 'published' && next.digest.byAction.delete).toBe(1);
    const trail = await deps.audit.list('digest', TUESDAY);
    expect(trail.map((e) => e.eventId)).toEqual(['digest#2026-11-30', 'digest#2026-12-01']);
  });
});
