import type { Analysis } from '../analyze';
import type { CommentMessage } from '../contracts/comment-message';
import type { ActionMessage, CategoryFinding } from '../contracts/decision';
import { valueRef } from '../pii/pseudonym';
import type { PiiType } from '../pii/types';
import { keyedRef } from '../pseudonym';
import { type AuditEvent, interimHideEvent } from '../review/audit';
import { effectiveAction, OFF_HOURS_RULE_ID } from '../review/off-hours';
import { usernameRefFor } from '../username';
import type {
  DecisionRecord,
  LedgerRow,
  OffHoursPolicy,
  PiiPosition,
  StagePlan,
  StagePolicy,
} from './records';

interface PlanInput {
  readonly message: CommentMessage;
  /** `undefined` exactly when the message carries no text: the comment is then pending a fetch. */
  readonly analysis: Analysis | undefined;
  readonly now: Date;
  readonly policy: StagePolicy;
  readonly pseudonymKey: string;
  readonly offHours: OffHoursPolicy;
}

const SECONDS_PER_DAY = 86_400;
/** Stands in for a value the analyzer left in the redacted text (see `scrubResidue`). */
const RESIDUE_MASK = '＊＊＊';
// Shorter author ids and usernames collide with ordinary text; masking them would mangle comments.
const MIN_AUTHOR_MASK_LENGTH = 3;

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

const expiresAtFor = (now: Date, policy: StagePolicy): number =>
  epochSeconds(now) + policy.retentionDays * SECONDS_PER_DAY;

/**
 * Keyed reference of a personal value, the only form in which the ledger holds it: the PII
 * detector's canonical form per type, so every spelling of one number gives one reference.
 */
const piiValueRef = (key: string, type: PiiType, raw: string): string => valueRef(key, type, raw);

const authorRefFor = (key: string, authorId: string): string => keyedRef(key, 'author', authorId);

/** Valid, de-duplicated positions in a stable order, so ledger indexes never depend on chance. */
const positionsOf = (analysis: Analysis, text: string): PiiPosition[] => {
  const seen = new Set<string>();
  const positions: PiiPosition[] = [];
  for (const span of analysis.pii) {
    const valid =
      Number.isInteger(span.start) &&
      Number.isInteger(span.end) &&
      span.start >= 0 &&
      span.end <= text.length &&
      span.start < span.end;
    const id = `${span.type}:${span.start}:${span.end}`;
    if (!valid || seen.has(id)) continue;
    seen.add(id);
    positions.push({ type: span.type, start: span.start, end: span.end });
  }
  return positions.sort((a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : 1));
};

const countTypes = (positions: readonly PiiPosition[]): Partial<Record<PiiType, number>> => {
  const counts: Partial<Record<PiiType, number>> = {};
  for (const p of positions) counts[p.type] = (counts[p.type] ?? 0) + 1;
  return counts;
};

/** Copies only the contract's fields, so nothing an analyzer attaches (a matched value) is stored. */
const cleanCategories = (categories: readonly CategoryFinding[]): CategoryFinding[] =>
  categories.map((c) => ({
    id: c.id,
    score: c.score,
    evidence: c.evidence.map((e) => ({
      rule: e.rule,
      start: e.start,
      end: e.end,
      ...(e.model !== undefined ? { model: e.model } : {}),
      ...(e.score !== undefined ? { score: e.score } : {}),
    })),
  }));

/**
 * Defence in depth for article 9: whatever the analyzer's redaction missed, a detected value, the
 * author's username or the author's raw id never reaches storage verbatim.
 */
