/**
 * Japan Standard Time arithmetic without the process time zone. JST is UTC+9 all year (no daylight
 * saving time since 1951), so a JST calendar date is the UTC date of the instant shifted by nine
 * hours. Only `getUTC*` accessors are used: `Date#getDate()` and friends follow `TZ`, which is UTC on
 * Lambda but anything on a laptop.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const JST_OFFSET_MS = 9 * HOUR_MS;

/** Days since 1970-01-01 in JST: the JST calendar day that contains `instant` (epoch ms). */
const jstDayNumber = (instant: number): number => Math.floor((instant + JST_OFFSET_MS) / DAY_MS);

/** The epoch ms of JST midnight starting `dayNumber`. */
const jstMidnight = (dayNumber: number): number => dayNumber * DAY_MS - JST_OFFSET_MS;

interface JstDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** 0 = Sunday .. 6 = Saturday */
  readonly weekday: number;
  /** `YYYY-MM-DD`, the key the holiday table uses. */
  readonly key: string;
}

const jstDateOfDay = (dayNumber: number): JstDate => {
  const utc = new Date(dayNumber * DAY_MS);
  const year = utc.getUTCFullYear();
  const month = utc.getUTCMonth() + 1;
  const day = utc.getUTCDate();
  const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { year, month, day, weekday: utc.getUTCDay(), key };
};

const jstDate = (instant: number): JstDate => jstDateOfDay(jstDayNumber(instant));

/** Milliseconds since JST midnight. */
const jstTimeOfDay = (instant: number): number => instant - jstMidnight(jstDayNumber(instant));

/** The epoch ms of a JST wall-clock time (month 1..12). */
const fromJst = (year: number, month: number, day: number, hours = 0, minutes = 0): number =>
  Date.UTC(year, month - 1, day, hours, minutes) - JST_OFFSET_MS;

export type { JstDate };
export {
  DAY_MS,
  fromJst,
  HOUR_MS,
  JST_OFFSET_MS,
  jstDate,
  jstDateOfDay,
  jstDayNumber,
  jstMidnight,
  jstTimeOfDay,
  MINUTE_MS,
};
