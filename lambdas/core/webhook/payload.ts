import { z } from 'zod';
import {
  COMMENT_FIELDS,
  type CommentField,
  type CommentMessage,
  commentMessageSchema,
} from '../contracts/comment-message';
import { MalformedPayloadError } from './errors';
import { encodeCommentMessage, MAX_MESSAGE_BYTES, utf8Bytes } from './message-body';

/**
 * Turns one webhook delivery into comment messages, one per change. Every variant Meta sends is
 * understood (DESIGN.md, platform facts):
 * - `{ object, entry: [{ id, time, changes: [{ field, value }] }] }`
 * - `{ object, entry: [{ id, time, field, value }] }` (the change sits on the entry itself)
 * - either of the above wrapped in a top-level array
 * - the comment id as `value.id` or `value.comment_id`
 * A change that cannot be read is counted and located by index, never by content, and skipped; its
 * batch-mates are unaffected. A change for a field we do not consume is ignored and counted.
 */

/** Meta sends `null` for absent optional values in some payloads; treat it as absent. */
const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

const deliverySchema = z.object({ entry: z.array(z.unknown()) });

// Zod 4 treats an `unknown` key as required unless marked optional.
const entrySchema = z.object({
  id: z.unknown().optional(),
  time: z.unknown().optional(),
  changes: z.array(z.unknown()).optional(),
  field: z.unknown().optional(),
  value: z.unknown().optional(),
});

const changeSchema = z.object({ field: z.string(), value: z.unknown().optional() });

const commentValueSchema = z.object({
  id: optionalString,
  comment_id: optionalString,
  parent_id: optionalString,
  media_id: optionalString,
  text: optionalString,
  from: z
    .object({ id: z.string(), username: optionalString })
    .nullish()
    .transform((v) => v ?? undefined),
  media: z
    .object({ id: optionalString, media_product_type: optionalString })
    .nullish()
    .transform((v) => v ?? undefined),
});

/** Where a skipped change sat in the delivery; `delivery` is the index in an array-wrapped body. */
interface ChangeLocation {
  readonly delivery: number;
  readonly entry: number;
  /** Absent when the change is the entry itself (entry-level variant) or the entry is unreadable. */
  readonly change?: number;
}

interface MalformedChange {
  readonly at: ChangeLocation;
  /** Schema paths and issue codes only, e.g. `commentId:invalid_format`: never values. */
  readonly issues: readonly string[];
}

interface DeliveryCounts {
  readonly entries: number;
  readonly changes: number;
  readonly messages: number;
  readonly malformed: number;
  readonly unknownField: number;
  /** Mentions of the account in a caption (media id, no comment): not comments, ignored. */
  readonly captionMentions: number;
  /** Entries with neither `changes` nor `field` (e.g. messaging events on the same endpoint). */
  readonly ignoredEntries: number;
  /** Entries whose `time` was missing or unusable: their `deliveryTime` fell back to `receivedAt`. */
  readonly deliveryTimeFallback: number;
}

interface ParsedDelivery {
  readonly messages: CommentMessage[];
  readonly counts: DeliveryCounts;
  readonly malformed: MalformedChange[];
  /** Distinct unknown field names that look like Meta field names (others are not echoed). */
  readonly unknownFields: string[];
}

interface ParseOptions {
  readonly receivedAt: Date;
}

const isCommentField = (field: string): field is CommentField =>
  (COMMENT_FIELDS as readonly string[]).includes(field);

const FIELD_NAME = /^[a-z_]{1,64}$/;

/**
 * Meta documents `entry.time` in seconds. A millisecond value would otherwise land in the year 50000
 * and fail validation, losing the comment; anything from 10^11 on (year 5138 in seconds) is read as
 * milliseconds.
 */
const MILLISECONDS_THRESHOLD = 1e11;

const deliveryInstant = (time: unknown): Date | undefined => {
  if (typeof time !== 'number' || !Number.isFinite(time) || time <= 0) return undefined;
  const ms = time >= MILLISECONDS_THRESHOLD ? time : time * 1000;
  const date = new Date(Math.trunc(ms));
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year > 9999 ? undefined : date;
};

const describeIssues = (error: z.ZodError, prefix = ''): string[] =>
  error.issues.map(
    (issue) => `${prefix}${issue.path.map(String).join('.') || '(root)'}:${issue.code}`,
  );

/** Drops keys left undefined so a queued message carries only what Meta sent. */
const withoutUndefined = (m: CommentMessage): CommentMessage => ({
  accountId: m.accountId,
  field: m.field,
  commentId: m.commentId,
  ...(m.mediaId === undefined ? {} : { mediaId: m.mediaId }),
  ...(m.mediaProductType === undefined ? {} : { mediaProductType: m.mediaProductType }),
  ...(m.parentId === undefined ? {} : { parentId: m.parentId }),
  ...(m.text === undefined ? {} : { text: m.text }),
  ...(m.from === undefined
    ? {}
    : {
        from:
          m.from.username === undefined
            ? { id: m.from.id }
            : { id: m.from.id, username: m.from.username },
      }),
  receivedAt: m.receivedAt,
  deliveryTime: m.deliveryTime,
});

type ChangeOutcome =
  | { readonly kind: 'message'; readonly message: CommentMessage }
  | { readonly kind: 'unknown'; readonly field: string }
  | { readonly kind: 'captionMention' }
  | { readonly kind: 'malformed'; readonly issues: string[] };

