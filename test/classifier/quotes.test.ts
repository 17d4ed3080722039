import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../lambdas/adapters/policy';
import type { Analysis } from '../../lambdas/core/analyze';
import { foldReportWord, reportedQuotes } from '../../lambdas/core/classifier/quotes';
import { createAnalyzer } from '../../local/cli/analyzer';
import { STILL_REMOVED } from './auto-action-near-misses.probes';

/**
 * A scam, threat or rumour quoted to warn others (「…」ってDMが来た) is someone else's words: the rules
 * send it to a person instead of removing it. Words outside the quotation still count as usual.
 */
const config = {
  rule: 'context.reported-quote',
  reportedBy: ['来た', '勧誘', 'コメント', 'dm'].map(foldReportWord),
  window: 20,
};

describe('reportedQuotes', () => {
  it('finds a closed quotation followed by a quoting particle and a word for receiving it', () => {
    const text = 'うちにも「日払い3万」ってＤＭが来た、気をつけて';
    expect(reportedQuotes(text, config)).toEqual([{ start: 4, end: 11 }]);
    expect(reportedQuotes('『当選しました』みたいなコメントが多い', config)).toEqual([
      { start: 0, end: 8 },
    ]);
  });

  it('ignores a quotation that is not reported as received, is not closed, or is too long', () => {
    expect(reportedQuotes('「死ね」と男が叫んだ', config)).toEqual([]);
    expect(reportedQuotes('「日払い3万」ってすごいね', config)).toEqual([]);
    expect(reportedQuotes('「日払い3万 ってDMが来た', config)).toEqual([]);
    expect(reportedQuotes(`「${'あ'.repeat(400)}」ってDMが来た`, config)).toEqual([]);
    // The report words must follow within the window, not anywhere later.
    expect(reportedQuotes(`「日払い」って${'あ'.repeat(30)}DMが来た`, config)).toEqual([]);
  });

  it('never throws and returns spans inside the text whose ends are brackets', () => {
    const piece = fc.constantFrom(
      '「',
      '」',
      '『',
      '』',
      '“',
      '”',
      'って',
      'DM',
      'が来た',
      'あ',
      '死ね',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        for (const q of reportedQuotes(text, config)) {
          expect(q.start).toBeGreaterThanOrEqual(0);
          expect(q.end).toBeLessThanOrEqual(text.length);
          expect('「『“«').toContain(text[q.start]);
          expect('」』”»').toContain(text[q.end - 1]);
        }
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});

describe('the rules and a reported quotation', () => {
  let rulesOnly: (text: string) => Analysis;
  const removed = (a: Analysis): boolean => a.action === 'hide' || a.action === 'delete';
  const reportRule = loadPolicy('rumoi').quotedReport?.rule ?? '';

  beforeAll(async () => {
    rulesOnly = await createAnalyzer('rumoi', { rulesOnly: true });
  }, 60_000);

  it('the Rumoi policy names a rule for it', () => {
    expect(reportRule).toMatch(/\S/);
  });

  const quotable = STILL_REMOVED.filter((t) => !/[「」『』“”]/u.test(t));
  const reports = [
    'ってDMが来た。詐欺だよね',
    'みたいなコメントが増えてる、通報しよう',
    'って勧誘の電話が来た',
  ];

  it('a removed violation quoted as received is not removed, and says why', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...quotable),
        fc.constantFrom(...reports),
        (violation, report) => {
          expect(removed(rulesOnly(violation)), violation).toBe(true);
          expect(removed(rulesOnly(`「${violation}」${report}`)), violation).toBe(false);
        },
      ),
      { numRuns: 120, seed: 14 },
    );
    const quoted = rulesOnly('「市役所のやつら全員ぶっ殺す」ってコメントが来た');
    expect(quoted.action).toBe('review');
    expect(quoted.categories.flatMap((c) => c.evidence.map((e) => e.rule))).toContain(reportRule);
  });

  it('a violation written outside a reported quotation is still removed', () => {
    // Flooding is a property of the whole comment: words beside it end it, quoted or not. So the
    // violations kept are those removed beside the same words without brackets.
    const beside = quotable.filter((v) => removed(rulesOnly(`こんにちはってDMが来た。${v}`)));
    expect(beside.length).toBeGreaterThanOrEqual(30);
    fc.assert(
      fc.property(fc.constantFrom(...beside), (violation) => {
        expect(removed(rulesOnly(`「こんにちは」ってDMが来た。${violation}`)), violation).toBe(
          true,
        );
      }),
      { numRuns: 120, seed: 14 },
    );
  });
});
