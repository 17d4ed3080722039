import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCluster, foldClusters } from '../../lambdas/core/pii/normalize';
import { identity, rewrite } from '../../lambdas/core/text/mapped-text';

// Characters on both sides of every range the plain-text shortcut trusts, and ones the fold changes:
// long-vowel marks and dashes between digits, full-width forms, combining and voiced marks,
// variation selectors, compatibility kanji, a surrogate pair.
const EDGES = [
  ...'az09-ー－ｰ‐―',
  '\u3040',
  '\u3041',
  '\u3096',
  '\u3097',
  '\u3099',
  '\u309b',
  '\u30a0',
  '\u30a1',
  '\u30fa',
  '\u30fb',
  '\u30fc',
  '\u4dff',
  '\u4e00',
  '\u9fff',
  '\ua000',
  '\uf900',
  '\uff10',
  '\uff21',
  '\uff76',
  '\uff9e',
  '\ufe0f',
  '\u0301',
  '\u3000',
  '、',
  '。',
  '・',
  '😀',
  '〇',
];

const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGES), weight: 6 },
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

describe('personal-data normalisation: the plain-text shortcut', () => {
  it('gives the same text and offset map as folding every cluster (property)', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 24 }), (units) => {
        const text = units.join('');
        expect(foldClusters(text)).toEqual(rewrite(identity(text), foldCluster));
      }),
      { numRuns: 3000 },
    );
  });

  it('still folds what needs folding', () => {
    expect(foldClusters('０９０ー１２３４').text).toBe('090-1234');
    expect(foldClusters('090ー1234').text).toBe('090-1234');
    expect(foldClusters('ｶﾞｽ代').text).toBe('ガス代');
  });
});
