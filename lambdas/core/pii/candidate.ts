import type { PiiType } from './types';

/** A finding in NORMALISED text offsets, before mapping back and overlap resolution. */
interface Candidate {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly rule: string;
}

/** Below this a candidate is a look-alike and is not reported. */
const REPORT_THRESHOLD = 0.5;

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/**
 * Whether `pattern` occurs in the `before` units before `start` or the `after` units after `end`.
 * Placeholders from an earlier redaction are blanked first: `[口座番号]` is our own word, not the
 * writer's, and must not turn a neighbouring number into a finding on a second pass.
 */
const PLACEHOLDER = /\[[^\][]{1,8}\]/g;
const near = (
  text: string,
  start: number,
  end: number,
  pattern: RegExp,
  before: number,
  after = 0,
): boolean => {
  const left = before > 0 ? text.slice(Math.max(0, start - before), start) : '';
  const right = after > 0 ? text.slice(end, end + after) : '';
  const window = `${left}\u0000${right}`;
  return pattern.test(window.includes('[') ? window.replace(PLACEHOLDER, '\u0000') : window);
};

export type { Candidate };

const CANDIDATE_PATTERNS: readonly RegExp[] = [PLACEHOLDER];

export { CANDIDATE_PATTERNS, clamp01, near, PLACEHOLDER, REPORT_THRESHOLD };
