import { z } from 'zod';
import { epochSeconds } from '../classify-stage/plan';
import { DEFAULT_CLAIM_TTL_MS } from '../classify-stage/process-comment';
import { type AuditEvent, auditExpiry, DATA_REQUEST_PARTITION } from '../review/audit';
import { ErasureIncompleteError, InvalidDataRequestError, NothingHeldError } from './errors';
import type { SubjectKind } from './kinds';
import { messageMatcher } from './match';
import type { DataRequestPorts, StoredItem } from './ports';
import { dataRequestSchema, type Operation, resolveSubject, type Subject } from './subject';

/**
 * Data-subject requests (city policy article 9; APPI, public-sector chapter): disclose or erase
 * everything held about one person, named by Instagram user id, username, a personal value or a
 * comment id. One use case behind two doors: the local HTTP route and, in AWS, an IAM-authorised
 * route only the data officer's role may call.
 *
 * What is "about the subject": every comment the subject is linked to (authored by them, posted
 * under their username, holding their value, or named by id), and for each such comment its
 * decision, its ledger rows and its audit events (review notes included). Each request is recorded
 * in the audit trail under its own partition: who asked, when, the kind of subject and the counts,
 * never the subject itself.
 */

interface DataRequestContext {
  /** The authenticated principal (IAM ARN in AWS), recorded as the actor. */
  readonly officer: string;
  /** Unique per request (API Gateway's request id): part of the audit event id. */
  readonly requestId: string;
}

/** A ledger row as disclosed: what kind of value, where, why and until when; never the value. */
interface LedgerDisclosure {
  readonly commentId: string;
  readonly index: number;
  readonly type: unknown;
  readonly start: unknown;
  readonly end: unknown;
  readonly purpose: unknown;
  readonly expiresAt: unknown;
}

interface Disclosure {
  readonly decisions: StoredItem[];
  readonly ledger: LedgerDisclosure[];
  readonly audit: StoredItem[];
}

interface ErasureCounts {
  decisions: number;
  ledger: number;
  audit: number;
  queued: number;
}

type DataRequestResult =
  | { readonly operation: 'disclose'; readonly disclosure: Disclosure }
  | { readonly operation: 'erase'; readonly erased: ErasureCounts };

/** Everything the tables hold about one comment of the subject. */
interface HeldComment {
  readonly commentId: string;
  readonly decision: StoredItem | undefined;
  readonly ledger: readonly StoredItem[];
  readonly audit: readonly StoredItem[];
  /**
   * Ledger rows by which the subject was found (value requests): erased last, so that a request
   * that stops half-way finds this comment again when it is repeated.
   */
  readonly entryRows: ReadonlySet<number>;
}

const WHY = 'Data-subject request under article 9 of the city policy and the APPI';
const REQUEST_ID = /^[\w-]{1,64}$/;
/** Re-reads of a comment that is being classified: 0.25 + 0.5 + 1 + 2 s at most. */
const BUSY_RETRIES = 4;
const BUSY_WAIT_MS = 250;
/** Sweeps of the queues per erasure: the first, and one per round that found new table items. */
const MAX_ROUNDS = 3;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

const isLive = (item: StoredItem, now: Date): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt > epochSeconds(now);

const parseRequest = (body: unknown) => {
  const parsed = dataRequestSchema.safeParse(body);
  if (!parsed.success) {
    // Paths and codes only: the values are the subject's personal data.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`);
    throw new InvalidDataRequestError(`request: ${issues.join('; ')}`);
  }
  return parsed.data;
};

/** The subject's comments and, for value requests, the ledger rows that link each one. */
const linkedComments = async (
  ports: DataRequestPorts,
  subject: Subject,
): Promise<Map<string, Set<number>>> => {
  const linked = new Map<string, Set<number>>();
  const link = (commentId: string, index?: number) => {
    if (commentId.length === 0) return;
    const rows = linked.get(commentId) ?? new Set<number>();
    if (index !== undefined && Number.isInteger(index)) rows.add(index);
    linked.set(commentId, rows);
  };
  switch (subject.kind) {
    case 'comment':
      link(subject.commentId);
      break;
    case 'author':
      for (const d of await ports.store.decisionsByAuthorRef(subject.authorRef)) {
        link(str(d.commentId));
      }
      break;
    case 'username':
      for (const d of await ports.store.decisionsByUsernameRef(subject.usernameRef)) {
        link(str(d.commentId));
      }
      break;
    case 'value':
      for (const { ref } of subject.valueRefs) {
        for (const row of await ports.store.ledgerByValueRef(ref)) {
          link(str(row.commentId), num(row.index));
        }
      }
      break;
  }
  return linked;
};

