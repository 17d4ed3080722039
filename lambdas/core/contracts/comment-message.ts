import { z } from 'zod';

/** Webhook fields this product consumes. Anything else in a delivery is ignored and counted. */
const COMMENT_FIELDS = ['comments', 'live_comments', 'mentions'] as const;
type CommentField = (typeof COMMENT_FIELDS)[number];

/** Graph ids are decimal strings; bounding them keeps hostile input out of keys and logs. */
const graphId = z.string().regex(/^\d{1,32}$/);

/**
 * The message the webhook puts on the comments queue, one per change (DESIGN.md). Validated on both
 * sides. `text` is absent for mentions and for changes whose text Meta omitted.
 */
const commentMessageSchema = z.object({
  accountId: graphId,
  field: z.enum(COMMENT_FIELDS),
  commentId: graphId,
  mediaId: graphId.optional(),
  mediaProductType: z.string().max(64).optional(),
  parentId: graphId.optional(),
  text: z.string().max(20_000).optional(),
  from: z
    .object({
      id: z.string().min(1).max(64),
      username: z.string().max(128).optional(),
    })
    .optional(),
  /** ISO-8601 instant the webhook received the delivery. */
  receivedAt: z.iso.datetime(),
  /** ISO-8601 instant Meta sent the notification (`entry[].time`). */
  deliveryTime: z.iso.datetime(),
});

type CommentMessage = z.infer<typeof commentMessageSchema>;

export type { CommentField, CommentMessage };
export { COMMENT_FIELDS, commentMessageSchema, graphId };
