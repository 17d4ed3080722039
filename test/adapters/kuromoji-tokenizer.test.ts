import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

describe('Adapter: kuromoji tokenizer', () => {
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    tokenizer = await loadTokenizer();
  });

  it('reports UTF-16 offsets, also after an emoji (kuromoji itself counts code points)', () => {
    const tokens = tokenizer.tokenize('😀田中さん');
    const tanaka = tokens.find((t) => t.surface === '田中');
    expect(tanaka?.start).toBe(2);
    expect(tanaka?.posDetail2).toBe('人名');
  });

  it('survives NUL and lone surrogates without shifting offsets', () => {
    const text = '\u0000a\uD83D留萌\uDE00市';
    const tokens = tokenizer.tokenize(text);
    const rumoi = tokens.find((t) => t.surface.includes('留萌'));
    expect(rumoi).toBeDefined();
    expect(text.slice(rumoi?.start, (rumoi?.start ?? 0) + 2)).toBe('留萌');
  });

  it('never throws and every token lies inside the text, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        let cursor = 0;
        for (const token of tokenizer.tokenize(text)) {
          expect(token.start).toBeGreaterThanOrEqual(cursor);
          expect(token.start + token.surface.length).toBeLessThanOrEqual(text.length);
          if (!token.surface.includes('\uFFFD')) {
            expect(text.slice(token.start, token.start + token.surface.length)).toBe(token.surface);
          }
          cursor = token.start + token.surface.length;
        }
      }),
      { numRuns: 500 },
    );
  });
});
