import { z } from 'zod';
import { authorRefFor } from '../classify-stage/plan';
import { graphId } from '../contracts/comment-message';
import { normalizePiiValue, valueRef } from '../pii/pseudonym';
import { PII_TYPES, type PiiType } from '../pii/types';
import { isUsername, normalizeUsername, usernameRefFor } from '../username';
import { InvalidDataRequestError } from './errors';
import { SUBJECT_KINDS, type SubjectKind } from './kinds';

/**
 * How a resident names themself in a data-subject request, and the keyed references that find
 * what is held: the raw value is used here, at the door, and never stored or logged.
 */

const OPERATIONS = ['disclose', 'erase'] as const;
type Operation = (typeof OPERATIONS)[number];

const MAX_VALUE_LENGTH = 256;

/** The request body: exactly one way of naming the subject. */
const dataRequestSchema = z
  .object({
    operation: z.enum(OPERATIONS),
    subject: z
      .object({
        authorId: z.string().max(MAX_VALUE_LENGTH),
        username: z.string().max(MAX_VALUE_LENGTH),
        value: z.string().max(MAX_VALUE_LENGTH),
        commentId: z.string().max(MAX_VALUE_LENGTH),
      })
      .partial()
      .strict(),
  })
  .strict();
type DataRequestBody = z.infer<typeof dataRequestSchema>;

interface ValueRef {
  readonly type: PiiType;
  readonly ref: string;
}

/** A subject resolved to what the tables hold: keyed references, or a comment id. */
type Subject =
  | { readonly kind: 'author'; readonly authorRef: string }
  | { readonly kind: 'username'; readonly usernameRef: string }
  | { readonly kind: 'value'; readonly valueRefs: readonly ValueRef[] }
  | { readonly kind: 'comment'; readonly commentId: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
const HAS_DIGIT = /\d/;
const JAPANESE_OR_LATIN_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}A-Za-z]/u;
const NAME_CHARACTERS = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}A-Za-zー・. ]+$/u;

/**
 * What a canonical value of each type looks like (`normalizePiiValue`'s output). A request value
 * is looked up under every type it could be, since the contract takes no type: a reference only
 * ever matches a ledger row of its own type, so a wrong guess finds nothing rather than too much.
 */
const CANONICAL_SHAPE: Record<PiiType, (canonical: string) => boolean> = {
  phone: (v) => /^0\d{9,10}$/.test(v),
  email: (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
  postal_code: (v) => /^\d{7}$/.test(v),
  my_number: (v) => /^\d{12}$/.test(v),
  credit_card: (v) => /^\d{13,19}$/.test(v),
  drivers_license: (v) => /^\d{12}$/.test(v),
  passport: (v) => /^[A-Z]{2}\d{7}$/.test(v),
  birth_date: (v) => HAS_DIGIT.test(v) && /^\d{4}-\d{2}-\d{2}$|[年月日]/.test(v),
  license_plate: (v) => HAS_DIGIT.test(v) && JAPANESE_OR_LATIN_LETTER.test(v),
  bank_account: (v) => /\d{5,}/.test(v),
  address: (v) => /\p{Script=Han}/u.test(v) && v.length >= 3,
  person_name: (v) => v.length <= 40 && NAME_CHARACTERS.test(v),
};

const valueRefsOf = (key: string, raw: string): ValueRef[] => {
  const value = raw.normalize('NFKC').trim();
  if (value.length === 0) throw new InvalidDataRequestError('value: empty');
  if (CONTROL.test(value)) throw new InvalidDataRequestError('value: holds control characters');
  const refs = PII_TYPES.filter((type) => CANONICAL_SHAPE[type](normalizePiiValue(type, value)));
  if (refs.length === 0) {
    throw new InvalidDataRequestError(
      'value: not a kind of personal data this system records (a phone number, e-mail address, postal code, address, name, ...)',
    );
  }
  return refs.map((type) => ({ type, ref: valueRef(key, type, value) }));
};

/** The one way the body names the subject, with its raw value (used at the door only). */
const namedSubject = (
  body: DataRequestBody,
): { readonly kind: SubjectKind; readonly raw: string } => {
  const named = [
    ['author', body.subject.authorId],
    ['username', body.subject.username],
    ['value', body.subject.value],
    ['comment', body.subject.commentId],
  ].filter((entry): entry is [SubjectKind, string] => entry[1] !== undefined);
  const [only] = named;
  if (named.length !== 1 || only === undefined) {
    throw new InvalidDataRequestError(
      'subject: name exactly one of authorId, username, value, commentId',
    );
  }
  return { kind: only[0], raw: only[1] };
};

/** Validates the named subject and turns it into keyed references; typed error when malformed. */
const resolveSubject = (body: DataRequestBody, key: string): Subject => {
  const { kind, raw } = namedSubject(body);
  switch (kind) {
    case 'author': {
      const id = raw.trim();
      if (!graphId.safeParse(id).success) {
        throw new InvalidDataRequestError('authorId: an Instagram user id is 1 to 32 digits');
      }
      return { kind, authorRef: authorRefFor(key, id) };
    }
    case 'username': {
      const name = normalizeUsername(raw);
      const ref = usernameRefFor(key, raw);
      if (!isUsername(name) || ref === undefined) {
        throw new InvalidDataRequestError(
          'username: 1 to 30 letters, digits, periods or underscores (a leading @ is fine)',
        );
      }
      return { kind, usernameRef: ref };
    }
    case 'comment': {
      const id = raw.trim();
      if (!graphId.safeParse(id).success) {
        throw new InvalidDataRequestError('commentId: an Instagram comment id is 1 to 32 digits');
      }
      return { kind, commentId: id };
    }
    case 'value':
      return { kind, valueRefs: valueRefsOf(key, raw) };
  }
};

export type { DataRequestBody, Operation, Subject, SubjectKind, ValueRef };
export { dataRequestSchema, OPERATIONS, resolveSubject, SUBJECT_KINDS };
