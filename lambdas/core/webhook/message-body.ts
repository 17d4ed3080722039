import type { CommentMessage } from '../contracts/comment-message';

/** SQS's limit for one message body (and for one SendMessageBatch request). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * SQS refuses bodies containing characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF. JSON.stringify already escapes control characters and lone surrogates; U+FFFE
 * and U+FFFF are the only ones it leaves raw, and a comment may contain them. Escaping them keeps the
 * body valid JSON that parses back to the same text, so no comment is ever refused for its content.
 */
const encodeCommentMessage = (message: CommentMessage): string =>
  JSON.stringify(message).replace(
    /[\uFFFE\uFFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export { encodeCommentMessage, MAX_MESSAGE_BYTES, utf8Bytes };
