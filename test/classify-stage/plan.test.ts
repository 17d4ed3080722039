import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../lambdas/core/analyze';
import {
  actionMessageFor,
  authorRefFor,
  LedgerTextMissingError,
  ledgerRowsFor,
  piiValueRef,
  planDecision,
} from '../../lambdas/core/classify-stage/plan';
import type { StagePolicy } from '../../lambdas/core/classify-stage/records';
import { actionMessageSchema } from '../../lambdas/core/contracts/decision';
import { keyedRef } from '../../lambdas/core/pseudonym';
import { commentMessage, fakeAnalyze, RUMOI_OFF_HOURS, TEST_KEY } from './support/fixtures';

const policy: StagePolicy = { version: 'test-1', retentionDays: 90 };
const now = new Date('2026-11-26T01:00:05.000Z');
const analyzeFake = fakeAnalyze(policy.version);

const plan = (overrides: Parameters<typeof commentMessage>[0], analyzer = analyzeFake) => {
  const message = commentMessage(overrides);
  const analysis = message.text === undefined ? undefined : analyzer(message.text);
  return {
    message,
    ...planDecision({
      message,
      analysis,
      now,
      policy,
      pseudonymKey: TEST_KEY,
      offHours: RUMOI_OFF_HOURS,
    }),
  };
};

