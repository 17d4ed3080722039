import type { Action, CategoryFinding, CategoryId, Evidence } from '../contracts/decision';
import type { SecondOpinion } from '../policy/schema';
import type { ModelScores } from './model';

/**
 * Joins the learned second opinion to the rules' classification, as the policy's `secondOpinion`
 * section says. The model can add categories and raise a comment to `review`; only a rule (or a rule
 * the model corroborates, where the policy lists it) can make it `hide` or `delete`, and where the
 * policy asks the model to confirm removals, a rule's removal the model doubts goes to a person.
 */

interface RulesOutcome {
  readonly categories: readonly CategoryFinding[];
  readonly action: Action;
}

interface Joined {
  readonly categories: readonly CategoryFinding[];
  readonly action: Action;
  /** Every asserted category rests on the model alone: no rule fired. */
  readonly modelOnly: boolean;
}

const RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const LETTER = /[\p{L}\p{N}]/gu;
/**
 * Whether `text` holds at least `min` letters or digits. The model learned from comments of a
 * sentence or more; on a word or two ("ok", "hello") its score is a guess, and Instagram is full of
 * such comments, so on those the rules decide alone.
 */
const hasLetters = (text: string, min: number): boolean => {
  if (min <= 0) return true;
  let n = 0;
  LETTER.lastIndex = 0;
  while (LETTER.exec(text) !== null) {
    n++;
    if (n >= min) return true;
  }
  return false;
};

const joinSecondOpinion = (
  rules: RulesOutcome,
  scores: ModelScores,
  config: SecondOpinion,
  text: string,
  /** What the model read, when not all of `text` (trusted links cut out): its letters count. */
  seen: string = text,
): Joined => {
  const textLength = text.length;
  const modelId = `${config.model.name}@${config.model.version}`;
  const evidence = (rule: string, score: number): Evidence => ({
    rule,
    start: 0,
    end: textLength,
    model: modelId,
    score: round3(score),
  });
  const any = scores.any ?? 0;
  const byId = new Map<CategoryId, CategoryFinding>(rules.categories.map((c) => [c.id, c]));
  const ruled = new Set(byId.keys());
  let action = rules.action;

  /** Adds `proof` to a category already asserted; false when there is none. */
  const addProof = (id: CategoryId, proof: Evidence): boolean => {
    const found = byId.get(id);
    if (found === undefined) return false;
    byId.set(id, { ...found, evidence: [...found.evidence, proof] });
    return true;
  };
  const assert = (id: CategoryId, score: number, proof: Evidence): void => {
    if (addProof(id, proof)) return;
    byId.set(id, { id, score: round3(score), evidence: [proof] });
    if (RANK[action] < RANK.review) action = 'review';
  };
  const assertHeads = (heads: SecondOpinion['categories']): void => {
    for (const head of heads) {
      const score = scores[head.id];
      if (score !== undefined && score >= head.minScore) {
        assert(head.id, score, evidence(head.rule, score));
      }
    }
  };

  // Whether a comment is flagged at all is the rules' call or the `any` head's; a trusted category
  // head only names the category of a flagged comment. On a comment too short for the model (see
  // `hasLetters`) it says nothing at all: no flag, no category beside the rules', no doubt.
  const flagged = byId.size > 0 || any >= config.alone.minScore;
  if (!flagged || !hasLetters(seen, config.alone.minLetters)) {
    return { categories: rules.categories, action: rules.action, modelOnly: false };
  }
  assertHeads(config.categories);
  if (byId.size === 0) {
    // Flagged by the model alone: the heads trusted for that name its categories, else the fallback.
    assertHeads(config.alone.categories);
    if (byId.size === 0) assert(config.alone.category, any, evidence(config.alone.rule, any));
  }
  for (const step of config.corroborate) {
    if (!ruled.has(step.category)) continue;
    const ruleScore = rules.categories.find((c) => c.id === step.category)?.score ?? 0;
    if (ruleScore < step.ruleMinScore || any < step.modelMinScore) continue;
    addProof(step.category, evidence(step.rule, any));
    if (RANK[action] < RANK[step.action]) action = step.action;
  }

  const confirm = config.confirm;
  if (confirm !== undefined && RANK[action] > RANK.review && any < confirm.minScore) {
    // The model doubts the rules' removal: a person decides. The doubt is shown on every category
    // a rule asserted, so the decision explains why it was not removed at once.
    action = 'review';
    for (const id of ruled) addProof(id, evidence(confirm.rule, any));
  }

  // Categories keep the policy's order (1..11), as the rules report them.
  const categories = [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
  return { categories, action, modelOnly: categories.length > 0 && ruled.size === 0 };
};

export type { Joined, RulesOutcome };
export { joinSecondOpinion };
