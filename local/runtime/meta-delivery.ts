import { createHmac } from 'node:crypto';

/**
 * Deliveries the way Meta sends them, for the local CLIs and the benchmark: the documented
 * `entry[].changes[]` shape, JSON with every non-ASCII character escaped as `\uXXXX` (the bytes Meta
 * signs), and the `X-Hub-Signature-256` header. Tests have their own independent builders in
 * `test/support/`; this one is deliberately small.
 */

const DEFAULT_ACCOUNT_ID = '17841400000000001';
const DEFAULT_MEDIA_ID = '18000000000000001';

interface LocalComment {
  readonly commentId: string;
  readonly text?: string;
  readonly from?: { readonly id: string; readonly username?: string };
  readonly mediaId?: string;
  readonly parentId?: string;
  /** `comments` unless told otherwise. */
  readonly field?: 'comments' | 'live_comments' | 'mentions';
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the app secret. */
const signBody = (body: string | Uint8Array, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Meta's serialisation: non-ASCII as `\uXXXX`, `/` as `\/`. Pure ASCII out. */
const metaJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

const changeOf = (comment: LocalComment) => {
  const field = comment.field ?? 'comments';
  if (field === 'mentions') {
    return {
      field,
      value: { media_id: comment.mediaId ?? DEFAULT_MEDIA_ID, comment_id: comment.commentId },
    };
  }
  return {
    field,
    value: {
      ...(comment.from ? { from: { ...comment.from } } : {}),
      media: {
        id: comment.mediaId ?? DEFAULT_MEDIA_ID,
        media_product_type: field === 'live_comments' ? 'LIVE' : 'FEED',
      },
      id: comment.commentId,
      ...(comment.parentId ? { parent_id: comment.parentId } : {}),
      ...(comment.text !== undefined ? { text: comment.text } : {}),
    },
  };
};

/** One delivery (one entry, one change per comment) as the body bytes Meta would send. */
const deliveryBody = (
  comments: readonly LocalComment[],
  options: { readonly accountId?: string; readonly time?: Date } = {},
): string =>
  metaJson({
    object: 'instagram',
    entry: [
      {
        id: options.accountId ?? DEFAULT_ACCOUNT_ID,
        time: Math.floor((options.time ?? new Date()).getTime() / 1000),
        changes: comments.map(changeOf),
      },
    ],
  });

/** Headers for a POST of `body` signed with `secret`. */
const deliveryHeaders = (body: string, secret: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-hub-signature-256': signBody(body, secret),
});

let counter = 0;
/**
 * A fresh 17-digit Graph-style id: time-based so runs against a persistent store do not collide
 * with decisions from earlier runs, plus a per-process counter.
 */
const localCommentId = (): string => {
  counter = (counter + 1) % 10_000;
  const millis = Date.now() % 1e13; // 13 digits
  return `9${String(millis).padStart(13, '0')}${String(counter).padStart(4, '0')}`;
};

export type { LocalComment };
export {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_MEDIA_ID,
  deliveryBody,
  deliveryHeaders,
  localCommentId,
  metaJson,
  signBody,
};
