import { z } from 'zod';
import { COMMENT_FIELDS } from '../contracts/comment-message';
import { ACTION_STATUSES, ACTIONS, CATEGORY_IDS } from '../contracts/decision';
import { PII_TYPES } from '../pii/types';

/**
 * The slice of a stored decision that review, inquiries and the digest read. Parsing strips every
 * other attribute (author pseudonym, personal-data positions), so what staff get is a whitelist:
 * redacted text, categories, actions, times. Written by the classify stage; review adds
 * `reviewVersion` and `reviewOutcome` and removes `reviewState`.
 */

const REVIEW_DECISIONS = ['approve', 'confirm', 'reclassify'] as const;
type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** What a review asks of Instagram. `unhide` restores a comment the machine hid. */
const INSTAGRAM_REQUESTS = ['none', 'unhide', 'hide', 'delete'] as const;
type InstagramRequestKind = (typeof INSTAGRAM_REQUESTS)[number];

const FINAL_ACTIONS = ['allow', 'hide', 'delete'] as const;
type FinalAction = (typeof FINAL_ACTIONS)[number];

const categoryIds = z.array(z.enum(CATEGORY_IDS)).max(CATEGORY_IDS.length);

const reviewOutcomeSchema = z.object({
  decision: z.enum(REVIEW_DECISIONS),
  finalAction: z.enum(FINAL_ACTIONS),
  /** The article 6 categories a person asserts; the machine's when the review kept them. */
  categories: categoryIds,
  /** The verified identity (`cognito:<sub>` in AWS, `local:<name>` locally). */
  reviewer: z.string().min(1).max(256),
  /** The identity's display name as the token stated it (absent on reviews recorded before it). */
  reviewerName: z.string().min(1).max(128).optional(),
  reviewedAt: z.iso.datetime(),
  reason: z.string().min(1).max(500),
  /** The version the reviewer saw; the outcome is version `fromVersion + 1`. */
  fromVersion: z.number().int().nonnegative(),
  instagram: z.enum(INSTAGRAM_REQUESTS),
  /** Audit event that recorded this outcome. */
  eventId: z.string().min(1).max(128),
});
type ReviewOutcome = z.infer<typeof reviewOutcomeSchema>;

/** Positions only, in the original text: never a value. */
const piiPositionSchema = z.object({
  type: z.enum(PII_TYPES),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});

/**
 * The department's handling of an inquiry (article 5(2): answered through the city's own channels,
 * never on Instagram). `version` is the optimistic lock of the mark, as `reviewVersion` is of reviews.
 */
const inquiryHandlingSchema = z.object({
  handled: z.boolean(),
  /** For the department: what was done, by whom in the department. No personal data. */
  note: z.string().max(500),
  by: z.string().min(1).max(256),
  byName: z.string().min(1).max(128).optional(),
  at: z.iso.datetime(),
  version: z.number().int().positive(),
});
type InquiryHandling = z.infer<typeof inquiryHandlingSchema>;

const reviewItemSchema = z.object({
  commentId: z.string().min(1).max(64),
  accountId: z.string().min(1).max(64),
  field: z.enum(COMMENT_FIELDS),
  mediaId: z.string().max(64).optional(),
  mediaProductType: z.string().max(64).optional(),
  receivedAt: z.iso.datetime().optional(),
  decidedAt: z.iso.datetime(),
  policyVersion: z.string().min(1).max(64),
  classifierVersion: z.string().max(64).optional(),
  action: z.enum(ACTIONS),
  actionStatus: z.enum(ACTION_STATUSES).default('none'),
  categories: z
    .array(
      z.object({
        id: z.enum(CATEGORY_IDS),
        score: z.number(),
        evidence: z
          .array(
            z.object({
              rule: z.string().max(128),
              start: z.number().int().nonnegative().optional(),
              end: z.number().int().nonnegative().optional(),
              model: z.string().max(128).optional(),
              score: z.number().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  redactedText: z.string().max(20_000).optional(),
  inquiry: z.boolean().default(false),
  inquiryHandling: inquiryHandlingSchema.optional(),
  /** Counts per personal-data type: what was found, never what it was. */
  piiTypes: z.partialRecord(z.enum(PII_TYPES), z.number().int().nonnegative()).default({}),
  piiSpans: z.array(piiPositionSchema).max(10_000).default([]),
  /** Set while the notification carried no text (nothing classified yet). */
  pendingFetch: z.literal(true).optional(),
  expiresAt: z.number().int(),
  reviewState: z.literal('pending').optional(),
  /** Set by the classify stage when the off-hours rule hid a `review` decision for the time being. */
  interimAction: z.literal('hide').optional(),
  reviewVersion: z.number().int().nonnegative().optional(),
  reviewOutcome: reviewOutcomeSchema.optional(),
});
type ReviewItem = z.infer<typeof reviewItemSchema>;

type Visibility = 'visible' | 'hidden' | 'deleted';

const VISIBILITY_OF: Record<FinalAction, Visibility> = {
  allow: 'visible',
  hide: 'hidden',
  delete: 'deleted',
};

// A failed or impossible (live video) call left the comment as it was.
const tookEffect = (item: ReviewItem): boolean =>
  item.actionStatus !== 'failed' && item.actionStatus !== 'skipped_live';

/** Where the comment stands on Instagram as far as the record knows (dry runs count as done). */
const visibilityOf = (item: ReviewItem): Visibility => {
  if (item.reviewOutcome && tookEffect(item)) return VISIBILITY_OF[item.reviewOutcome.finalAction];
  if (!tookEffect(item)) return 'visible';
  if (item.action === 'delete') return 'deleted';
  if (item.action === 'hide' || item.interimAction === 'hide') return 'hidden';
  return 'visible';
};

type QueueName = 'pending' | 'hidden';

/** Which review queue an item is in, if any: waiting for a person, or hidden by the machine. */
const queueOf = (item: ReviewItem): QueueName | undefined => {
  if (item.reviewOutcome) return undefined;
  if (item.reviewState === 'pending') return 'pending';
  if (item.action === 'hide') return 'hidden';
  return undefined;
};

const versionOf = (item: ReviewItem): number => item.reviewVersion ?? 0;

export type {
  FinalAction,
  InquiryHandling,
  InstagramRequestKind,
  QueueName,
  ReviewDecision,
  ReviewItem,
  ReviewOutcome,
  Visibility,
};
export {
  FINAL_ACTIONS,
  INSTAGRAM_REQUESTS,
  inquiryHandlingSchema,
  queueOf,
  REVIEW_DECISIONS,
  reviewItemSchema,
  reviewOutcomeSchema,
  VISIBILITY_OF,
  versionOf,
  visibilityOf,
};
