import { keyedRef } from './pseudonym';

/**
 * Instagram usernames as the pipeline keys them: never stored, only as a keyed reference beside the
 * author's, so a resident who names their @username in a data-subject request can be found.
 *
 * Instagram treats usernames case-insensitively and people write them with a leading `@` or in
 * full-width letters, so all of those give one reference. A username change is not followed: the
 * reference is of the name the comment was posted under.
 */

const USERNAME = /^[a-z0-9._]{1,30}$/;
// Leading `@`s and spaces in any mix (`@ @name`), trailing spaces: stripped together, so that
// normalising twice gives the same name.
const EDGES = /^[\s@]+|\s+$/gu;

const normalizeUsername = (raw: string): string =>
  // NFKC again after lower-casing: a lower-cased letter may have a compatibility form of its own.
  raw.normalize('NFKC').toLowerCase().normalize('NFKC').replace(EDGES, '');

/** True for a name Instagram could have issued (letters, digits, `.` and `_`, at most 30). */
const isUsername = (normalized: string): boolean => USERNAME.test(normalized);

/** Keyed reference of a username, or `undefined` when nothing is left after normalising. */
const usernameRefFor = (key: string, raw: string): string | undefined => {
  const name = normalizeUsername(raw);
  return name.length > 0 ? keyedRef(key, 'username', name) : undefined;
};

export { isUsername, normalizeUsername, usernameRefFor };
