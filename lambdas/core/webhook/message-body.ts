import type { CommentMessage } from '../contracts/comment-message';

/** SQS's limit for one message body (and for one SendMessageBatch request). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The queued body is pure printable ASCII: every character from U+007F on is written as a `\uXXXX`
 * escape, the way Meta itself sends JSON. SQS refuses some characters (U+FFFE, U+FFFF, and some
 * implementations wrongly refuse everything outside the BMP, emoji included), and a refused body
 * would block its whole delivery forever; escaped, every comment text fits and parses back to the
 * identical string. JSON.stringify already escapes control characters and lone surrogates.
 * Worst case (a 20,000-unit text) is about 120 KB, well under the 256 KiB limit.
 */
const encodeCommentMessage = (message: CommentMessage): string =>
  JSON.stringify(message).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export { encodeCommentMessage, MAX_MESSAGE_BYTES, utf8Bytes };
