import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
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
 * Loads the tokenizer and the policy pack once and returns a classifier bound to them. The pack:
 * `policyPack`, else `POLICY_PACK`, else the local default.
 */
const createAnalyzer = async (policyPack?: string) => {
  const policy = loadPolicy(policyPack ?? localSettings().policyPack);
  const tokenizer = await loadTokenizer();
  return (text: string): Analysis => analyze(text, { policy, tokenizer });
};

export type { CliDecision };
export { createAnalyzer, toCliDecision };
