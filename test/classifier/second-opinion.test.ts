import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { loadTextModel } from '../../lambdas/adapters/text-model';
import { analyze, ModelMismatchError } from '../../lambdas/core/analyze';
import type { ModelScores } from '../../lambdas/core/classifier/model';
import { joinSecondOpinion, type RulesOutcome } from '../../lambdas/core/classifier/second-opinion';
import { ACTIONS, type Action, CATEGORY_IDS } from '../../lambdas/core/contracts/decision';
import type { SecondOpinion } from '../../lambdas/core/policy/schema';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

const RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };

const CONFIG: SecondOpinion = {
  model: { name: 'm', version: '1' },
  alone: {
    rule: 'model.alone',
    minScore: 0.7,
    minLetters: 0,
    action: 'review',
    offHours: 'review',
    category: '11',
    categories: [{ id: '4', rule: 'model.alone.c4', minScore: 0.6 }],
  },
  categories: [{ id: '5', rule: 'model.c5', minScore: 0.5 }],
  corroborate: [
    {
      category: '6',
      rule: 'model.corroborate.c6',
      ruleMinScore: 0.5,
      modelMinScore: 0.9,
      action: 'hide',
    },
  ],
};

const TEXT5 = 'abcde';
const TEXT7 = 'abcdefg';
const TEXT20 = 'a'.repeat(20);

const NONE: RulesOutcome = { categories: [], action: 'allow' };
const review6: RulesOutcome = {
  categories: [{ id: '6', score: 0.6, evidence: [{ rule: 'c6.x', start: 0, end: 2 }] }],
  action: 'review',
};

const scoresArb: fc.Arbitrary<ModelScores> = fc.record({
  any: fc.double({ min: 0, max: 1, noNaN: true }),
  ...Object.fromEntries(CATEGORY_IDS.map((id) => [id, fc.double({ min: 0, max: 1, noNaN: true })])),
});

const rulesArb: fc.Arbitrary<RulesOutcome> = fc
  .uniqueArray(fc.constantFrom(...CATEGORY_IDS), { maxLength: 3 })
  .chain((ids) =>
    fc
      .constantFrom(...ACTIONS.filter((a) => (ids.length === 0 ? a === 'allow' : a !== 'allow')))
      .map((action) => ({
        action,
        categories: ids.map((id) => ({
          id,
          score: 0.6,
          evidence: [{ rule: `c${id}.x`, start: 0, end: 1 }],
        })),
      })),
  );

