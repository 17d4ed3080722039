import { authorRefFor } from '../classify-stage/plan';
import { valueRef } from '../pii/pseudonym';
import { usernameRefFor } from '../username';
import type { DataRequestPorts } from './ports';
import type { Subject } from './subject';

/**
 * Whether a queued message is about the subject. Comment messages carry the raw author, username
 * and text; action messages carry a comment id only. Fields are read loosely, not through the
 * message schemas: a malformed message in a DLQ is exactly where a leftover copy would sit.
 */

type Loose = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const parse = (body: string): Loose | undefined => {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Loose)
      : undefined;
  } catch {
    return undefined;
  }
};

const holdsValue = async (
  text: string,
  refs: ReadonlySet<string>,
  ports: Pick<DataRequestPorts, 'findPii' | 'pseudonymKey'>,
): Promise<boolean> => {
  for (const p of await ports.findPii(text)) {
    if (refs.has(valueRef(ports.pseudonymKey, p.type, text.slice(p.start, p.end)))) return true;
  }
  return false;
};

/**
 * The predicate a sweep applies to each message body: about one of `commentIds` (the subject's
 * comments found in the tables), or, for a comment message, by the subject or holding its value.
 */
const messageMatcher = (
  subject: Subject,
  commentIds: ReadonlySet<string>,
  ports: Pick<DataRequestPorts, 'findPii' | 'pseudonymKey'>,
): ((body: string) => Promise<boolean>) => {
  const key = ports.pseudonymKey;
  const refs = new Set(subject.kind === 'value' ? subject.valueRefs.map((v) => v.ref) : []);
  return async (body) => {
    const message = parse(body);
    if (!message) return false;
    const commentId = str(message.commentId);
    if (commentId !== undefined && commentIds.has(commentId)) return true;
    const from = typeof message.from === 'object' && message.from !== null ? message.from : {};
    const authorId = str((from as Loose).id);
    const username = str((from as Loose).username);
    const text = str(message.text);
    switch (subject.kind) {
      case 'comment':
        return commentId === subject.commentId;
      case 'author':
        return authorId !== undefined && authorRefFor(key, authorId) === subject.authorRef;
      case 'username':
        return username !== undefined && usernameRefFor(key, username) === subject.usernameRef;
      case 'value':
        return text !== undefined && (await holdsValue(text, refs, ports));
    }
  };
};

export { messageMatcher };
