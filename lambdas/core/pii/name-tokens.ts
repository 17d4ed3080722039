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

export { end, isNoun, isPerson, nameCandidate };
