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

/**
 * The categories and action being joined for one flagged comment. A class rather than closures
 * made per comment: its methods are created once.
 */
class Joining {
  readonly byId: Map<CategoryId, CategoryFinding>;
  action: Action;
  private readonly modelId: string;

  constructor(
    rules: RulesOutcome,
    private readonly scores: ModelScores,
    model: SecondOpinion['model'],
    private readonly textLength: number,
  ) {
    this.byId = new Map(rules.categories.map((c) => [c.id, c]));
    this.action = rules.action;
    this.modelId = `${model.name}@${model.version}`;
  }

  /** The model's evidence: the whole comment, the model's version and its score. */
  evidence(rule: string, score: number): Evidence {
    return { rule, start: 0, end: this.textLength, model: this.modelId, score: round3(score) };
  }

  /** Adds `proof` to a category already asserted; false when there is none. */
  addProof(id: CategoryId, proof: Evidence): boolean {
    const found = this.byId.get(id);
    if (found === undefined) return false;
    this.byId.set(id, { ...found, evidence: [...found.evidence, proof] });
    return true;
  }

  assert(id: CategoryId, score: number, proof: Evidence): void {
    if (this.addProof(id, proof)) return;
    this.byId.set(id, { id, score: round3(score), evidence: [proof] });
    if (RANK[this.action] < RANK.review) this.action = 'review';
  }

  assertHeads(heads: SecondOpinion['categories']): void {
    for (const head of heads) {
      const score = this.scores[head.id];
      if (score !== undefined && score >= head.minScore) {
        this.assert(head.id, score, this.evidence(head.rule, score));
      }
    }
  }
}

/** Whether any of the rules' evidence comes from one of `ids`. */
const restsOn = (rules: RulesOutcome, ids: readonly string[]): boolean =>
  ids.length > 0 && rules.categories.some((c) => c.evidence.some((e) => ids.includes(e.rule)));

const joinSecondOpinion = (
  rules: RulesOutcome,
  scores: ModelScores,
  config: SecondOpinion,
  text: string,
  /** What the model read, when not all of `text` (trusted links cut out): its letters count. */
  seen: string = text,
): Joined => {
  const any = scores.any ?? 0;
  // Whether a comment is flagged at all is the rules' call or the `any` head's; a trusted category
  // head only names the category of a flagged comment. On a comment too short for the model (see
  // `hasLetters`) it says nothing at all: no flag, no category beside the rules', no doubt.
  const flagged = rules.categories.length > 0 || any >= config.alone.minScore;
  if (!flagged || !hasLetters(seen, config.alone.minLetters)) {
    return { categories: rules.categories, action: rules.action, modelOnly: false };
  }
  const join = new Joining(rules, scores, config.model, text.length);
  const ruled = new Set(join.byId.keys());
  join.assertHeads(config.categories);
  if (join.byId.size === 0) {
    // Flagged by the model alone: the heads trusted for that name its categories, else the fallback.
    join.assertHeads(config.alone.categories);
    if (join.byId.size === 0) {
      join.assert(config.alone.category, any, join.evidence(config.alone.rule, any));
    }
  }
  for (const step of config.corroborate) {
    if (!ruled.has(step.category)) continue;
    const ruleScore = rules.categories.find((c) => c.id === step.category)?.score ?? 0;
    if (ruleScore < step.ruleMinScore || any < step.modelMinScore) continue;
    join.addProof(step.category, join.evidence(step.rule, any));
    if (RANK[join.action] < RANK[step.action]) join.action = step.action;
  }

  const confirm = config.confirm;
  if (
    confirm !== undefined &&
    RANK[join.action] > RANK.review &&
    any < confirm.minScore &&
    !restsOn(rules, confirm.standsAlone)
  ) {
    // The model doubts the rules' removal: a person decides. The doubt is shown on every category
    // a rule asserted, so the decision explains why it was not removed at once.
    join.action = 'review';
    for (const id of ruled) join.addProof(id, join.evidence(confirm.rule, any));
  }

  // Categories keep the policy's order (1..11), as the rules report them.
  const categories = [...join.byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
  return { categories, action: join.action, modelOnly: categories.length > 0 && ruled.size === 0 };
};

export type { Joined, RulesOutcome };
export { joinSecondOpinion };
