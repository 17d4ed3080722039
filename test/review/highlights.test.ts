import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS, redact } from '../../lambdas/core/pii/redact';
import { PII_TYPES } from '../../lambdas/core/pii/types';
import { placeEvidence } from '../../lambdas/core/review/highlights';

/** Text cut into segments, each plain or personal data; evidence is drawn over the plain ones. */
const segmentsArb = fc.array(
  fc.record({
    text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    pii: fc.option(fc.constantFrom(...PII_TYPES), { freq: 3 }),
  }),
  { minLength: 1, maxLength: 12 },
);

const layout = (segments: readonly { text: string; pii: (typeof PII_TYPES)[number] | null }[]) => {
  let offset = 0;
  return segments.map((s) => {
    const start = offset;
    offset += s.text.length;
    return { ...s, start, end: offset };
  });
};

describe('evidence placed in the redacted text', () => {
  it('marks the same words in the redacted text as in the original', () => {
    fc.assert(
      fc.property(segmentsArb, fc.array(fc.nat(), { maxLength: 4 }), (segments, picks) => {
        const laid = layout(segments);
        const text = laid.map((s) => s.text).join('');
        const spans = laid.flatMap((s) =>
          s.pii ? [{ type: s.pii, start: s.start, end: s.end }] : [],
        );
        const plain = laid.filter((s) => !s.pii);
        if (plain.length === 0) return;
        const evidence = picks.map((p) => {
          const seg = plain[p % plain.length] as (typeof plain)[number];
          return { category: '4' as const, rule: `r${p}`, start: seg.start, end: seg.end };
        });
        const redacted = redact(text, spans);
        const highlights = placeEvidence(redacted, spans, evidence);
        expect(highlights).toHaveLength(evidence.length);
        for (const h of highlights) {
          const source = evidence.find((e) => e.rule === h.rule) as (typeof evidence)[number];
          expect(redacted.slice(h.start, h.end)).toBe(text.slice(source.start, source.end));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('widens evidence that touches personal data to the whole placeholder, never beyond the text', () => {
    fc.assert(
      fc.property(segmentsArb, fc.nat(), fc.nat(), (segments, a, b) => {
        const laid = layout(segments);
        const text = laid.map((s) => s.text).join('');
        const spans = laid.flatMap((s) =>
          s.pii ? [{ type: s.pii, start: s.start, end: s.end }] : [],
        );
        const start = a % (text.length + 1);
        const end = start + (b % (text.length - start + 1));
        const redacted = redact(text, spans);
        for (const h of placeEvidence(redacted, spans, [
          { category: '8', rule: 'x', start, end },
        ])) {
          expect(h.start).toBeGreaterThanOrEqual(0);
          expect(h.end).toBeLessThanOrEqual(redacted.length);
          expect(h.end).toBeGreaterThan(h.start);
          // A highlight never cuts a placeholder in two.
          let at = 0;
          for (const s of laid) {
            const length = s.pii ? PII_PLACEHOLDERS[s.pii].length : s.text.length;
            if (s.pii) {
              const cuts =
                (h.start > at && h.start < at + length) || (h.end > at && h.end < at + length);
              expect(cuts).toBe(false);
            }
            at += length;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an example: a phone number inside the evidence of a contact rule', () => {
    const text = '田中太郎の電話番号は090-1234-5678です';
    const spans = [
      { type: 'person_name' as const, start: 0, end: 4 },
      { type: 'phone' as const, start: 10, end: 23 },
    ];
    const redacted = redact(text, spans);
    expect(redacted).toBe('[氏名]の電話番号は[電話番号]です');
    const [h] = placeEvidence(redacted, spans, [{ category: '8', rule: 'c8', start: 5, end: 23 }]);
    expect(redacted.slice(h?.start, h?.end)).toBe('電話番号は[電話番号]');
  });
});
