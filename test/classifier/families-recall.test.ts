import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { type Analysis, analyze } from '../../lambdas/core/analyze';
import type { Action, CategoryId } from '../../lambdas/core/contracts/decision';
import type { Tokenizer } from '../../lambdas/core/tokenizer';
import { FAMILIES } from './families-recall.probes';

/**
 * Review-level rule families for the categories that generalised worst (1, 2, 5, 6, 7, 10, 11),
 * written as kinds of words (lexicons) rather than phrases. Every wording here was written for
 * this test, none is a row of shared/datasets.
 *
 * `caught` were written before the rules and used while writing them; `unseen` were written after
 * the rules were fixed and never changed them, so they say how far a family reaches (the test asks
 * only for at least half of each family, and lists the ones it misses). `spared` are near-misses that share the
 * family's words; `criticism` is civil criticism of the city, which must stay up and out of review.
 * The rules alone decide here: the learned model is left out so that a family is judged by itself.
 */
let tokenizer: Tokenizer;
const policy = loadPolicy('rumoi');
const run = (text: string): Analysis => analyze(text, { policy, tokenizer });
const RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };
const has = (text: string, category: CategoryId): boolean =>
  run(text).categories.some((c) => c.id === category);

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

describe('review-level families for the weak categories', () => {
  for (const { family, category, caught, unseen, spared, criticism } of FAMILIES) {
    it(`${family}: the wordings the rule was written with are caught under ${category}`, () => {
      for (const text of caught) {
        expect(has(text, category), text).toBe(true);
        expect(RANK[run(text).action], text).toBeGreaterThanOrEqual(RANK.review);
      }
    });
    if (unseen.length > 0) {
      it(`${family}: at least half the wordings written after the rule are caught`, () => {
        const missed = unseen.filter((text) => !has(text, category));
        expect(missed.length, `missed: ${missed.join(' | ')}`).toBeLessThanOrEqual(
          Math.floor(unseen.length / 2),
        );
      });
    }
    it(`${family}: near-misses are not put under ${category} and nothing benign is removed`, () => {
      for (const text of spared) {
        expect(has(text, category), text).toBe(false);
        expect(RANK[run(text).action], text).toBeLessThan(RANK.hide);
      }
    });
    it(`${family}: civil criticism stays up`, () => {
      for (const text of criticism) expect(run(text).action, text).toBe('allow');
    });
  }
});

/** The rules this file is about: none of them may touch civil criticism, however it is put. */
const NEW_RULES = new Set([
  'c1.fraud.pitch',
  'c1.fraud.fee-first',
  'c6.harm.wished',
  'c6.sexual.body',
  'c5.group.generalise',
  'c7.rumour.hearsay',
  'c2.accusation.broad',
  'c10.piracy.service',
  'c6.threat.intent',
  'c6.threat.for-fun',
  'c6.suicide.urged',
  'c6.adult.meet',
  'c11.shock.offer',
  'c11.offtopic.game',
  'c7.impersonation.ask',
  'c7.impersonation.brand-link',
  'c5.looks.mocked',
  'c1.fraud.data-request',
  'c1.crime.announced',
  'c11.mojibake',
  'c11.repeat',
  'c6.death-wish.spelt',
  'c10.reuse.told',
  'c10.counterfeit.offer',
  'c2.contempt.named',
]);
const newRulesIn = (analysis: Analysis): string[] =>
  analysis.categories.flatMap((c) => c.evidence.map((e) => e.rule)).filter((r) => NEW_RULES.has(r));

describe('the review-level families under generated input', () => {
  it('send to review on their own, and even two of them together do not hide', () => {
    for (const category of policy.categories) {
      const ours = category.rules.filter((r) => NEW_RULES.has(r.id));
      const review = category.actions.find((a) => a.action === 'review')?.minScore ?? 1;
      const hide = Math.min(
        ...category.actions.filter((a) => a.action !== 'review').map((a) => a.minScore),
      );
      for (const a of ours) {
        expect(a.weight, a.id).toBeGreaterThanOrEqual(review);
        for (const b of ours) {
          if (a !== b)
            expect(1 - (1 - a.weight) * (1 - b.weight), `${a.id}+${b.id}`).toBeLessThan(hide);
        }
      }
    }
    const found = policy.categories
      .flatMap((c) => c.rules.map((r) => r.id))
      .filter((id) => NEW_RULES.has(id));
    expect(new Set(found)).toEqual(NEW_RULES);
  });

  it('name their rule in the evidence of what they catch', () => {
    for (const { caught } of FAMILIES) {
      for (const text of caught) expect(newRulesIn(run(text)).length, text).toBeGreaterThan(0);
    }
  });

  it('leave civil criticism of the city alone, whoever it names and however it asks', () => {
    const subject = fc.constantFrom(
      '市長は',
      '市役所の除雪は',
      '市の予算の使い方は',
      '議会は',
      '図書館を閉館するのは',
      '給付金の手続きは',
      '市営住宅の家賃の値上げは',
      '少年団への補助金を減らしたのは',
      '高齢者の除雪支援が少ないのは',
    );
    const complaint = fc.constantFrom(
      '遅すぎる',
      'もっと早くやればいいのに',
      '考え直してほしい',
      '市民の声を無視している',
      '税金の無駄だと思う',
      '説明が足りない',
      '一度現場を見に来ればいい',
      'おかしいと思います',
    );
    const end = fc.constantFrom('', '。', '！', 'ｗ', '。ちゃんとしてほしい', '…がっかりです');
    fc.assert(
      fc.property(subject, complaint, end, (s, c, e) => {
        const text = `${s}${c}${e}`;
        const analysis = run(text);
        expect(newRulesIn(analysis), text).toEqual([]);
      }),
      { numRuns: 150, seed: 1414 },
    );
  });

  it('still catch a wording when it is spaced, dotted or written in full-width', () => {
    const texts = FAMILIES.flatMap((f) => f.caught.map((text) => ({ text, category: f.category })));
    const disguise = fc.constantFrom(' ', '\u200b', '.', '／', '　');
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        disguise,
        fc.boolean(),
        ({ text, category }, sep, wide) => {
          const chars = [...text];
          const spaced = chars
            .map((ch, i) =>
              i % 2 === 1 && /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(ch)
                ? `${ch}${sep}`
                : ch,
            )
            .join('');
          const written = wide
            ? spaced.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
            : spaced;
          expect(has(written, category), written).toBe(true);
        },
      ),
      { numRuns: 120, seed: 1415 },
    );
  });
});
