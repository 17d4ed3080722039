import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
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

/** Loads the tokenizer and the policy once and returns a classifier bound to them. */
const createAnalyzer = async (policyId = 'rumoi') => {
  const tokenizer = await loadTokenizer();
  const policy = loadPolicy(policyId);
  return (text: string): Analysis => analyze(text, { policy, tokenizer });
};

export type { CliDecision };
export { createAnalyzer, toCliDecision };
