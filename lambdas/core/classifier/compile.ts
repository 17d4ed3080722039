import type { CategoryId } from '../contracts/decision';
import type { Policy, PolicyItem, PolicyRule, Signal } from '../policy/schema';
import { compactTerm, MASK } from '../text/normalize';
import { type AhoCorasick, buildAhoCorasick } from './aho-corasick';
import type { LinkPolicy } from './links';
import { foldReportWord, type QuotedReportConfig } from './quotes';

/** Where an occurrence counts: rule index and group index (`groupCount` = the `unless` group). */
interface Ref {
  readonly rule: number;
  readonly group: number;
}

interface CompiledTerm {
  readonly text: string;
  /** kuromoji word boundary required at the start / end. */
  readonly left: boolean;
  readonly right: boolean;
  /** Latin words must not sit inside a longer Latin word (dm in admin). */
  readonly latinLeft: boolean;
  readonly latinRight: boolean;
  readonly refs: Ref[];
}

interface CompiledRegex {
  readonly pattern: RegExp;
  readonly view: 'folded' | 'compact';
  readonly gate: readonly string[] | undefined;
  /** Indices of the gate strings in `CompiledPolicy.gates[view]`: one pass finds them all. */
  readonly gateIds: readonly number[] | undefined;
}

/** Every gate string of a view, found in one Aho-Corasick pass instead of one search each. */
interface GateMatcher {
  readonly count: number;
  readonly matcher: AhoCorasick;
}

interface CompiledRule {
  readonly id: string;
  readonly weight: number;
  /** Index into `categories`, or -1 for the inquiry rules. */
  readonly owner: number;
  readonly groupCount: number;
  readonly window: number;
  readonly unlessWindow: number;
  readonly hasUnless: boolean;
  /** Regex items per group index (the `unless` group at `groupCount`). */
  readonly regexes: ReadonlyMap<number, readonly CompiledRegex[]>;
  /** Groups made only of regexes: the rule must be looked at on every comment. */
  readonly needsRegexOnly: boolean;
}

interface CompiledCategory {
  readonly id: CategoryId;
  readonly actions: Policy['categories'][number]['actions'];
}

interface CompiledPolicy {
  readonly policy: Policy;
  readonly terms: readonly CompiledTerm[];
  readonly matcher: AhoCorasick;
  readonly rules: readonly CompiledRule[];
  readonly signalRefs: ReadonlyMap<Signal, readonly Ref[]>;
  /** Rules that must be evaluated even when no word or signal touched them. */
  readonly alwaysEvaluate: readonly number[];
  readonly categories: readonly CompiledCategory[];
  readonly inquiryMinScore: number;
  readonly inquiryNotWith: ReadonlySet<CategoryId>;
  readonly links: LinkPolicy;
  /** `quotedReport`, its words folded as `reportedQuotes` compares them; absent when unset. */
  readonly quotedReport: QuotedReportConfig | undefined;
  readonly gates: Readonly<Record<'folded' | 'compact', GateMatcher>>;
}

class PolicyCompileError extends Error {
  override name = 'PolicyCompileError';
}

const LATIN = /^[a-z0-9]/;
const LATIN_END = /[a-z0-9]$/;
const HAS_LATIN = /[a-z]/;

/** Every regular expression a policy carries, for the ReDoS check at load and in tests. */
const policyPatterns = (policy: Policy): RegExp[] => {
  const out: RegExp[] = [];
  const rules = [...policy.categories.flatMap((c) => c.rules), ...policy.inquiry.rules];
  for (const rule of rules) {
    for (const item of [...rule.all.flat(), ...(rule.unless ?? [])]) {
      if (typeof item !== 'string') out.push(new RegExp(item.re, item.flags ?? 'u'));
    }
  }
  return out;
};

