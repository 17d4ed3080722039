import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii } from '../../lambdas/core/pii/detect';
import { PII_PLACEHOLDERS, redact } from '../../lambdas/core/pii/redact';
import { PII_TYPES, type PiiSpan } from '../../lambdas/core/pii/types';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const span = (type: PiiSpan['type'], start: number, end: number): PiiSpan => ({
  type,
  start,
  end,
  score: 1,
  rule: 'test',
});

describe('redact', () => {
  it('replaces each span with its typed placeholder', () => {
    expect(redact('電話は090-1234-5678です', [span('phone', 3, 16)])).toBe('電話は[電話番号]です');
  });

  it('accepts spans in any order and merges overlapping ones', () => {
    const text = 'abcdefghij';
    expect(redact(text, [span('email', 6, 8), span('phone', 1, 3)])).toBe(
      'a[電話番号]def[メール]ij',
    );
    expect(redact(text, [span('phone', 1, 5), span('email', 3, 7)])).toBe('a[電話番号]hij');
  });

  it('clamps spans that reach outside the text', () => {
    expect(redact('abc', [span('phone', 1, 99)])).toBe('a[電話番号]');
  });

  it('has a placeholder for every type, none of which is itself detected', () => {
    for (const type of PII_TYPES) {
      const placeholder = PII_PLACEHOLDERS[type];
      expect(placeholder).toMatch(/^\[[^\]]+\]$/);
      expect(detectPii(`これは${placeholder}です`, tokenizer)).toEqual([]);
    }
  });
});

// Fillers without digits, letters or kanji, so an inserted value cannot merge with its neighbours.
const filler = fc.string({
  unit: fc.constantFrom(...'あいうえおかきくけこさしすせそ、。！？ 　ｗ'.split(''), '😀', '\ud83d'),
  maxLength: 12,
});
const comment = fc.string({
  unit: fc.constantFrom(
    ...'留萌市の海はきれい写真ありがとう！？。、 0123456789-@.ａｂ０１２３山田太郎さん町丁目番号'.split(
      '',
    ),
  ),
  maxLength: 60,
});

// Fake values with the words around them that a person would write.
const fakeValue = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('090', '080', '070'),
      fc.integer({ min: 1000, max: 9999 }),
      fc.integer({ min: 1000, max: 9999 }),
    )
    .map(([a, b, c]) => ({ value: `${a}-${b}-${c}`, before: '電話', after: 'まで' })),
  fc
    .tuple(
      fc.constantFrom('taro', 'hanako.s', 'yumi_77'),
      fc.constantFrom('example.jp', 'mail.example.com'),
    )
    .map(([l, d]) => ({ value: `${l}@${d}`, before: 'メール ', after: ' へ' })),
  // 077-0000 is the whole town's code (no street listed), published and nobody's address.
  fc.integer({ min: 1, max: 9999 }).map((n) => ({
    value: `〒077-${String(n).padStart(4, '0')}`,
    before: '',
    after: ' ',
  })),
  fc
    .tuple(
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 40 }),
    )
    .map(([a, b, c]) => ({ value: `留萌市港町${a}丁目${b}-${c}`, before: '家は', after: 'です' })),
  fc
    .tuple(
      fc.integer({ min: 1950, max: 2020 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => ({ value: `${y}年${m}月${d}日`, before: '', after: '生まれ' })),
  fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => ({
    value: `TK${n}`,
    before: 'パスポート',
    after: 'です',
  })),
  fc
    .tuple(
      fc.integer({ min: 100, max: 999 }),
      fc.constantFrom('あ', 'さ', 'ふ'),
      fc.integer({ min: 10, max: 99 }),
      fc.integer({ min: 10, max: 99 }),
    )
    .map(([c, k, a, b]) => ({ value: `札幌 ${c} ${k} ${a}-${b}`, before: '', after: 'の車' })),
  fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => ({
    value: `北洋銀行 留萌支店 普通 ${n}`,
    before: '振込先は',
    after: 'です',
  })),
);

describe('redaction properties', () => {
  it('never lets an inserted fake value survive', () => {
    fc.assert(
      fc.property(filler, fakeValue, filler, (left, { value, before, after }, right) => {
        const text = `${left}${before}${value}${after}${right}`;
        const redacted = redact(text, detectPii(text, tokenizer));
        expect(redacted).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          comment,
          fc
            .tuple(filler, fakeValue, comment)
            .map(([a, v, b]) => `${a}${v.before}${v.value}${v.after}${b}`),
        ),
        (text) => {
          const once = redact(text, detectPii(text, tokenizer));
          expect(redact(once, detectPii(once, tokenizer))).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays idempotent when only a placeholder brings kanji into kana text (found by the property)', () => {
    for (const text of ['ああき 〒077-0032 ', 'ああき user@example.jp です']) {
      const once = redact(text, detectPii(text, tokenizer));
      expect(once).not.toBe(text);
      expect(redact(once, detectPii(once, tokenizer))).toBe(once);
    }
  });

  it('keeps offsets inside the text, ordered and disjoint', () => {
    fc.assert(
      fc.property(fc.oneof(comment, fc.string({ unit: 'binary', maxLength: 80 })), (text) => {
        let previousEnd = 0;
        for (const s of detectPii(text, tokenizer)) {
          expect(s.start).toBeGreaterThanOrEqual(previousEnd);
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end).toBeLessThanOrEqual(text.length);
          previousEnd = s.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('puts only fixed placeholders in place of the spans, never input text', () => {
    const placeholders = new Set(Object.values(PII_PLACEHOLDERS));
    fc.assert(
      fc.property(
        comment,
        fc.array(fc.tuple(fc.nat(80), fc.nat(20), fc.constantFrom(...PII_TYPES)), { maxLength: 4 }),
        (text, raw) => {
          const spans = raw.map(([start, length, type]) => span(type, start, start + length));
          const redacted = redact(text, spans);
          // Every placeholder in the output is one of the fixed set, and the text outside the spans survives in order.
          for (const m of redacted.matchAll(/\[[^\]]*\]/g)) {
            if (!placeholders.has(m[0]) && !text.includes(m[0]))
              throw new Error(`unexpected ${m[0]}`);
          }
          expect(redacted.length).toBeLessThanOrEqual(text.length + spans.length * 7);
        },
      ),
      { numRuns: 300 },
    );
  });
});
