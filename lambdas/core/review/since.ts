import { z } from 'zod';
import { fromJst, JST_OFFSET_MS } from '../calendar/jst';

/**
 * The one meaning of a `since` query parameter, on every route that lists decisions (review queue,
 * inquiries, the local read API): items decided at or after that instant. Either a calendar date,
 * read as midnight in Japan (the city's day), or an ISO 8601 date-time with its offset. Anything
 * else is refused with this message, never silently ignored.
 */

const SINCE_HELP =
  'since: a date such as 2025-01-31 (midnight in Japan) or an ISO 8601 date-time with offset such as 2025-01-31T09:00:00+09:00';

class InvalidSinceError extends Error {
  override readonly name = 'InvalidSinceError';
  constructor() {
    super(SINCE_HELP);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime = z.iso.datetime({ offset: true });

/** `undefined` when absent or empty; throws InvalidSinceError on anything unreadable. */
const parseSince = (raw: string | null | undefined): Date | undefined => {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  const date = DATE.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const at = fromJst(year, month, day);
    // Date.UTC rolls 2025-02-31 over into March: refuse a day that does not exist instead.
    const check = new Date(at + JST_OFFSET_MS);
    if (check.getUTCMonth() + 1 !== month || check.getUTCDate() !== day) {
      throw new InvalidSinceError();
    }
    return new Date(at);
  }
  if (!dateTime.safeParse(value).success) throw new InvalidSinceError();
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidSinceError();
  return at;
};

export { InvalidSinceError, parseSince, SINCE_HELP };
