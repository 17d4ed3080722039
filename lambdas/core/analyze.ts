import { classify } from './classifier/classify';
import { compiled } from './classifier/compile';
import type { Action, CategoryFinding } from './contracts/decision';
import type { PiiSpan } from './pii/types';
import type { Policy } from './policy/schema';
import { normalize } from './text/normalize';
import type { Token, Tokenizer } from './tokenizer';

/**
 * The core's single entry point for one comment: normalise → personal data → categories → action.
 * Pure and deterministic: the same text, policy and tokenizer always give the same analysis.
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

const CLASSIFIER_VERSION = '1.0.0';

/**
 * kuromoji is the most expensive step: the comment is tokenised at most once, on first demand,
 * and the personal-data detector and the classifier share the result.
 */
const sharedTokenizer = (
  text: string,
  tokenizer: Tokenizer,
): { tokenizer: Tokenizer; tokens: () => readonly Token[] } => {
  let tokens: readonly Token[] | undefined;
  const tokens_ = (): readonly Token[] => {
    tokens ??= tokenizer.tokenize(text);
    return tokens;
  };
  return {
    tokens: tokens_,
    tokenizer: { tokenize: (input) => (input === text ? tokens_() : tokenizer.tokenize(input)) },
  };
};

const analyze = (text: string, deps: AnalyzeDeps): Analysis => {
  const shared = sharedTokenizer(text, deps.tokenizer);
  const pii: PiiSpan[] = [];
  const result = classify(compiled(deps.policy), {
    text,
    normalized: normalize(text),
    pii,
    tokens: shared.tokens,
  });
  return {
    action: result.action,
    categories: result.categories,
    pii,
    redactedText: text,
    inquiry: result.inquiry,
    policyVersion: deps.policy.version,
    classifierVersion: CLASSIFIER_VERSION,
  };
};

export type { Analysis, AnalyzeDeps };
export { analyze, CLASSIFIER_VERSION };
