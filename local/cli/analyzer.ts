import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyzeDeps } from '../../lambdas/adapters/text-model';
import { type Analysis, analyze } from '../../lambdas/core/analyze';

/** The CLI view of a decision (DESIGN.md, `npm run classify`). */
interface CliDecision {
  readonly id: string;
  readonly action: Analysis['action'];
  readonly categories: Analysis['categories'];
  readonly pii: ReadonlyArray<{ type: string; start: number; end: number }>;
  readonly redactedText: string;
  readonly inquiry: boolean;
}

const toCliDecision = (id: string, analysis: Analysis): CliDecision => ({
  id,
  action: analysis.action,
  categories: analysis.categories,
  pii: analysis.pii.map(({ type, start, end }) => ({ type, start, end })),
  redactedText: analysis.redactedText,
  inquiry: analysis.inquiry,
});

/**
 * Loads the tokenizer, the policy and, when the policy has a second opinion, the learned model once,
 * and returns a classifier bound to them. `rulesOnly` leaves the model out (training uses it to
 * measure what the rules do by themselves).
 */
const createAnalyzer = async (
  policyId = 'rumoi',
  options: { readonly rulesOnly?: boolean } = {},
): Promise<(text: string) => Analysis> => {
  const tokenizer = await loadTokenizer();
  const policy = loadPolicy(policyId);
  const deps = analyzeDeps(policy, tokenizer, options);
  return (text: string): Analysis => analyze(text, deps);
};

export type { CliDecision };
export { createAnalyzer, toCliDecision };