const collect = async (ports: DataRequestPorts, subject: Subject): Promise<HeldComment[]> => {
  const held: HeldComment[] = [];
  for (const [commentId, entryRows] of await linkedComments(ports, subject)) {
    const [decision, ledger, audit] = await Promise.all([
      ports.store.decision(commentId),
      ports.store.ledgerOfComment(commentId),
      ports.store.auditOfComment(commentId),
    ]);
    held.push({ commentId, decision, ledger, audit, entryRows });
  }
  return held;
};

const byKeys =
  (...keys: string[]) =>
  (a: StoredItem, b: StoredItem): number => {
    for (const k of keys) {
      const x = a[k];
      const y = b[k];
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };

const disclosedRow = (row: StoredItem): LedgerDisclosure => ({
  commentId: str(row.commentId),
  index: num(row.index),
  type: row.type,
  start: row.start,
  end: row.end,
  purpose: row.purpose,
  expiresAt: row.expiresAt,
});

const disclose = async (
  ports: DataRequestPorts,
  subject: Subject,
  now: Date,
): Promise<Disclosure> => {
  const held = await collect(ports, subject);
  const live = (item: StoredItem | undefined): item is StoredItem =>
    item !== undefined && isLive(item, now);
  return {
    decisions: held
      .map((h) => h.decision)
      .filter(live)
      .sort(byKeys('decidedAt', 'commentId')),
    ledger: held
      .flatMap((h) => h.ledger)
      .filter(live)
      .sort(byKeys('commentId', 'index'))
      .map(disclosedRow),
    audit: held
      .flatMap((h) => h.audit)
      .filter(live)
      .sort(byKeys('commentId', 'eventId')),
  };
};

/** A `decided` decision whose claim (or, without one, whose decision time) is recent. */
const isBeingClassified = (decision: StoredItem, now: Date, ttlMs: number): boolean => {
  if (decision.stage !== 'decided') return false;
  const since = now.getTime() - ttlMs;
  if (typeof decision.claimedAt === 'number') return decision.claimedAt > since;
  return Date.parse(str(decision.decidedAt)) > since;
};

/**
 * Erases one comment's items: audit events and ledger rows, then the decision, then the rows that
 * link a value request to it. A comment the classify stage is working on right now is left whole
 * (its ledger rows may still be on their way) and reported busy, to be looked at again.
 */
const eraseComment = async (
  ports: DataRequestPorts,
  comment: HeldComment,
  counts: ErasureCounts,
  now: Date,
): Promise<'erased' | 'busy'> => {
  const ttlMs = ports.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  if (comment.decision && isBeingClassified(comment.decision, now, ttlMs)) return 'busy';
  const { store } = ports;
  const id = comment.commentId;
  await Promise.all(comment.audit.map((e) => store.deleteAuditEvent(id, str(e.eventId))));
  counts.audit += comment.audit.length;
  const rows = comment.ledger.map((r) => num(r.index)).filter(Number.isInteger);
  const later = rows.filter((i) => comment.entryRows.has(i));
  const first = rows.filter((i) => !comment.entryRows.has(i));
  await Promise.all(first.map((i) => store.deleteLedgerRow(id, i)));
  counts.ledger += first.length;
  if (comment.decision) {
    const since = now.getTime() - ttlMs;
    const outcome = await store.deleteDecision(id, {
      epochMs: since,
      iso: new Date(since).toISOString(),
    });
    if (outcome === 'busy') return 'busy';
    counts.decisions += 1;
  }
  await Promise.all(later.map((i) => store.deleteLedgerRow(id, i)));
  counts.ledger += later.length;
  return 'erased';
};

/** One pass over the tables; returns how many comments were busy, adds their ids to `seen`. */
const erasePass = async (
  ports: DataRequestPorts,
  subject: Subject,
  counts: ErasureCounts,
  seen: Set<string>,
): Promise<number> => {
  let busy = 0;
  for (const comment of await collect(ports, subject)) {
    seen.add(comment.commentId);
    if ((await eraseComment(ports, comment, counts, ports.now())) === 'busy') busy += 1;
  }
  return busy;
};

/** Passes over the tables until none of the subject's comments is being classified. */
const settleTables = async (
  ports: DataRequestPorts,
  subject: Subject,
  counts: ErasureCounts,
  seen: Set<string>,
): Promise<boolean> => {
  let busy = await erasePass(ports, subject, counts, seen);
  for (let retry = 0; busy > 0 && retry < BUSY_RETRIES; retry++) {
    await ports.wait(BUSY_WAIT_MS * 2 ** retry);
    busy = await erasePass(ports, subject, counts, seen);
  }
  return busy === 0;
};

const tableItems = (c: ErasureCounts): number => c.decisions + c.ledger + c.audit;

/**
 * Rounds of: the tables, until nothing of the subject's is being classified; then the queues (a
 * message matches by the comments the tables linked as well as by its own fields). The queues are
 * swept only once the tables are settled, because the classify stage enqueues a comment's action
 * message before it marks the decision complete. A round that finds new table items (a comment
 * classified while the queues were read) is followed by another sweep, up to `MAX_ROUNDS`.
 */
const erase = async (
  ports: DataRequestPorts,
  subject: Subject,
): Promise<{ counts: ErasureCounts; incomplete?: 'busy' | 'queues' }> => {
  const counts: ErasureCounts = { decisions: 0, ledger: 0, audit: 0, queued: 0 };
  const seen = new Set<string>();
  let complete = true;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = tableItems(counts);
    if (!(await settleTables(ports, subject, counts, seen))) return { counts, incomplete: 'busy' };
    if (round > 0 && tableItems(counts) === before) break;
    const swept = await ports.queues.sweep(messageMatcher(subject, seen, ports));
    counts.queued += swept.removed;
    complete &&= swept.complete;
  }
  return complete ? { counts } : { counts, incomplete: 'queues' };
};