describe('second opinion: how the model joins the rules', () => {
  it('alone, asks for review at most and files under the policy’s category, naming model and score', () => {
    const joined = joinSecondOpinion(NONE, { any: 0.83 }, CONFIG, TEXT20);
    expect(joined.action).toBe('review');
    expect(joined.modelOnly).toBe(true);
    expect(joined.categories).toEqual([
      {
        id: '11',
        score: 0.83,
        evidence: [{ rule: 'model.alone', start: 0, end: 20, model: 'm@1', score: 0.83 }],
      },
    ]);
  });

  it('names the category of a trusted head, never of an untrusted one', () => {
    const trusted = joinSecondOpinion(NONE, { any: 0.8, '5': 0.6, '2': 0.99 }, CONFIG, TEXT5);
    expect(trusted.categories.map((c) => c.id)).toEqual(['5']);
    expect(trusted.categories[0]?.evidence[0]).toMatchObject({ rule: 'model.c5', model: 'm@1' });
  });

  it('names the category of a model-only flag by the heads trusted for that, else files it under 11', () => {
    const named = joinSecondOpinion(NONE, { any: 0.8, '4': 0.65 }, CONFIG, TEXT7);
    expect(named.categories).toEqual([
      {
        id: '4',
        score: 0.65,
        evidence: [{ rule: 'model.alone.c4', start: 0, end: 7, model: 'm@1', score: 0.65 }],
      },
    ]);
    expect(named).toMatchObject({ action: 'review', modelOnly: true });
    // The same head does not add its category to a comment a rule flagged.
    const ruled = joinSecondOpinion(review6, { any: 0.8, '4': 0.65 }, CONFIG, TEXT7);
    expect(ruled.categories.map((c) => c.id)).toEqual(['6']);
    expect(joinSecondOpinion(NONE, { any: 0.8, '4': 0.55 }, CONFIG, TEXT7).categories[0]?.id).toBe(
      '11',
    );
  });

  it('leaves a comment of fewer letters than `alone.minLetters` to the rules alone, whatever the score', () => {
    const guarded: SecondOpinion = { ...CONFIG, alone: { ...CONFIG.alone, minLetters: 8 } };
    const high = { any: 0.99, '4': 0.99, '5': 0.99 };
    // Emoji, spaces and punctuation are not letters: a short word padded with them stays short.
    for (const text of [
      'ok',
      'hello!!!',
      '👍👍👍👍👍👍👍👍 lol',
      'ｈｉ　ｔｈｅｒｅ',
      '。。。。。。。。。。',
    ]) {
      expect(joinSecondOpinion(NONE, high, guarded, text)).toEqual({
        categories: [],
        action: 'allow',
        modelOnly: false,
      });
    }
    expect(joinSecondOpinion(NONE, high, guarded, 'follow me').action).toBe('review');
    expect(joinSecondOpinion(NONE, high, guarded, '見えた？見えた？見えた').modelOnly).toBe(true);
    // On a short comment the rules decide alone: no category beside theirs, no doubt of a removal.
    expect(joinSecondOpinion(review6, high, guarded, 'ok')).toEqual({
      ...review6,
      modelOnly: false,
    });
    const doubting: SecondOpinion = {
      ...guarded,
      confirm: { rule: 'model.doubts-removal', minScore: 0.5, standsAlone: [] },
    };
    const hide6: RulesOutcome = { ...review6, action: 'hide' };
    expect(joinSecondOpinion(hide6, { any: 0.01 }, doubting, '死ね').action).toBe('hide');
    expect(joinSecondOpinion(hide6, { any: 0.01 }, doubting, '死ね死ね死ね死ね').action).toBe(
      'review',
    );
  });

  it('sends a rule’s removal the model doubts to a person, with the doubt in the evidence', () => {
    const checked: SecondOpinion = {
      ...CONFIG,
      confirm: { rule: 'model.doubts-removal', minScore: 0.3, standsAlone: [] },
    };
    const hide6: RulesOutcome = { ...review6, action: 'hide' };
    const doubted = joinSecondOpinion(hide6, { any: 0.12 }, checked, TEXT5);
    expect(doubted.action).toBe('review');
    expect(doubted.categories[0]?.evidence).toEqual([
      ...(review6.categories[0]?.evidence ?? []),
      { rule: 'model.doubts-removal', start: 0, end: 5, model: 'm@1', score: 0.12 },
    ]);
    expect(joinSecondOpinion(hide6, { any: 0.3 }, checked, TEXT5).action).toBe('hide');
    // A rule's review is not touched, and without `confirm` the rules' removal stands.
    expect(joinSecondOpinion(review6, { any: 0.01 }, checked, TEXT5)).toMatchObject({
      action: 'review',
      categories: review6.categories,
    });
    expect(joinSecondOpinion(hide6, { any: 0.01 }, CONFIG, TEXT5).action).toBe('hide');
  });

  it('lets a removal stand without the model where a rule the policy names as standing alone fired', () => {
    const checked: SecondOpinion = {
      ...CONFIG,
      confirm: { rule: 'model.doubts-removal', minScore: 0.3, standsAlone: ['c6.threat'] },
    };
    const threat: RulesOutcome = {
      categories: [
        {
          id: '6',
          score: 0.85,
          evidence: [
            { rule: 'c6.x', start: 0, end: 2 },
            { rule: 'c6.threat', start: 2, end: 4 },
          ],
        },
      ],
      action: 'hide',
    };
    const joined = joinSecondOpinion(threat, { any: 0.01 }, checked, TEXT5);
    expect(joined.action).toBe('hide');
    expect(joined.categories[0]?.evidence.map((e) => e.rule)).toEqual(['c6.x', 'c6.threat']);
    // Any other rule's removal is still doubted.
    expect(
      joinSecondOpinion({ ...review6, action: 'hide' }, { any: 0.01 }, checked, TEXT5).action,
    ).toBe('review');
  });

  it('never flags a comment on a head alone: below `alone.minScore` the rules decide', () => {
    const joined = joinSecondOpinion(NONE, { any: 0.69, '5': 0.99 }, CONFIG, TEXT5);
    expect(joined).toEqual({ categories: [], action: 'allow', modelOnly: false });
  });

  it('adds a trusted head’s category to a comment the rules flagged, keeping their action', () => {
    const joined = joinSecondOpinion(review6, { any: 0.2, '5': 0.7 }, CONFIG, TEXT5);
    expect(joined.action).toBe('review');
    expect(joined.modelOnly).toBe(false);
    expect(joined.categories.map((c) => c.id)).toEqual(['5', '6']);
  });

  it('raises a rule’s review to hide only where the policy lists the pair and both agree', () => {
    expect(joinSecondOpinion(review6, { any: 0.95 }, CONFIG, TEXT5).action).toBe('hide');
    expect(joinSecondOpinion(review6, { any: 0.85 }, CONFIG, TEXT5).action).toBe('review');
    const weakRule = { ...review6, categories: [{ ...review6.categories[0], score: 0.4 }] };
    expect(joinSecondOpinion(weakRule as RulesOutcome, { any: 0.95 }, CONFIG, TEXT5).action).toBe(
      'review',
    );
    const other: RulesOutcome = {
      categories: [{ id: '2', score: 0.9, evidence: [{ rule: 'c2.x', start: 0, end: 1 }] }],
      action: 'review',
    };
    expect(joinSecondOpinion(other, { any: 0.99 }, CONFIG, TEXT5).action).toBe('review');
  });

  it('never hides or deletes what no rule flagged, and keeps "no category ⇔ allow" (property)', () => {
    fc.assert(
      fc.property(rulesArb, scoresArb, fc.string({ maxLength: 300 }), (rules, scores, text) => {
        const length = text.length;
        const joined = joinSecondOpinion(rules, scores, CONFIG, text);
        expect(joined.categories.length === 0).toBe(joined.action === 'allow');
        if (rules.categories.length === 0) {
          expect(RANK[joined.action]).toBeLessThanOrEqual(RANK.review);
          expect(joined.modelOnly).toBe(joined.categories.length > 0);
        } else {
          expect(RANK[joined.action]).toBeGreaterThanOrEqual(RANK[rules.action]);
          expect(joined.modelOnly).toBe(false);
          // The rules' own categories and evidence are all still there.
          for (const c of rules.categories) {
            const kept = joined.categories.find((k) => k.id === c.id);
            expect(kept?.evidence.slice(0, c.evidence.length)).toEqual(c.evidence);
          }
        }
        for (const c of joined.categories) {
          for (const e of c.evidence) {
            if (e.model !== undefined) expect(e).toMatchObject({ start: 0, end: length });
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('second opinion in analyze()', () => {
  let tokenizer: Tokenizer;
  const policy = loadPolicy('rumoi');
  beforeAll(async () => {
    tokenizer = await loadTokenizer();
  });

  it('is the model the bundled policy was tuned for, and it is named in the version', () => {
    const model = loadTextModel();
    expect(policy.secondOpinion?.model).toEqual({ name: model.name, version: model.version });
    const analysis = analyze('きれいな夕日ですね', { policy, tokenizer, model });
    expect(analysis.classifierVersion).toContain(`${model.name}@${model.version}`);
    expect(analysis.secondOpinion?.model).toBe(`${model.name}@${model.version}`);
  });

  it('refuses a model other than the one the policy names', () => {
    const model = { ...loadTextModel(), version: 'other' };
    expect(() => analyze('テスト', { policy, tokenizer, model })).toThrow(ModelMismatchError);
  });

  it('does not read a link the policy trusts: the score is that of the text without it (property)', () => {
    const model = loadTextModel();
    const words = [
      '死ね',
      '留萌',
      '夕日',
      '申し込み',
      '投資',
      'DM',
      'ください',
      '詳しくは',
      '最高',
      '!',
    ];
    const trusted = [
      'https://city.rumoi.lg.jp/soshiki/kikaku/',
      'https://www.instagram.com/rumoi_official',
      'rumoi-kanko.jp/event?id=12',
    ];
    const part = fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(part, fc.constantFrom(...trusted), part, (before, link, after) => {
        const withLink = analyze(`${before} ${link} ${after}`, { policy, tokenizer, model });
        const without = analyze(`${before}   ${after}`, { policy, tokenizer, model });
        expect(withLink.secondOpinion?.score).toBe(without.secondOpinion?.score);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the CLI contract with the model on: categories listed ⇔ action is not allow (property)', () => {
    const model = loadTextModel();
    const words = ['死ね', '留萌', '夕日', '市長', '投資', 'DM', 'ください', '外国人', '最高', '!'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        const analysis = analyze(text, { policy, tokenizer, model });
        expect(analysis.categories.length === 0).toBe(analysis.action === 'allow');
        if (analysis.secondOpinion?.alone) {
          expect(analysis.action).toBe('review');
          for (const c of analysis.categories) {
            for (const e of c.evidence) expect(e.model).toBe(analysis.secondOpinion.model);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
