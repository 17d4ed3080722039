import type { Action, CategoryFinding } from './contracts/decision';
import type { PiiSpan } from './pii/types';
import type { Policy } from './policy/schema';
import type { Tokenizer } from './tokenizer';

/**
 * The core's single entry point for one comment: normalise → personal data → categories → action.
 * PLACEHOLDER body laid by the lead so the CLIs and stages can be written against the signature;
 * the classifier work (issue 4) owns this file and fills it in. Keep the signature.
 */
interface Analysis {
  readonly action: Action;
  /** Only the categories the classifier asserts. */
  readonly categories: readonly CategoryFinding[];
  readonly pii: readonly PiiSpan[];
  readonly redactedText: string;
  readonly inquiry: boolean;
  readonly policyVersion: string;
  readonly classifierVersion: string;
}

interface AnalyzeDeps {
  readonly policy: Policy;
  readonly tokenizer: Tokenizer;
}

const CLASSIFIER_VERSION = '0.0.0';

const analyze = (text: string, deps: AnalyzeDeps): Analysis => ({
  action: 'allow',
  categories: [],
  pii: [],
  redactedText: text,
  inquiry: false,
  policyVersion: deps.policy.version,
  classifierVersion: CLASSIFIER_VERSION,
});

export type { Analysis, AnalyzeDeps };
export { analyze, CLASSIFIER_VERSION };
