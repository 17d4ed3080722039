import type { Action, CategoryFinding, Evidence } from '../contracts/decision';
import type { PiiSpan, PiiType } from '../pii/types';
import type { Signal } from '../policy/schema';
import { type MappedText, toOriginal } from '../text/mapped-text';
import type { NormalizedText } from '../text/normalize';
import type { CommentTokens, Token } from '../tokenizer';
import type { CompiledPolicy, CompiledRule } from './compile';
import { extractLinks, type Link } from './links';
import { allInside, reportedQuotes } from './quotes';
import { floodSpan, mentionSpans, questionSpans, repeatSpan, type Span } from './signals';

interface ClassifyInput {
  readonly text: string;
  readonly normalized: NormalizedText;
  readonly pii: readonly PiiSpan[];
  /** Tokens of the ORIGINAL text; read only when a word needs a boundary check. */
  readonly tokens: CommentTokens;
}

interface Classification {
  readonly categories: readonly CategoryFinding[];
  readonly action: Action;
  readonly inquiry: boolean;
  readonly links: readonly Link[];
}

const ACTION_RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };
const MAX_EVIDENCE = 12;
const MAX_OCCURRENCES = 16;
const CONTACT: ReadonlySet<PiiType> = new Set(['phone', 'email']);
const SENSITIVE: ReadonlySet<PiiType> = new Set([
  'my_number',
  'credit_card',
  'bank_account',
  'passport',
  'drivers_license',
]);
const LATIN_ALNUM = /^[a-z0-9]$/;

/** Token boundaries in original offsets, built on first use. */
interface Boundaries {
  readonly startPos: ReadonlyMap<number, string>;
  readonly endPos: ReadonlyMap<number, string>;
}

const boundariesOf = (tokens: readonly Token[]): Boundaries => {
  const startPos = new Map<number, string>();
  const endPos = new Map<number, string>();
  for (const t of tokens) {
    if (t.pos === '記号' && t.posDetail1 === '空白') continue;
    startPos.set(t.start, t.pos);
    endPos.set(t.start + t.surface.length, t.pos === '名詞' ? `名詞-${t.posDetail1}` : t.pos);
  }
  return { startPos, endPos };
};

const PARTICLE = new Set(['助詞', '助動詞']);
const AFTER_NO_WORD_START = new Set([
  '名詞-一般',
  '名詞-固有名詞',
  '名詞-サ変接続',
  '形容詞',
  '助動詞',
  '動詞',
]);

const latinAt = (text: string, index: number): boolean => {
  const ch = text[index];
  return ch !== undefined && LATIN_ALNUM.test(ch.normalize('NFKC').toLowerCase());
};

const gap = (a: Span, b: Span): number => Math.max(0, b.start - a.end, a.start - b.end);

/** Noisy-or of the weights of the rules that fired. */
const scoreOf = (hits: ReadonlyArray<{ rule: CompiledRule }>): number => {
  let remaining = 1;
  for (const hit of hits) remaining *= 1 - hit.rule.weight;
  return 1 - remaining;
};

const actionFor = (
  score: number,
  steps: CompiledPolicy['categories'][number]['actions'],
): Action => {
  let action: Action = 'allow';
  for (const step of steps) if (score >= step.minScore) action = step.action;
  return action;
};

/** Runs one regex item over its view and returns original-offset spans. */
const regexSpans = (pattern: RegExp, view: MappedText): Span[] => {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(view.text); m !== null; m = pattern.exec(view.text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    spans.push(toOriginal(view, m.index, m.index + m[0].length));
    if (spans.length >= MAX_OCCURRENCES) break;
  }
  return spans;
};

/** Whether any of a regex's gate strings occurs in the comment. */
const anyGate = (ids: readonly number[], seen: Uint8Array): boolean => {
  for (const id of ids) if (seen[id] === 1) return true;
  return false;
};

type View = 'folded' | 'compact';

/**
 * One comment's matching state. A class rather than closures made inside `classify`: its methods
 * are created once, not for every comment.
 */
