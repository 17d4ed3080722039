import type { CategoryId } from '../contracts/decision';
import { placeholderRuns } from '../pii/redact';
import type { PiiType } from '../pii/types';

/**
 * Evidence is located in the ORIGINAL text, which is never stored; staff see the redacted text.
 * The personal-data positions kept on the decision say exactly where `redact` put each placeholder,
 * so an evidence range can be moved into the redacted text: shifted by the placeholders before it,
 * and widened to the whole placeholder where it touches one (personal data stays hidden, the
 * highlight then marks the placeholder).
 */

interface EvidenceRange {
  readonly category: CategoryId;
  readonly rule: string;
  readonly start: number;
  readonly end: number;
}

interface Highlight {
  readonly category: CategoryId;
  readonly rule: string;
  /** Offsets into the redacted text (JavaScript string indices, end exclusive). */
  readonly start: number;
  readonly end: number;
}

interface Position {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
}

const placeEvidence = (
  redactedText: string,
  piiSpans: readonly Position[],
  evidence: readonly EvidenceRange[],
): Highlight[] => {
  const runs = placeholderRuns(Number.MAX_SAFE_INTEGER, piiSpans);
  // Where each run starts in the redacted text.
  const mapped: { start: number; end: number; redactedStart: number; redactedEnd: number }[] = [];
  let shift = 0;
  for (const run of runs) {
    const redactedStart = run.start + shift;
    mapped.push({ ...run, redactedStart, redactedEnd: redactedStart + run.placeholder.length });
    shift += run.placeholder.length - (run.end - run.start);
  }
  const toRedacted = (offset: number, side: 'start' | 'end'): number => {
    let delta = 0;
    for (const run of mapped) {
      if (offset <= run.start) break;
      if (offset < run.end) return side === 'start' ? run.redactedStart : run.redactedEnd;
      delta = run.redactedEnd - run.end;
    }
    return offset + delta;
  };
  const out: Highlight[] = [];
  for (const e of evidence) {
    if (!(e.end > e.start)) continue;
    const start = Math.min(toRedacted(e.start, 'start'), redactedText.length);
    const end = Math.min(toRedacted(e.end, 'end'), redactedText.length);
    if (end > start) out.push({ category: e.category, rule: e.rule, start, end });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
};

export type { EvidenceRange, Highlight };
export { placeEvidence };
