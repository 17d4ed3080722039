import { classify } from './classifier/classify';
import { compiled } from './classifier/compile';
import { scoreText, type TextModel } from './classifier/model';
import { modelWords } from './classifier/model-features';
import { joinSecondOpinion } from './classifier/second-opinion';
import type { Action, CategoryFinding } from './contracts/decision';
import { detectPii } from './pii/detect';
import { redact } from './pii/redact';
import type { PiiSpan } from './pii/types';
import type { Policy } from './policy/schema';
import { normalize } from './text/normalize';
import type { CommentTokens, Token, Tokenizer } from './tokenizer';

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
  /**
   * The learned second opinion, when the policy has one and a model was supplied: its `any` score and
   * whether the comment is flagged by the model alone (such a review is never hidden off hours).
   */
  readonly secondOpinion?: {
    readonly model: string;
    readonly score: number;
    readonly alone: boolean;
  };
}

interface AnalyzeDeps {
  readonly policy: Policy;
  readonly tokenizer: Tokenizer;
  /**
   * The model the policy's `secondOpinion` names (loaded by `adapters/text-model.ts`). Without it the
   * rules decide alone.
   */
  readonly model?: TextModel;
}

const CLASSIFIER_VERSION = '2.0.0';

class ModelMismatchError extends Error {
  override name = 'ModelMismatchError';
}

/**
 * Instagram caps a comment at 2,200 characters. Morphological analysis costs ~5-10 µs per
 * character, so a longer (necessarily forged) text is analysed up to this length only: word
 * boundaries past it are treated as absent (rules needing them do not fire) and names past it are
 * left to the detector's other recognisers.
 */
const TOKENIZE_LIMIT = 2200;

/** Longest piece handed to kuromoji at once; see `chunkedTokenize`. */
const CHUNK = 128;
const BREAK = /[\s。、！？!?,.\n]/u;

/**
 * kuromoji's lattice grows badly on long runs it does not know (10,000 characters of one symbol
 * take seconds), so long texts are analysed in pieces cut after punctuation or spaces, and the
 * token offsets shifted back. Comments shorter than a piece are analysed whole, as before.
 */
const chunkedTokenize = (text: string, tokenizer: Tokenizer): readonly Token[] => {
  if (text.length <= CHUNK) return tokenizer.tokenize(text);
  const out: Token[] = [];
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + CHUNK);
    if (to < text.length) {
      for (let k = to - 1; k > from + CHUNK / 2; k--) {
        if (BREAK.test(text[k] ?? '')) {
          to = k + 1;
          break;
        }
      }
      // Never cut a surrogate pair in two.
      const code = text.charCodeAt(to - 1);
      if (code >= 0xd800 && code <= 0xdbff) to++;
    }
    for (const t of tokenizer.tokenize(text.slice(from, to)))
      out.push({ ...t, start: t.start + from });
    from = to;
  }
  return out;
};

/** The tokens of a comment's first TOKENIZE_LIMIT characters, as the analysis sees them. */
const commentTokens = (text: string, tokenizer: Tokenizer): readonly Token[] => {
  // Cut before a low surrogate never splits a pair in two.
  const end = /[\uDC00-\uDFFF]/.test(text[TOKENIZE_LIMIT] ?? '')
    ? TOKENIZE_LIMIT + 1
    : TOKENIZE_LIMIT;
  return chunkedTokenize(text.slice(0, end), tokenizer);
};

/**
 * kuromoji is the most expensive step: the comment is tokenised at most once, on first demand,
 * and the personal-data detector, the classifier and the model share the result.
 */
class SharedTokens implements Tokenizer, CommentTokens {
  private memo: readonly Token[] | undefined;

  constructor(
    private readonly text: string,
    private readonly tokenizer: Tokenizer,
  ) {}

  /** The comment's own tokens. */
  get(): readonly Token[] {
    this.memo ??= commentTokens(this.text, this.tokenizer);
    return this.memo;
  }

  tokenize(input: string): readonly Token[] {
    return input === this.text ? this.get() : chunkedTokenize(input, this.tokenizer);
  }
}

/** `text` with each span replaced by one space (spans ordered and disjoint, as links are). */
const withoutSpans = (
  text: string,
  spans: ReadonlyArray<{ readonly start: number; readonly end: number }>,
): string => {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)} `;
    at = span.end;
  }
  return out + text.slice(at);
};

const analyze = (text: string, deps: AnalyzeDeps): Analysis => {
  const shared = new SharedTokens(text, deps.tokenizer);
  const pii = detectPii(text, shared);
  const normalized = normalize(text);
  const result = classify(compiled(deps.policy), {
    text,
    normalized,
    pii,
    tokens: shared,
  });
  const base = {
    pii,
    redactedText: redact(text, pii),
    inquiry: result.inquiry,
    policyVersion: deps.policy.version,
  };
  const config = deps.policy.secondOpinion;
  const model = deps.model;
  if (config === undefined || model === undefined) {
    return {
      ...base,
      action: result.action,
      categories: result.categories,
      classifierVersion: CLASSIFIER_VERSION,
    };
  }
  if (config.model.name !== model.name || config.model.version !== model.version) {
    throw new ModelMismatchError(
      `policy ${deps.policy.id} expects model ${config.model.name}@${config.model.version}, got ${model.name}@${model.version}`,
    );
  }
  // The model never saw the city's own links as trusted: a link the policy allowlists is cut out
  // of what it reads, so a trusted link cannot make it flag what the rules let stand.
  const trusted = result.links.filter((link) => link.flags.has('allowlisted'));
  const seen = trusted.length === 0 ? text : withoutSpans(text, trusted);
  const words =
    model.features.words === undefined
      ? undefined
      : modelWords(seen, () =>
          seen === text ? shared.get() : commentTokens(seen, deps.tokenizer),
        );
  const scores = scoreText(
    model,
    seen === text ? normalized.folded.text : normalize(seen).folded.text,
    words,
  );
  const joined = joinSecondOpinion(result, scores, config, text, seen);
  const modelId = `${model.name}@${model.version}`;
  return {
    ...base,
    action: joined.action,
    categories: joined.categories,
    classifierVersion: `${CLASSIFIER_VERSION}+${modelId}`,
    secondOpinion: { model: modelId, score: scores.any ?? 0, alone: joined.modelOnly },
  };
};

export type { Analysis, AnalyzeDeps };
export { analyze, CLASSIFIER_VERSION, commentTokens, ModelMismatchError };