class Matches {
  /** Per rule, per group (the last group holds `unless`), the spans that matched. */
  readonly occurrences = new Map<number, Span[][]>();
  private boundaries: Boundaries | undefined;
  // Which gate strings the comment contains, per view, computed on first use.
  private readonly present: Partial<Record<View, Uint8Array>> = {};

  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly input: ClassifyInput,
  ) {}

  push(rule: number, group: number, span: Span): void {
    let groups = this.occurrences.get(rule);
    if (groups === undefined) {
      const count = (this.compiled.rules[rule]?.groupCount ?? 0) + 1;
      groups = emptyGroups(count);
      this.occurrences.set(rule, groups);
    }
    const list = groups[group];
    if (list !== undefined && list.length < MAX_OCCURRENCES) list.push(span);
  }

  /** Token boundaries, built on first use. */
  boundary(): Boundaries {
    this.boundaries ??= boundariesOf(this.input.tokens.get());
    return this.boundaries;
  }

  /** A word-list term matched at [start, end) of the compact view. */
  term(index: number, start: number, end: number): void {
    const term = this.compiled.terms[index];
    if (term === undefined) return;
    const text = this.input.text;
    const span = toOriginal(this.input.normalized.compact, start, end);
    if (term.latinLeft && latinAt(text, span.start - 1)) return;
    if (term.latinRight && latinAt(text, span.end)) return;
    if (term.left) {
      const { startPos, endPos } = this.boundary();
      const pos = startPos.get(span.start);
      if (pos === undefined || PARTICLE.has(pos)) return;
      // Not glued to a compound (ディナー|ナイフ) nor right after a predicate (面白い|しね = "and").
      if (AFTER_NO_WORD_START.has(endPos.get(span.start) ?? '')) return;
    }
    if (term.right && !this.boundary().endPos.has(span.end)) return;
    for (const ref of term.refs) this.push(ref.rule, ref.group, span);
  }

  signal(name: Signal, span: Span): void {
    for (const ref of this.compiled.signalRefs.get(name) ?? [])
      this.push(ref.rule, ref.group, span);
  }

  gatesIn(view: View): Uint8Array {
    let found = this.present[view];
    if (found === undefined) {
      const { count, matcher } = this.compiled.gates[view];
      const seen = new Uint8Array(count);
      matcher.scan(this.input.normalized[view].text, (index) => {
        seen[index] = 1;
      });
      this.present[view] = seen;
      found = seen;
    }
    return found;
  }

  /**
   * A rule no word or signal touched can only fire through its regexes: when every regex of one of
   * its groups is gated and none of those gates occurs, it cannot fire and is not looked at.
   */
  mayFireOnRegexes(rule: CompiledRule): boolean {
    for (let g = 0; g < rule.groupCount; g++) {
      const regexes = rule.regexes.get(g);
      if (regexes === undefined) return false;
      let possible = false;
      for (const r of regexes) {
        if (r.gateIds === undefined || anyGate(r.gateIds, this.gatesIn(r.view))) {
          possible = true;
          break;
        }
      }
      if (!possible) return false;
    }
    return true;
  }
}

const emptyGroups = (count: number): Span[][] => {
  const groups: Span[][] = [];
  for (let g = 0; g < count; g++) groups.push([]);
  return groups;
};

