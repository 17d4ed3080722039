import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyzeDeps } from '../../lambdas/adapters/text-model';
import { type Analysis, analyze } from '../../lambdas/core/analyze';
import { localSettings } from '../runtime/defaults';

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
 * Loads the tokenizer, the policy pack and, when the policy has a second opinion, the learned model
 * once, and returns a classifier bound to them. The pack: `policyPack`, else `POLICY_PACK`, else
 * the local default. `rulesOnly` leaves the model out (training uses it to measure what the rules
 * do by themselves).
 */
const createAnalyzer = async (
  policyPack?: string,
  options: { readonly rulesOnly?: boolean } = {},
): Promise<(text: string) => Analysis> => {
  const policy = loadPolicy(policyPack ?? localSettings().policyPack);
  const tokenizer = await loadTokenizer();
  const deps = analyzeDeps(policy, tokenizer, options);
  return (text: string): Analysis => analyze(text, deps);
};

export type { CliDecision };
export { createAnalyzer, toCliDecision };