const compilePolicy = (policy: Policy): CompiledPolicy => {
  const termIndex = new Map<string, number>();
  const terms: Array<CompiledTerm & { refs: Ref[] }> = [];
  const patterns: string[] = [];
  const signalRefs = new Map<Signal, Ref[]>();
  const rules: CompiledRule[] = [];
  const alwaysEvaluate: number[] = [];
  const gateIndex = { folded: new Map<string, number>(), compact: new Map<string, number>() };
  const gateIdsOf = (view: 'folded' | 'compact', gate: readonly string[] | undefined) => {
    if (gate === undefined) return undefined;
    const index = gateIndex[view];
    return gate.map((g) => {
      let id = index.get(g);
      if (id === undefined) {
        id = index.size;
        index.set(g, id);
      }
      return id;
    });
  };

  const addTerm = (raw: string, ref: Ref, ruleId: string): void => {
    const left = raw.startsWith('|');
    const right = raw.length > 1 && raw.endsWith('|');
    const text = compactTerm(raw.slice(left ? 1 : 0, right ? -1 : undefined));
    if (text.length === 0) throw new PolicyCompileError(`rule ${ruleId}: empty word ${raw}`);
    const variants = [text];
    // Masked spellings (セ◯レ, ルイ◯トン): one inner character replaced by a mask.
    if (text.length >= 3 && text.length <= 10 && !HAS_LATIN.test(text)) {
      for (let i = 1; i < text.length - 1; i++) {
        variants.push(`${text.slice(0, i)}${MASK}${text.slice(i + 1)}`);
      }
    }
    for (const variant of variants) {
      const key = `${left ? '|' : ''}${variant}${right ? '|' : ''}`;
      let index = termIndex.get(key);
      if (index === undefined) {
        index = terms.length;
        termIndex.set(key, index);
        terms.push({
          text: variant,
          left,
          right,
          latinLeft: LATIN.test(variant),
          latinRight: LATIN_END.test(variant) && variant.length <= 4,
          refs: [],
        });
        patterns.push(variant);
      }
      terms[index]?.refs.push(ref);
    }
  };

  const addItem = (
    item: PolicyItem,
    ref: Ref,
    rule: PolicyRule,
    regexes: Map<number, CompiledRegex[]>,
  ): void => {
    if (typeof item !== 'string') {
      const list = regexes.get(ref.group) ?? [];
      const flags = `${item.flags ?? ''}${(item.flags ?? '').includes('u') ? '' : 'u'}g`;
      list.push({
        pattern: new RegExp(item.re, flags),
        view: item.view,
        gate: item.gate,
        gateIds: gateIdsOf(item.view, item.gate),
      });
      regexes.set(ref.group, list);
      return;
    }
    if (item.startsWith('@')) {
      for (const word of policy.lexicons[item.slice(1)] ?? []) addTerm(word, ref, rule.id);
      return;
    }
    if (item.startsWith('$')) {
      const signal = item.slice(1) as Signal;
      const list = signalRefs.get(signal) ?? [];
      list.push(ref);
      signalRefs.set(signal, list);
      return;
    }
    addTerm(item, ref, rule.id);
  };

  const addRule = (rule: PolicyRule, owner: number): void => {
    const index = rules.length;
    const regexes = new Map<number, CompiledRegex[]>();
    rule.all.forEach((group, g) => {
      for (const item of group) addItem(item, { rule: index, group: g }, rule, regexes);
    });
    for (const item of rule.unless ?? []) {
      addItem(item, { rule: index, group: rule.all.length }, rule, regexes);
    }
    const needsRegexOnly = rule.all.some((group) => group.every((i) => typeof i !== 'string'));
    rules.push({
      id: rule.id,
      weight: rule.weight,
      owner,
      groupCount: rule.all.length,
      window: rule.window ?? Number.POSITIVE_INFINITY,
      unlessWindow: rule.unlessWindow ?? Number.POSITIVE_INFINITY,
      hasUnless: (rule.unless?.length ?? 0) > 0,
      regexes,
      needsRegexOnly,
    });
    // When every group can be satisfied by a regex alone, no word hit will wake the rule up.
    if (rule.all.every((group) => group.some((i) => typeof i !== 'string'))) {
      alwaysEvaluate.push(index);
    }
  };

  policy.categories.forEach((category, c) => {
    for (const rule of category.rules) addRule(rule, c);
  });
  for (const rule of policy.inquiry.rules) addRule(rule, -1);

  return {
    policy,
    terms,
    matcher: buildAhoCorasick(patterns),
    rules,
    signalRefs,
    alwaysEvaluate,
    categories: policy.categories.map((c) => ({ id: c.id, actions: c.actions })),
    inquiryMinScore: policy.inquiry.minScore,
    inquiryNotWith: new Set(policy.inquiry.notWith),
    links: policy.links,
    quotedReport: policy.quotedReport && {
      rule: policy.quotedReport.rule,
      reportedBy: policy.quotedReport.reportedBy.map(foldReportWord),
      window: policy.quotedReport.window,
    },
    gates: {
      folded: {
        count: gateIndex.folded.size,
        matcher: buildAhoCorasick([...gateIndex.folded.keys()]),
      },
      compact: {
        count: gateIndex.compact.size,
        matcher: buildAhoCorasick([...gateIndex.compact.keys()]),
      },
    },
  };
};

const cache = new WeakMap<Policy, CompiledPolicy>();

/** Compiles once per policy object (the policy is loaded once per process). */
const compiled = (policy: Policy): CompiledPolicy => {
  let result = cache.get(policy);
  if (result === undefined) {
    result = compilePolicy(policy);
    cache.set(policy, result);
  }
  return result;
};

export type { CompiledPolicy, CompiledRegex, CompiledRule, CompiledTerm, GateMatcher, Ref };
export { compiled, compilePolicy, PolicyCompileError, policyPatterns };
