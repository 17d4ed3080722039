import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import kuromoji from 'kuromoji';
import type { Token, Tokenizer } from '../core/tokenizer';
import { type Morpheme, morphemeWalker } from './kuromoji-fast';

/**
 * Where the IPADIC files are: next to the Lambda bundle (`./dict`, copied there at bundling) or in
 * node_modules for local runs and tests.
 */
const defaultDictionaryPath = (): string => {
  const besideBundle = join(process.cwd(), 'dict');
  if (existsSync(join(besideBundle, 'base.dat.gz'))) return besideBundle;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
};

class KuromojiTokenizer implements Tokenizer {
  readonly #walk: (text: string, visit: (m: Morpheme) => void) => void;

  constructor(inner: kuromoji.Tokenizer<kuromoji.IpadicFeatures>) {
    this.#walk = morphemeWalker(inner);
  }

  tokenize(text: string): readonly Token[] {
    if (text.length === 0) return [];
    // kuromoji throws on U+0000 and on lone surrogates (half an emoji). Swap each for U+FFFD, one
    // unit for one unit, so offsets into the caller's text stay exact.
    const safe = text.toWellFormed().replaceAll('\u0000', '\uFFFD');
    // kuromoji's word_position counts code points, not UTF-16 units, so it drifts after an emoji.
    // Tokens cover the text in order: locate each surface from a running cursor instead.
    let cursor = 0;
    const tokens: Token[] = [];
    this.#walk(safe, (m) => {
      const found = safe.indexOf(m.surface, cursor);
      const start = found === -1 ? cursor : found;
      cursor = start + m.surface.length;
      tokens.push({
        surface: m.surface,
        start,
        pos: m.pos,
        posDetail1: m.posDetail1,
        posDetail2: m.posDetail2,
        posDetail3: m.posDetail3,
        basicForm: m.basicForm,
        reading: m.reading ?? '',
      });
    });
    return tokens;
  }
}

let loading: Promise<Tokenizer> | undefined;

/** Loads the dictionary once per process (~0.5 s, a few hundred MB); later calls share it. */
const loadTokenizer = (dicPath: string = defaultDictionaryPath()): Promise<Tokenizer> => {
  loading ??= new Promise<Tokenizer>((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, tokenizer) => {
      if (err) {
        loading = undefined;
        reject(err);
        return;
      }
      resolve(new KuromojiTokenizer(tokenizer));
    });
  });
  return loading;
};

export { defaultDictionaryPath, loadTokenizer };
