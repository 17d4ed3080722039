import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../lambdas/core/analyze';
import { createAnalyzer } from '../../local/cli/analyzer';
import { NEAR_MISSES, STILL_REMOVED } from './auto-action-near-misses.probes';

/**
 * Hiding or deleting a comment without a person is for the rules alone (the learned model only ever
 * asks for review), so a rule that can reach a category's hide step by itself must not fire on
 * what residents write every day with the same words: medicine in a pharmacy, 殺す said of germs,
 * 灯油を持っていく, 次会ったらご飯行こうね, a cheer said four times, a public office's phone line.
 * The probes (see the probes module) were written by family from article 6 of the policy, not from
 * dataset rows. Both the rules alone and the rules joined with the model are checked: the model's
 * confirmation of a removal is a second safeguard, not the reason a benign comment stays up.
 */
let full: (text: string) => Analysis;
let rulesOnly: (text: string) => Analysis;

beforeAll(async () => {
  full = await createAnalyzer('rumoi');
  rulesOnly = await createAnalyzer('rumoi', { rulesOnly: true });
}, 60_000);

const removed = (a: Analysis): boolean => a.action === 'hide' || a.action === 'delete';
const ruleIds = (a: Analysis): string =>
  [...new Set(a.categories.flatMap((c) => c.evidence.map((e) => e.rule)))].join(',');

describe('benign near-misses of the rules that can remove a comment', () => {
  it('are many and varied: at least 150 wordings in at least 15 families, none twice', () => {
    const all = NEAR_MISSES.flatMap((f) => [...f.spared, ...f.borderline]);
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(NEAR_MISSES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(all).size).toBe(all.length);
  });

  for (const { family, spared, borderline } of NEAR_MISSES) {
    it(`${family}: no rule fires on the clear ones, and none is removed`, () => {
      for (const text of spared) {
        const byRules = rulesOnly(text);
        expect(byRules.action, `${text} (${ruleIds(byRules)})`).toBe('allow');
        expect(removed(full(text)), text).toBe(false);
      }
    });
    if (borderline.length > 0) {
      it(`${family}: the borderline ones may go to review, never removed`, () => {
        for (const text of borderline) {
          const byRules = rulesOnly(text);
          expect(removed(byRules), `${text} (${ruleIds(byRules)})`).toBe(false);
          expect(removed(full(text)), text).toBe(false);
        }
      });
    }
  }

  it('stay up when a resident adds praise, emoji or a question around them', () => {
    const texts = NEAR_MISSES.flatMap((f) => [...f.spared, ...f.borderline]);
    const before = fc.constantFrom('', '留萌最高！', '😊 ', 'ところで、', '@friend_01 ');
    const after = fc.constantFrom('', '✨✨', ' 笑', '。また行きたい', '？', ' #留萌');
    fc.assert(
      fc.property(fc.constantFrom(...texts), before, after, (text, pre, post) => {
        const wrapped = `${pre}${text}${post}`;
        expect(removed(rulesOnly(wrapped)), wrapped).toBe(false);
        expect(removed(full(wrapped)), wrapped).toBe(false);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe('the violations the tightened rules were made for', () => {
  it('are still removed without waiting for a person', () => {
    const kept = STILL_REMOVED.filter((text) => !removed(full(text)));
    expect(kept, `not removed: ${kept.join(' | ')}`).toEqual([]);
  });

  it('are removed by the rules themselves, not only with the model', () => {
    for (const text of STILL_REMOVED) {
      const byRules = rulesOnly(text);
      expect(removed(byRules), `${text} (${ruleIds(byRules)})`).toBe(true);
    }
  });
});