describe('planDecision', () => {
  it('records an allowed comment complete at birth, with no ledger rows and no action', () => {
    const { message, decision, ledger, action } = plan({ text: 'きれいな夕日ですね' });
    expect(decision).toMatchObject({
      commentId: message.commentId,
      accountId: message.accountId,
      mediaId: message.mediaId,
      field: 'comments',
      receivedAt: message.receivedAt,
      decidedAt: now.toISOString(),
      policyVersion: 'test-1',
      classifierVersion: 'fake-1',
      action: 'allow',
      actionStatus: 'none',
      categories: [],
      piiTypes: {},
      inquiry: false,
      stage: 'complete',
      redactedText: 'きれいな夕日ですね',
      authorRef: keyedRef(TEST_KEY, 'author', message.from?.id ?? ''),
    });
    expect(decision.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 90 * 86_400);
    expect(decision).not.toHaveProperty('reviewState');
    expect(decision).not.toHaveProperty('pendingFetch');
    expect(ledger).toEqual([]);
    expect(action).toBeUndefined();
  });

  it('marks review decisions for the review queue (sparse byReviewState index)', () => {
    const { decision, action } = plan({ text: '[review] 微妙な内容?' });
    expect(decision.action).toBe('review');
    expect(decision.reviewState).toBe('pending');
    expect(decision.actionStatus).toBe('none');
    expect(decision.inquiry).toBe(true);
    expect(action).toBeUndefined();
  });

  it('gives hide/delete decisions a pending action status and a valid action message', () => {
    for (const verb of ['hide', 'delete'] as const) {
      const { message, decision, action } = plan({
        text: `[${verb}] ひどい`,
        field: 'live_comments',
        mediaProductType: 'LIVE',
      });
      expect(decision.actionStatus).toBe('pending');
      expect(decision.stage).toBe('decided');
      expect(decision).not.toHaveProperty('reviewState');
      expect(actionMessageSchema.parse(action)).toEqual({
        commentId: message.commentId,
        accountId: message.accountId,
        field: 'live_comments',
        action: verb,
        mediaProductType: 'LIVE',
        policyVersion: 'test-1',
        decidedAt: now.toISOString(),
      });
    }
  });

  it('writes one ledger row per detected span, by keyed reference and position only', () => {
    const text = '[hide] 090-1234-5678 と 080-1111-2222 に電話';
    const { message, decision, ledger } = plan({ text });
    expect(decision.piiTypes).toEqual({ phone: 2 });
    expect(decision.piiSpans).toEqual([
      { type: 'phone', start: 7, end: 20 },
      { type: 'phone', start: 23, end: 36 },
    ]);
    expect(decision.redactedText).toBe('[hide] ＜電話番号＞ と ＜電話番号＞ に電話');
    expect(ledger).toEqual([
      {
        commentId: message.commentId,
        index: 0,
        type: 'phone',
        start: 7,
        end: 20,
        valueRef: piiValueRef(TEST_KEY, 'phone', '090-1234-5678'),
        purpose: 'moderation',
        expiresAt: decision.expiresAt,
      },
      expect.objectContaining({ index: 1, start: 23, end: 36 }),
    ]);
    expect(ledgerRowsFor(decision, text, TEST_KEY)).toEqual(ledger);
  });

  it('gives the same value reference to the same number however it is written', () => {
    expect(piiValueRef(TEST_KEY, 'phone', '０９０ー１２３４ー５６７８')).toBe(
      piiValueRef(TEST_KEY, 'phone', '090-1234-5678'),
    );
    expect(piiValueRef(TEST_KEY, 'phone', '090-1234-5678')).not.toBe(
      piiValueRef(TEST_KEY, 'my_number', '090-1234-5678'),
    );
    expect(piiValueRef(TEST_KEY, 'email', 'A@Example.jp')).toBe(
      piiValueRef(TEST_KEY, 'email', 'a@example.jp'),
    );
  });

  it('records comments without text as pending a fetch, not as an empty comment', () => {
    const { decision, ledger, action } = plan({ field: 'mentions', text: undefined });
    expect(decision).toMatchObject({
      pendingFetch: true,
      action: 'allow',
      actionStatus: 'none',
      stage: 'complete',
      piiSpans: [],
    });
    expect(decision).not.toHaveProperty('redactedText');
    expect(decision).not.toHaveProperty('classifierVersion');
    expect(ledger).toEqual([]);
    expect(action).toBeUndefined();
  });

  it('omits the author reference when the message names no author', () => {
    const { decision } = plan({ from: undefined });
    expect(decision).not.toHaveProperty('authorRef');
  });

  it('masks values the analyzer failed to redact, and the author username and id', () => {
    const leaky = (text: string): Analysis => ({ ...analyzeFake(text), redactedText: text });
    const { message, decision } = plan(
      {
        text: '[hide] 090-1234-5678 by @someone_fake and 9123456789',
        from: { id: '9123456789', username: 'someone_fake' },
      },
      leaky,
    );
    expect(decision.redactedText).toBe('[hide] ＊＊＊ by @＊＊＊ and ＊＊＊');
    expect(JSON.stringify(decision)).not.toContain(message.from?.username);
  });

  it('stores only the contract fields of categories and evidence', () => {
    const extra = (text: string): Analysis => {
      const base = analyzeFake(text);
      return {
        ...base,
        categories: base.categories.map((c) => ({
          ...c,
          matched: text,
          evidence: c.evidence.map((e) => ({ ...e, value: text })),
        })),
      };
    };
    const { decision } = plan({ text: '[delete] 090-1234-5678' }, extra);
    expect(JSON.stringify(decision.categories)).not.toContain('090-1234-5678');
  });

  it('refuses to rebuild ledger rows without the text they point into', () => {
    const { decision } = plan({ text: '[hide] 090-1234-5678' });
    expect(() => ledgerRowsFor(decision, undefined, TEST_KEY)).toThrow(LedgerTextMissingError);
    expect(() => ledgerRowsFor(decision, 'short', TEST_KEY)).toThrow(LedgerTextMissingError);
  });

  it('derives the action message from the stored decision only', () => {
    const { decision, action } = plan({ text: '[delete] x' });
    expect(actionMessageFor(decision)).toEqual(action);
    expect(actionMessageFor({ ...decision, action: 'review' })).toBeUndefined();
  });

  it('never stores a detected value, username or raw user id (property)', () => {
    const phone = fc
      .tuple(
        fc.constantFrom('090', '080', '070'),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 9999 }),
      )
      .map(([a, b, c]) => `${a}-${String(b).padStart(4, '0')}-${String(c).padStart(4, '0')}`);
    fc.assert(
      fc.property(
        fc.constantFrom('allow', 'review', 'hide', 'delete'),
        fc.array(phone, { maxLength: 3 }),
        fc.stringMatching(/^[a-z_]{3,12}$/).map((u) => `zq_${u}`),
        fc.stringMatching(/^[1-9]\d{9,16}$/),
        fc.boolean(),
        (verb, phones, username, userId, echoAuthor) => {
          const text = `[${verb}] ${phones.join(' と ')}${echoAuthor ? ` @${username} ${userId}` : ''}`;
          const leaky = (t: string): Analysis => ({ ...analyzeFake(t), redactedText: t });
          const out = plan({ text, from: { id: userId, username } }, leaky);
          const stored = JSON.stringify([out.decision, out.ledger, out.action ?? null]);
          for (const p of phones) expect(stored).not.toContain(p);
          expect(stored).not.toContain(username);
          expect(stored).not.toContain(userId);
          expect(out.ledger).toHaveLength(phones.length);
          expect(out.action !== undefined).toBe(verb === 'hide' || verb === 'delete');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keys author references by purpose', () => {
    expect(authorRefFor(TEST_KEY, '123')).toBe(keyedRef(TEST_KEY, 'author', '123'));
    expect(authorRefFor(TEST_KEY, '123')).not.toBe(piiValueRef(TEST_KEY, 'phone', '123'));
  });
});
