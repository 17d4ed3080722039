import { loadOfficeHours } from '../../../lambdas/adapters/policy';
import type { Analysis } from '../../../lambdas/core/analyze';
import { createBusinessCalendar } from '../../../lambdas/core/calendar/calendar';
import type { OffHoursPolicy } from '../../../lambdas/core/classify-stage/records';
import type { CommentMessage } from '../../../lambdas/core/contracts/comment-message';
import type { Action, CategoryFinding } from '../../../lambdas/core/contracts/decision';
import type { PiiSpan } from '../../../lambdas/core/pii/types';

/**
 * A deterministic stand-in for `analyze()` where a test needs decisions that the placeholder
 * classifier cannot produce yet. Text grammar: an optional `[allow|review|hide|delete]` prefix
 * picks the action, `?` anywhere marks an inquiry, and every `0X0-NNNN-NNNN` is a phone number.
 */
const PHONE = /0[789]0-\d{4}-\d{4}/g;
const ACTION_TAG = /^\[(allow|review|hide|delete)\]/;
const FAKE_CLASSIFIER_VERSION = 'fake-1';

const fakeAnalyze =
  (policyVersion: string) =>
  (text: string): Analysis => {
    const action = (ACTION_TAG.exec(text)?.[1] ?? 'allow') as Action;
    const pii: PiiSpan[] = [...text.matchAll(PHONE)].map((m) => ({
      type: 'phone',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
      rule: 'fake.phone',
    }));
    const categories: CategoryFinding[] =
      action === 'allow'
        ? []
        : [
            {
              id: pii.length > 0 ? '8' : '6',
              score: 0.9,
              evidence:
                pii.length > 0
                  ? pii.map((p) => ({ rule: p.rule, start: p.start, end: p.end }))
                  : [{ rule: 'fake.tag', start: 0, end: action.length + 2 }],
            },
          ];
    let redactedText = text;
    for (const p of [...pii].reverse()) {
      redactedText = `${redactedText.slice(0, p.start)}＜電話番号＞${redactedText.slice(p.end)}`;
    }
    return {
      action,
      categories,
      pii,
      redactedText,
      inquiry: text.includes('?'),
      policyVersion,
      classifierVersion: FAKE_CLASSIFIER_VERSION,
    };
  };

/** An analyzer built from gold labels (a perfect detector), for checking the stage's own leaks. */
const oracleAnalyze =
  (policyVersion: string, gold: ReadonlyMap<string, readonly PiiSpan[]>) =>
  (text: string): Analysis => {
    const pii = gold.get(text) ?? [];
    let redactedText = text;
    for (const p of [...pii].sort((a, b) => b.start - a.start)) {
      redactedText = `${redactedText.slice(0, p.start)}＜${p.type}＞${redactedText.slice(p.end)}`;
    }
    return {
      action: pii.length > 0 ? 'hide' : 'allow',
      categories:
        pii.length > 0
          ? [
              {
                id: '8',
                score: 1,
                evidence: pii.map((p) => ({ rule: p.rule, start: p.start, end: p.end })),
              },
            ]
          : [],
      pii,
      redactedText,
      inquiry: false,
      policyVersion,
      classifierVersion: 'oracle-1',
    };
  };

let sequence = 0;

/** A valid comment message; ids are unique per process so tests can share one store. */
const commentMessage = (overrides: Partial<CommentMessage> = {}): CommentMessage => {
  sequence += 1;
  const commentId = `17900000${String(process.pid % 10_000).padStart(4, '0')}${String(sequence).padStart(6, '0')}`;
  return {
    accountId: '17841400000000001',
    field: 'comments',
    commentId,
    mediaId: '17950000000000001',
    text: 'きれいな夕日ですね',
    from: { id: `9${commentId.slice(1)}`, username: `user_${commentId.slice(-6)}` },
    receivedAt: '2026-11-26T01:00:00.000Z',
    deliveryTime: '2026-11-26T00:59:59.000Z',
    ...overrides,
  };
};

const TEST_KEY = 'test-pseudonym-key-0123456789abcdef';

const rumoiHours = loadOfficeHours('rumoi');

/** Rumoi's office hours and off-hours rule as bundled (`review` decisions hidden while closed). */
const RUMOI_OFF_HOURS: OffHoursPolicy = {
  calendar: createBusinessCalendar(rumoiHours),
  rule: rumoiHours.offHours,
  auditRetentionDays: rumoiHours.review.auditRetentionDays,
};

/**
 * The same calendar with the rule's other setting (`review` stays visible until the next business
 * day), for tests that run on the wall clock and must not depend on the hour they run at.
 */
const VISIBLE_OFF_HOURS: OffHoursPolicy = {
  ...RUMOI_OFF_HOURS,
  rule: { ...rumoiHours.offHours, review: 'review' },
};

/** Fixed instants (JST = UTC+9) on either side of article 5's office hours. */
const INSTANTS = {
  /** Tuesday 2026-12-01 10:00 JST: open. */
  tuesdayMorning: new Date('2026-12-01T01:00:00.000Z'),
  /** Saturday 2026-11-28 10:00 JST: weekend. */
  saturday: new Date('2026-11-28T01:00:00.000Z'),
  /** Thursday 2026-11-26 18:00 JST: after closing (17:20). */
  thursdayEvening: new Date('2026-11-26T09:00:00.000Z'),
  /** Wednesday 2026-12-30 10:00 JST: year-end break. */
  yearEnd: new Date('2026-12-30T01:00:00.000Z'),
} as const;

export {
  commentMessage,
  FAKE_CLASSIFIER_VERSION,
  fakeAnalyze,
  INSTANTS,
  oracleAnalyze,
  RUMOI_OFF_HOURS,
  TEST_KEY,
  VISIBLE_OFF_HOURS,
};