const readChange = (
  raw: unknown,
  accountId: unknown,
  deliveryTime: string,
  receivedAt: string,
): ChangeOutcome => {
  const change = changeSchema.safeParse(raw);
  if (!change.success) return { kind: 'malformed', issues: describeIssues(change.error) };
  const { field } = change.data;
  if (!isCommentField(field)) return { kind: 'unknown', field };

  const value = commentValueSchema.safeParse(change.data.value);
  if (!value.success) return { kind: 'malformed', issues: describeIssues(value.error, 'value.') };
  const v = value.data;
  // A mention in a caption names the media only: there is no comment to moderate.
  if (field === 'mentions' && v.id === undefined && v.comment_id === undefined && v.media_id) {
    return { kind: 'captionMention' };
  }
  if (v.id !== undefined && v.comment_id !== undefined && v.id !== v.comment_id) {
    return { kind: 'malformed', issues: ['value.id:conflicts_with_comment_id'] };
  }

  const candidate = {
    accountId,
    field,
    commentId: v.id ?? v.comment_id,
    mediaId: v.media?.id ?? v.media_id,
    mediaProductType: v.media?.media_product_type,
    parentId: v.parent_id,
    text: v.text,
    from: v.from ? { id: v.from.id, username: v.from.username } : undefined,
    receivedAt,
    deliveryTime,
  };
  const message = commentMessageSchema.safeParse(candidate);
  if (!message.success) return { kind: 'malformed', issues: describeIssues(message.error) };
  const clean = withoutUndefined(message.data);
  if (utf8Bytes(encodeCommentMessage(clean)) > MAX_MESSAGE_BYTES) {
    return { kind: 'malformed', issues: ['(root):too_big_for_queue'] };
  }
  return { kind: 'message', message: clean };
};

/** Reads an already-parsed JSON body. Throws `MalformedPayloadError` if it is not a delivery. */
const parseDelivery = (body: unknown, options: ParseOptions): ParsedDelivery => {
  const receivedAt = options.receivedAt.toISOString();
  const roots = Array.isArray(body) ? body : [body];
  const isDelivery = (root: unknown) => deliverySchema.safeParse(root).success;
  if (roots.length > 0 && !roots.some(isDelivery)) {
    throw new MalformedPayloadError('not a webhook delivery');
  }

  const messages: CommentMessage[] = [];
  const malformed: MalformedChange[] = [];
  const unknownFields = new Set<string>();
  let entries = 0;
  let changes = 0;
  let unknownField = 0;
  let captionMentions = 0;
  let ignoredEntries = 0;
  let deliveryTimeFallback = 0;

  const take = (outcome: ChangeOutcome, at: ChangeLocation) => {
    changes++;
    if (outcome.kind === 'message') messages.push(outcome.message);
    else if (outcome.kind === 'malformed') malformed.push({ at, issues: outcome.issues });
    else if (outcome.kind === 'captionMention') captionMentions++;
    else {
      unknownField++;
      if (FIELD_NAME.test(outcome.field)) unknownFields.add(outcome.field);
    }
  };

  roots.forEach((root, deliveryIndex) => {
    const delivery = deliverySchema.safeParse(root);
    if (!delivery.success) {
      malformed.push({
        at: { delivery: deliveryIndex, entry: -1 },
        issues: ['(root):not_a_delivery'],
      });
      return;
    }
    delivery.data.entry.forEach((rawEntry, entryIndex) => {
      entries++;
      const entry = entrySchema.safeParse(rawEntry);
      if (!entry.success) {
        changes++;
        malformed.push({
          at: { delivery: deliveryIndex, entry: entryIndex },
          issues: describeIssues(entry.error, 'entry.'),
        });
        return;
      }
      const instant = deliveryInstant(entry.data.time);
      const deliveryTime = (instant ?? options.receivedAt).toISOString();
      const { id: accountId, changes: entryChanges, field } = entry.data;
      if (instant === undefined && (entryChanges !== undefined || field !== undefined)) {
        deliveryTimeFallback++;
      }
      if (entryChanges !== undefined) {
        entryChanges.forEach((rawChange, changeIndex) => {
          take(readChange(rawChange, accountId, deliveryTime, receivedAt), {
            delivery: deliveryIndex,
            entry: entryIndex,
            change: changeIndex,
          });
        });
      } else if (field !== undefined) {
        const change = { field, value: entry.data.value };
        take(readChange(change, accountId, deliveryTime, receivedAt), {
          delivery: deliveryIndex,
          entry: entryIndex,
        });
      } else {
        ignoredEntries++;
      }
    });
  });

  return {
    messages,
    malformed,
    unknownFields: [...unknownFields].sort(),
    counts: {
      entries,
      changes,
      messages: messages.length,
      malformed: malformed.length,
      unknownField,
      captionMentions,
      ignoredEntries,
      deliveryTimeFallback,
    },
  };
};

/** Compact location for logs: `delivery/entry[/change]`. */
const formatLocation = (at: ChangeLocation): string =>
  [at.delivery, at.entry, ...(at.change === undefined ? [] : [at.change])].join('/');

export type { ChangeLocation, DeliveryCounts, MalformedChange, ParsedDelivery, ParseOptions };
export { formatLocation, parseDelivery };