const classify = (compiled: CompiledPolicy, input: ClassifyInput): Classification => {
  const { text, normalized } = input;
  const { compact, folded } = normalized;
  const matches = new Matches(compiled, input);
  compiled.matcher.scan(compact.text, (index, start, end) => matches.term(index, start, end));

  const links = extractLinks(folded, compiled.links, text);
  for (const link of links) {
    matches.signal('link.any', link);
    for (const flag of link.flags) matches.signal(`link.${flag}`, link);
  }
  const flood = floodSpan(folded);
  if (flood) {
    matches.signal('text.flood', flood);
    if (flood.long) matches.signal('text.flood.long', flood);
  }
  // Only looked for when a rule asks for it: the scan is per period over the whole comment.
  if (compiled.signalRefs.has('text.repeat')) {
    const repeat = repeatSpan(folded);
    if (repeat) matches.signal('text.repeat', repeat);
  }
  for (const span of mentionSpans(folded)) matches.signal('text.mention', span);
  for (const span of questionSpans(text)) matches.signal('text.question', span);
  for (const pii of input.pii) {
    matches.signal('pii.any', pii);
    matches.signal(`pii.${pii.type}`, pii);
    if (CONTACT.has(pii.type)) matches.signal('pii.contact', pii);
    if (SENSITIVE.has(pii.type)) matches.signal('pii.sensitive', pii);
  }

  const candidates = new Set<number>(matches.occurrences.keys());
  for (const index of compiled.alwaysEvaluate) {
    const rule = compiled.rules[index];
    if (rule !== undefined && !candidates.has(index) && matches.mayFireOnRegexes(rule)) {
      candidates.add(index);
    }
  }
  const fired = new Map<number, Array<{ rule: CompiledRule; evidence: Span[] }>>();
  for (const index of [...candidates].sort((a, b) => a - b)) {
    const rule = compiled.rules[index];
    if (rule === undefined) continue;
    const evidence = evaluate(rule, index, matches, normalized);
    if (evidence === undefined) continue;
    const list = fired.get(rule.owner) ?? [];
    list.push({ rule, evidence });
    fired.set(rule.owner, list);
  }

  const categories: CategoryFinding[] = [];
  let action: Action = 'allow';
  let quotes: Span[] | undefined;
  compiled.categories.forEach((category, c) => {
    const hits = fired.get(c);
    if (hits === undefined) return;
    const score = scoreOf(hits);
    let categoryAction = actionFor(score, category.actions);
    if (categoryAction === 'allow') return;
    const evidence: Evidence[] = [];
    const reported = compiled.quotedReport;
    if (ACTION_RANK[categoryAction] > ACTION_RANK.review && reported !== undefined) {
      // Found only when a removal is at stake: most comments have no quotation at all.
      quotes ??= reportedQuotes(text, reported);
      const inQuotes = quotes;
      const first = inQuotes[0];
      if (first !== undefined && hits.every((hit) => allInside(hit.evidence, inQuotes))) {
        categoryAction = 'review';
        evidence.push({ rule: reported.rule, start: first.start, end: first.end });
      }
    }
    if (ACTION_RANK[categoryAction] > ACTION_RANK[action]) action = categoryAction;
    for (const hit of hits) {
      for (const span of hit.evidence) {
        if (evidence.length < MAX_EVIDENCE)
          evidence.push({ rule: hit.rule.id, start: span.start, end: span.end });
      }
    }
    categories.push({ id: category.id, score: Math.round(score * 1000) / 1000, evidence });
  });

  const inquiryHits = fired.get(-1) ?? [];
  const inquiry =
    scoreOf(inquiryHits) >= compiled.inquiryMinScore &&
    !categories.some((c) => compiled.inquiryNotWith.has(c.id));
  return { categories, action, inquiry, links };
};

/**
 * The spans of group `g` of a rule: the words and signals already found, or else its regexes run
 * once (when a gate string of theirs occurs) and kept.
 */
const fillGroup = (
  rule: CompiledRule,
  g: number,
  groups: Span[][],
  matches: Matches,
  normalized: NormalizedText,
): Span[] => {
  const list = groups[g] ?? [];
  const regexes = rule.regexes.get(g);
  if (list.length === 0 && regexes !== undefined) {
    for (const r of regexes) {
      if (r.gateIds !== undefined && !anyGate(r.gateIds, matches.gatesIn(r.view))) continue;
      list.push(...regexSpans(r.pattern, normalized[r.view]));
    }
    groups[g] = list;
  }
  return list;
};

/** Checks one rule; returns its evidence (one span per group) when it fires. */
const evaluate = (
  rule: CompiledRule,
  index: number,
  matches: Matches,
  normalized: NormalizedText,
): Span[] | undefined => {
  const groups: Span[][] = matches.occurrences.get(index) ?? emptyGroups(rule.groupCount + 1);
  // Cheap test first: a group that has no regex and no occurrence already rules the rule out.
  for (let g = 0; g < rule.groupCount; g++) {
    if ((groups[g]?.length ?? 0) === 0 && !rule.regexes.has(g)) return undefined;
  }
  for (let g = 0; g < rule.groupCount; g++) {
    if (fillGroup(rule, g, groups, matches, normalized).length === 0) return undefined;
  }
  const unless = rule.hasUnless
    ? fillGroup(rule, rule.groupCount, groups, matches, normalized)
    : [];
  for (const anchor of groups[0] ?? []) {
    const evidence: Span[] = [anchor];
    let ok = true;
    for (let g = 1; g < rule.groupCount && ok; g++) {
      let best: Span | undefined;
      for (const span of groups[g] ?? []) {
        if (
          gap(anchor, span) <= rule.window &&
          (best === undefined || gap(anchor, span) < gap(anchor, best))
        )
          best = span;
      }
      if (best === undefined) ok = false;
      else evidence.push(best);
    }
    if (!ok) continue;
    if (unless.some((span) => evidence.some((e) => gap(e, span) <= rule.unlessWindow))) continue;
    return evidence;
  }
  return undefined;
};

export type { Classification, ClassifyInput };
export { classify };
