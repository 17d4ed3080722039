/**
 * Port for Japanese morphological analysis. The core never loads a dictionary itself (that is I/O);
 * the kuromoji adapter in `lambdas/adapters/` implements this once per process.
 */
interface Token {
  readonly surface: string;
  /** Start offset in the analysed string (JavaScript string index). */
  readonly start: number;
  /** 品詞, e.g. 名詞 */
  readonly pos: string;
  /** 品詞細分類1..3, e.g. 固有名詞 / 人名 / 姓 */
  readonly posDetail1: string;
  readonly posDetail2: string;
  readonly posDetail3: string;
  readonly basicForm: string;
  readonly reading: string;
}

interface Tokenizer {
  tokenize(text: string): readonly Token[];
}

/** One comment's tokens, analysed on first demand (most comments never need them). */
interface CommentTokens {
  get(): readonly Token[];
}

export type { CommentTokens, Token, Tokenizer };