const scrubResidue = (redacted: string, values: readonly string[]): string => {
  const ordered = [...new Set(values.filter((v) => v.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  let out = redacted;
  for (const value of ordered) {
    if (out.includes(value)) out = out.split(value).join(RESIDUE_MASK);
  }
  return out;
};

const authorValues = (message: CommentMessage): string[] =>
  [message.from?.username, message.from?.id].filter(
    (v): v is string => v !== undefined && v.length >= MIN_AUTHOR_MASK_LENGTH,
  );

/** Keyed author references: the user id's always, the username's when Meta sent one. */
const authorRefsOf = (message: CommentMessage, key: string) => {
  if (message.from === undefined) return {};
  const usernameRef =
    message.from.username !== undefined ? usernameRefFor(key, message.from.username) : undefined;
  return {
    authorRef: authorRefFor(key, message.from.id),
    ...(usernameRef !== undefined ? { usernameRef } : {}),
  };
};

/** The message fields every decision carries, classified or not. */
const baseOf = (message: CommentMessage, key: string) => ({
  commentId: message.commentId,
  accountId: message.accountId,
  field: message.field,
  ...(message.mediaId !== undefined ? { mediaId: message.mediaId } : {}),
  ...(message.mediaProductType !== undefined ? { mediaProductType: message.mediaProductType } : {}),
  ...(message.parentId !== undefined ? { parentId: message.parentId } : {}),
  receivedAt: message.receivedAt,
  ...authorRefsOf(message, key),
});

const pendingFetchDecision = (input: PlanInput): DecisionRecord => ({
  ...baseOf(input.message, input.pseudonymKey),
  decidedAt: input.now.toISOString(),
  policyVersion: input.policy.version,
  categories: [],
  action: 'allow',
  actionStatus: 'none',
  piiTypes: {},
  piiSpans: [],
  inquiry: false,
  expiresAt: expiresAtFor(input.now, input.policy),
  pendingFetch: true,
  stage: 'complete',
});

const classifiedDecision = (input: PlanInput, text: string, analysis: Analysis): DecisionRecord => {
  const positions = positionsOf(analysis, text);
  const residue = [
    ...positions.map((p) => text.slice(p.start, p.end)),
    ...authorValues(input.message),
  ];
  const { calendar, rule } = input.offHours;
  // A `review` stays a review (staff decide); off hours it is also hidden until they do, unless
  // only the learned second opinion flagged it: the model alone never hides (policy `secondOpinion`).
  const interim =
    analysis.secondOpinion?.alone !== true &&
    effectiveAction(analysis.action, input.now.getTime(), calendar, rule).interim;
  const enforcing = analysis.action === 'hide' || analysis.action === 'delete' || interim;
  // Nothing left to do after the put: the record can be born complete and save a write.
  const complete = positions.length === 0 && !enforcing;
  return {
    ...baseOf(input.message, input.pseudonymKey),
    decidedAt: input.now.toISOString(),
    policyVersion: analysis.policyVersion,
    classifierVersion: analysis.classifierVersion,
    categories: cleanCategories(analysis.categories),
    action: analysis.action,
    actionStatus: enforcing ? 'pending' : 'none',
    redactedText: scrubResidue(analysis.redactedText, residue),
    piiTypes: countTypes(positions),
    piiSpans: positions,
    inquiry: analysis.inquiry,
    expiresAt: expiresAtFor(input.now, input.policy),
    ...(analysis.action === 'review' ? { reviewState: 'pending' as const } : {}),
    ...(interim ? { interimAction: 'hide' as const } : {}),
    stage: complete ? 'complete' : 'decided',
  };
};

/**
 * Ledger rows of a decision, rebuilt from its stored positions and the message text. The same
 * decision and text always give the same rows, which is what makes the ledger writes repeatable.
 */
const ledgerRowsFor = (
  decision: DecisionRecord,
  text: string | undefined,
  pseudonymKey: string,
): LedgerRow[] => {
  if (decision.piiSpans.length === 0) return [];
  if (text === undefined) throw new LedgerTextMissingError(decision.commentId);
  return decision.piiSpans.map((p, index) => {
    if (p.end > text.length) throw new LedgerTextMissingError(decision.commentId);
    return {
      commentId: decision.commentId,
      index,
      type: p.type,
      start: p.start,
      end: p.end,
      valueRef: piiValueRef(pseudonymKey, p.type, text.slice(p.start, p.end)),
      purpose: 'moderation',
      expiresAt: decision.expiresAt,
    };
  });
};

/** What the decision asks of Instagram now: its own hide/delete, or an interim off-hours hide. */
const requestedAction = (decision: DecisionRecord): 'hide' | 'delete' | undefined => {
  if (decision.action === 'hide' || decision.action === 'delete') return decision.action;
  return decision.interimAction;
};

/** The act stage's message; derived from the stored decision so a re-enqueue is byte-identical. */
const actionMessageFor = (decision: DecisionRecord): ActionMessage | undefined => {
  const action = requestedAction(decision);
  if (action === undefined) return undefined;
  return {
    commentId: decision.commentId,
    accountId: decision.accountId,
    field: decision.field,
    action,
    ...(decision.mediaProductType !== undefined
      ? { mediaProductType: decision.mediaProductType }
      : {}),
    policyVersion: decision.policyVersion,
    decidedAt: decision.decidedAt,
  };
};

/**
 * The audit trail's record of an interim hide, derived from the stored decision: its event id
 * comes from `decidedAt`, so every retry builds the same event and the conditional append keeps
 * exactly one.
 */
const auditEventFor = (
  decision: DecisionRecord,
  offHours: OffHoursPolicy,
): AuditEvent | undefined => {
  if (decision.interimAction !== 'hide') return undefined;
  return interimHideEvent({
    commentId: decision.commentId,
    at: new Date(decision.decidedAt),
    policyVersion: decision.policyVersion,
    rule: OFF_HOURS_RULE_ID,
    why: offHours.rule.why,
    retentionDays: offHours.auditRetentionDays,
  });
};

/**
 * The whole outcome for one comment, before any write: decision, ledger rows, audit event, action
 * message.
 */
const planDecision = (input: PlanInput): StagePlan => {
  const text = input.message.text;
  const decision =
    text === undefined || input.analysis === undefined
      ? pendingFetchDecision(input)
      : classifiedDecision(input, text, input.analysis);
  const action = actionMessageFor(decision);
  const audit = auditEventFor(decision, input.offHours);
  return {
    decision,
    ledger: ledgerRowsFor(decision, text, input.pseudonymKey),
    ...(action ? { action } : {}),
    ...(audit ? { audit } : {}),
  };
};

/** A stored decision names personal-data positions, but this delivery has no text to rebuild them. */
class LedgerTextMissingError extends Error {
  override readonly name = 'LedgerTextMissingError';
  constructor(readonly commentId: string) {
    super(`comment ${commentId}: ledger rows cannot be rebuilt without the comment text`);
  }
}

export type { PlanInput };
export {
  actionMessageFor,
  auditEventFor,
  authorRefFor,
  epochSeconds,
  expiresAtFor,
  LedgerTextMissingError,
  ledgerRowsFor,
  piiValueRef,
  planDecision,
  RESIDUE_MASK,
  scrubResidue,
};
