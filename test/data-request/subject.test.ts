import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorRefFor, planDecision } from '../../lambdas/core/classify-stage/plan';
import { InvalidDataRequestError } from '../../lambdas/core/data-request/errors';
import { messageMatcher } from '../../lambdas/core/data-request/match';
import { resolveSubject, type Subject } from '../../lambdas/core/data-request/subject';
import { valueRef } from '../../lambdas/core/pii/pseudonym';
import { normalizeUsername, usernameRefFor } from '../../lambdas/core/username';
import {
  commentMessage,
  fakeAnalyze,
  TEST_KEY,
  VISIBLE_OFF_HOURS,
} from '../classify-stage/support/fixtures';

/** How a request names its subject, and which keyed references it is looked up by. */

const resolve = (subject: Record<string, string>, operation = 'disclose'): Subject =>
  resolveSubject({ operation: operation as 'disclose', subject }, TEST_KEY);

const refused = (subject: Record<string, string>): string => {
  try {
    resolve(subject);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDataRequestError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('usernames', () => {
  it('are keyed case-insensitively, with or without @, in any width', () => {
    const ref = usernameRefFor(TEST_KEY, 'hanako.r');
    for (const written of ['Hanako.R', '@hanako.r', '  @@HANAKO.R ', 'ｈａｎａｋｏ．ｒ']) {
      expect(usernameRefFor(TEST_KEY, written), written).toBe(ref);
    }
    expect(usernameRefFor(TEST_KEY, 'hanako.r2')).not.toBe(ref);
    expect(usernameRefFor(TEST_KEY, '@ ')).toBeUndefined();
  });

  it('are stored on the decision only as a keyed reference beside the author reference', () => {
    const message = commentMessage({ from: { id: '1784140000000077', username: 'Hanako.R' } });
    const { decision } = planDecision({
      message,
      analysis: fakeAnalyze('test-1')(message.text ?? ''),
      now: new Date('2026-12-01T01:00:00.000Z'),
      policy: { version: 'test-1', retentionDays: 90 },
      pseudonymKey: TEST_KEY,
      offHours: VISIBLE_OFF_HOURS,
    });
    expect(decision.usernameRef).toBe(usernameRefFor(TEST_KEY, 'hanako.r'));
    expect(decision.authorRef).toBe(authorRefFor(TEST_KEY, '1784140000000077'));
    expect(JSON.stringify(decision).toLowerCase()).not.toContain('hanako');
    const anonymous = planDecision({
      message: commentMessage({ from: { id: '1784140000000077' } }),
      analysis: fakeAnalyze('test-1')('x'),
      now: new Date('2026-12-01T01:00:00.000Z'),
      policy: { version: 'test-1', retentionDays: 90 },
      pseudonymKey: TEST_KEY,
      offHours: VISIBLE_OFF_HOURS,
    });
    expect(anonymous.decision).not.toHaveProperty('usernameRef');
  });

  it('normalise idempotently (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40, unit: 'binary' }),
          // `@`s and spaces in any mix around a name: where a first version was not idempotent.
          fc.stringMatching(/^[@ \u3000＠A-Za-zＡ-Ｚ._!]{0,12}$/),
        ),
        (raw) => {
          const once = normalizeUsername(raw);
          expect(normalizeUsername(once)).toBe(once);
        },
      ),
      { numRuns: 2000, examples: [['@ !'], ['@ @hanako'], [' ＠Ｈａｎａｋｏ ']] },
    );
  });
});

describe('resolveSubject', () => {
  it('keys an author id exactly as the classify stage does', () => {
    expect(resolve({ authorId: ' 17841400000000001 ' })).toEqual({
      kind: 'author',
      authorRef: authorRefFor(TEST_KEY, '17841400000000001'),
    });
  });

  it('looks a value up under every type it could be, with the detector’s normal form', () => {
    const spellings = [
      '090-1234-5678',
      '０９０ １２３４ ５６７８',
      '+81 90-1234-5678',
      '(090)1234-5678',
    ];
    const refs = spellings.map((v) => {
      const subject = resolve({ value: v });
      if (subject.kind !== 'value') throw new Error('not a value');
      return subject.valueRefs.find((r) => r.type === 'phone')?.ref;
    });
    expect(new Set(refs)).toEqual(new Set([valueRef(TEST_KEY, 'phone', '09012345678')]));
    const email = resolve({ value: 'Hanako.R@Example.JP' });
    expect(email.kind === 'value' && email.valueRefs.map((r) => r.type)).toEqual(['email']);
    const address = resolve({ value: '留萌市幸町1-2-3' });
    expect(address.kind === 'value' && address.valueRefs.map((r) => r.type)).toContain('address');
  });

  it('refuses a malformed subject with a reason that never repeats the value', () => {
    const cases: Record<string, string>[] = [
      {},
      { authorId: '1', username: 'a' },
      { authorId: 'hanako' },
      { username: 'has space' },
      { username: 'a'.repeat(31) },
      { commentId: '12-34' },
      { value: '   ' },
      { value: '!!!' },
      { value: 'line\u0007bell' },
    ];
    for (const subject of cases) {
      const message = refused(subject);
      for (const raw of Object.values(subject)) {
        if (raw.trim().length > 2) expect(message, raw).not.toContain(raw.trim());
      }
    }
  });
});

describe('messageMatcher', () => {
  const findPii = (text: string) =>
    [...text.matchAll(/0\d0-\d{4}-\d{4}/g)].map((m) => ({
      type: 'phone' as const,
      start: m.index,
      end: m.index + m[0].length,
    }));
  const matcher = (subject: Subject, ids: string[] = []) =>
    messageMatcher(subject, new Set(ids), { findPii, pseudonymKey: TEST_KEY });
  const message = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      commentId: '555',
      from: { id: '77', username: 'Hanako.R' },
      text: 'こんにちは',
      ...over,
    });

  it('matches a comment message by author, username, comment id or a value in its text', async () => {
    expect(await matcher(resolve({ authorId: '77' }))(message())).toBe(true);
    expect(await matcher(resolve({ authorId: '78' }))(message())).toBe(false);
    expect(await matcher(resolve({ username: '@hanako.r' }))(message())).toBe(true);
    expect(await matcher(resolve({ commentId: '555' }))(message())).toBe(true);
    const phone = resolve({ value: '09011112222' });
    expect(await matcher(phone)(message({ text: '電話 090-1111-2222 まで' }))).toBe(true);
    expect(await matcher(phone)(message({ text: '電話 090-1111-2223 まで' }))).toBe(false);
  });

  it('matches any message, action messages included, about a comment the tables linked', async () => {
    const action = JSON.stringify({ commentId: '999', action: 'hide' });
    expect(await matcher(resolve({ authorId: '77' }), ['999'])(action)).toBe(true);
    expect(await matcher(resolve({ authorId: '77' }))(action)).toBe(false);
  });

  it('reads malformed messages loosely and never throws on garbage', async () => {
    const author = matcher(resolve({ authorId: '77' }));
    expect(await author(JSON.stringify({ from: { id: '77' }, receivedAt: 'yesterday' }))).toBe(
      true,
    );
    for (const body of ['', 'not json', '[1,2]', 'null', '{"from": 7}', '{"text": 5}']) {
      expect(await author(body), body).toBe(false);
    }
  });
});