const requestEvent = (
  ports: DataRequestPorts,
  operation: Operation,
  kind: SubjectKind,
  counts: Readonly<Record<string, number>>,
  context: DataRequestContext,
  at: Date,
): AuditEvent => ({
  commentId: DATA_REQUEST_PARTITION,
  eventId: `${operation}#${at.toISOString()}#${context.requestId}`,
  type: operation === 'erase' ? 'data_request.erase' : 'data_request.disclose',
  actor: { kind: 'staff', id: context.officer },
  at: at.toISOString(),
  why: WHY,
  policyVersion: ports.policyVersion,
  what: { subject: kind, counts: { ...counts } },
  expiresAt: auditExpiry(at, ports.auditRetentionDays),
});

const contextSchema = z.object({
  officer: z.string().min(1).max(256),
  requestId: z.string().regex(REQUEST_ID),
});

/**
 * Serves one request. Every request served is recorded in the audit trail, one that found nothing
 * included; then a subject with nothing held is a `NothingHeldError`, an erasure that could not
 * finish an `ErasureIncompleteError` (what it erased stays erased; repeating it finishes it).
 */
const serveDataRequest = async (
  ports: DataRequestPorts,
  body: unknown,
  context: DataRequestContext,
): Promise<DataRequestResult> => {
  const request = parseRequest(body);
  if (!contextSchema.safeParse(context).success) {
    throw new InvalidDataRequestError('request: no valid requester or request id');
  }
  const subject = resolveSubject(request, ports.pseudonymKey);
  const at = ports.now();
  if (request.operation === 'disclose') {
    const disclosure = await disclose(ports, subject, at);
    const counts = {
      decisions: disclosure.decisions.length,
      ledger: disclosure.ledger.length,
      audit: disclosure.audit.length,
    };
    await ports.audit.append(requestEvent(ports, 'disclose', subject.kind, counts, context, at));
    if (counts.decisions + counts.ledger + counts.audit === 0) throw new NothingHeldError();
    return { operation: 'disclose', disclosure };
  }
  const { counts, incomplete } = await erase(ports, subject);
  await ports.audit.append(
    requestEvent(ports, 'erase', subject.kind, { ...counts }, context, ports.now()),
  );
  if (incomplete) throw new ErasureIncompleteError(incomplete);
  if (counts.decisions + counts.ledger + counts.audit + counts.queued === 0) {
    throw new NothingHeldError();
  }
  return { operation: 'erase', erased: counts };
};

export type { DataRequestContext, DataRequestResult, Disclosure, ErasureCounts, LedgerDisclosure };
export { serveDataRequest };
