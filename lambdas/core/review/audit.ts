import { z } from 'zod';
import { ACTIONS, CATEGORY_IDS } from '../contracts/decision';
import { SUBJECT_KINDS } from '../data-request/kinds';
import { inquiryHandlingSchema, reviewOutcomeSchema } from './record';

/**
 * The audit trail: append-only events (who, when, what, why, under which policy version), one
 * partition per comment, sorted by event id. A review's event id is derived from the version it
 * creates (`review#000001`), so two submissions racing for the same version collide on the
 * conditional put and exactly one wins; the event carries the whole outcome, so a decision left
 * behind by a crash can be rolled forward from the trail.
 *
 * Events hold ids, actions, categories and the reviewer's reason; never comment text, usernames or
 * personal data of commenters.
 */

const AUDIT_TYPES = [
  'review.approve',
  'review.confirm',
  'review.reclassify',
  'system.interim_hide',
  'inquiry.handled',
  'inquiry.reopened',
  'digest.published',
  'data_request.disclose',
  'data_request.erase',
] as const;
type AuditType = (typeof AUDIT_TYPES)[number];

/** Partition of the digest events in the audit table (comment ids are digits: no collision). */
const DIGEST_PARTITION = 'digest';
/** Partition of the data-subject request events: who asked, when, counts; never the subject. */
const DATA_REQUEST_PARTITION = 'data-requests';

const SECONDS_PER_DAY = 86_400;

const auditEventSchema = z.object({
  commentId: z.string().min(1).max(64),
  eventId: z.string().min(1).max(128),
  type: z.enum(AUDIT_TYPES),
  actor: z.object({
    kind: z.enum(['staff', 'system']),
    id: z.string().min(1).max(256),
    /** Staff: the display name the verified token stated, shown beside the id. */
    name: z.string().min(1).max(128).optional(),
  }),
  at: z.iso.datetime(),
  why: z.string().min(1).max(500),
  policyVersion: z.string().min(1).max(64),
  what: z.object({
    /** The decision as the actor found it. */
    before: z
      .object({
        action: z.enum(ACTIONS),
        visibility: z.enum(['visible', 'hidden', 'deleted']),
        categories: z.array(z.enum(CATEGORY_IDS)),
        version: z.number().int().nonnegative(),
      })
      .optional(),
    /** Review events: the complete outcome (enough to replay it onto the decision). */
    review: reviewOutcomeSchema.optional(),
    /** Inquiry events: the department's mark as it was set. */
    inquiry: inquiryHandlingSchema.optional(),
    /** Rule that acted, for system events. */
    rule: z.string().max(128).optional(),
    /** Counts, for digests and data-subject requests. */
    counts: z.record(z.string(), z.number()).optional(),
    /** Data-subject requests: how the subject was named (the kind only, never the value). */
    subject: z.enum(SUBJECT_KINDS).optional(),
  }),
  expiresAt: z.number().int(),
});
type AuditEvent = z.infer<typeof auditEventSchema>;

const reviewEventId = (version: number): string => `review#${String(version).padStart(6, '0')}`;

/** Like review events, one id per version of the mark: racing submissions collide, one wins. */
const inquiryEventId = (version: number): string => `inquiry#${String(version).padStart(6, '0')}`;

const auditExpiry = (at: Date, retentionDays: number): number =>
  Math.floor(at.getTime() / 1000) + retentionDays * SECONDS_PER_DAY;

interface InterimHideInput {
  readonly commentId: string;
  readonly at: Date;
  readonly policyVersion: string;
  readonly rule: string;
  readonly why: string;
  readonly retentionDays: number;
}

/** For the classify stage: the off-hours rule hid a `review` decision until a person looks. */
const interimHideEvent = (input: InterimHideInput): AuditEvent => ({
  commentId: input.commentId,
  eventId: `system#interim_hide#${input.at.toISOString()}`,
  type: 'system.interim_hide',
  actor: { kind: 'system', id: 'classify' },
  at: input.at.toISOString(),
  why: input.why,
  policyVersion: input.policyVersion,
  what: { rule: input.rule },
  expiresAt: auditExpiry(input.at, input.retentionDays),
});

export type { AuditEvent, AuditType, InterimHideInput };
export {
  AUDIT_TYPES,
  auditEventSchema,
  auditExpiry,
  DATA_REQUEST_PARTITION,
  DIGEST_PARTITION,
  inquiryEventId,
  interimHideEvent,
  reviewEventId,
};
