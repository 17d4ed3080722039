import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii } from '../../lambdas/core/pii/detect';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

// Issue #15, names by family. Every name below is made up; the look-alikes are plain words,
// products, places and firms that must stay as written.
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const nameValues = (text: string): string[] =>
  detectPii(text, tokenizer)
    .filter((s) => s.type === 'person_name')
    .map((s) => text.slice(s.start, s.end));

describe('hiragana given names opening with と or も after a family name (comments)', () => {
  it.each([
    ['隣の森田もえが言ってた', '森田もえ'],
    ['近所の佐藤ともやくんが来た', '佐藤ともや'],
    ['同級生の伊藤もとき、まじでうざい', '伊藤もとき'],
    ['近所の工藤としおって人', '工藤としお'],
    ['隣の佐藤ともか、また来てたよ', '佐藤ともか'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each([
    ['隣の佐藤も来てた', '佐藤'],
    ['近所の佐藤とかが住んでる', '佐藤'],
    ['隣の佐藤とも話した', '佐藤'],
    ['隣の佐藤ともめた', '佐藤'],
    ['近所の佐藤とあった', '佐藤'],
    ['隣の佐藤もいた', '佐藤'],
    ['隣の佐藤とは話さない', '佐藤'],
    ['近所の佐藤もうるさい', '佐藤'],
  ])('a particle after the family name stays grammar: %s', (text, surname) => {
    const found = nameValues(text);
    expect(found).toContain(surname);
    expect(found.every((v) => v === surname)).toBe(true);
  });

  it('takes any made-up と/も given name before an honorific, and leaves what follows alone', () => {
    // Letters that follow と or も in given names (ともや, としお, もえ, ともひよ…).
    const kana = fc.constantFrom(...'もしおこかみきやえなりひよ');
    fc.assert(
      fc.property(
        fc.constantFrom('佐藤', '森田', '加藤', '伊藤', '工藤', '後藤'),
        fc.constantFrom('と', 'も'),
        fc.array(kana, { minLength: 1, maxLength: 2 }),
        fc.constantFrom('くん', 'ちゃん'),
        (surname, head, tail, honorific) => {
          const name = `${surname}${head}${tail.join('')}`;
          const text = `隣の${name}${honorific}がまた来てた`;
          const found = nameValues(text);
          // Whatever the analyser makes of the kana, the whole given name is taken with the family
          // name, and nothing past the honorific.
          expect(found).toContain(name);
          expect(found.every((v) => !v.includes(honorific) && !v.includes('来'))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
