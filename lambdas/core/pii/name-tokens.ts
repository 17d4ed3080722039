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

export { end, firstTokenFrom, isNoun, isPerson, nameCandidate, tokensOver };
