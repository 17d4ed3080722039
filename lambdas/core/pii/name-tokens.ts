import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';

/** Token tests and the finding shape shared by the person-name rules (names*.ts). */

const end = (t: Token): number => t.start + t.surface.length;
const isNoun = (t: Token | undefined): boolean => t !== undefined && t.pos === '名詞';
const isPerson = (t: Token): boolean => t.posDetail1 === '固有名詞' && t.posDetail2 === '人名';

const nameCandidate = (start: number, stop: number, score: number, rule: string): Candidate => ({
  type: 'person_name',
  start,
  end: stop,
  score,
  rule,
});

/** Index of the first token starting at or after `offset` (tokens come sorted by start). */
const firstTokenFrom = (tokens: readonly Token[], offset: number): number => {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Tokens that overlap [start, stop), found by binary search: a text with thousands of findings
 * must not scan every token for each.
 */
const tokensOver = (tokens: readonly Token[], start: number, stop: number): Token[] => {
  const out: Token[] = [];
  let i = Math.max(0, firstTokenFrom(tokens, start) - 1);
  for (; i < tokens.length && (tokens[i] as Token).start < stop; i++) {
    const t = tokens[i] as Token;
    if (end(t) > start) out.push(t);
  }
  return out;
};

const BREAK_POS = new Set(['助詞', '記号']);

/**
 * Whether the token at `first` opens a word of its own: nothing before it, a gap, or a particle or
 * symbol right before it (or a part of speech in `alsoAfter`). A name glued to the word before it
 * is a piece of that word.
 */
const opensWord = (
  tokens: readonly Token[],
  first: number,
  alsoAfter?: ReadonlySet<string>,
): boolean => {
  const before = tokens[first - 1];
  const head = tokens[first];
  return (
    before === undefined ||
    head === undefined ||
    end(before) !== head.start ||
    BREAK_POS.has(before.pos) ||
    (alsoAfter?.has(before.pos) ?? false)
  );
};

export { end, firstTokenFrom, isNoun, isPerson, nameCandidate, opensWord, tokensOver };
