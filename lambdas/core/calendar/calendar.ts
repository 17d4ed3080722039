import { type HolidayTable, NATIONAL_HOLIDAYS } from './holidays';
import { jstDateOfDay, jstDayNumber, jstMidnight, MINUTE_MS } from './jst';
import { type OfficeHours, WEEKDAYS } from './schema';

/**
 * The business calendar of article 5(1): office hours on working weekdays, closed on national
 * holidays and over the year-end break. Instants are epoch milliseconds; the office is open on
 * [opens, closes) of each business day, JST.
 */

class CalendarRangeError extends Error {
  override name = 'CalendarRangeError';
}

type ClosedReason = 'weekend' | 'holiday' | 'year_end';
type DayStatus = { readonly open: true } | { readonly open: false; readonly reason: ClosedReason };

interface BusinessCalendar {
  isOpen(instant: number): boolean;
  /** The first instant at or after `instant` when the office is open (`instant` itself when open). */
  nextOpening(instant: number): number;
  /** Office-open milliseconds in [a, b); 0 when b <= a. */
  businessMillisBetween(a: number, b: number): number;
  /** Whether the JST day containing `instant` is a business day, and why not. */
  dayStatus(instant: number): DayStatus;
}

// Longest run of closed days is a year-end break next to a weekend and holidays (about ten days);
// the bound only stops a misconfigured file (no weekdays) from looping forever.
const MAX_SEARCH_DAYS = 400;

const inYearEndBreak = (hours: OfficeHours, month: number, day: number): boolean => {
  const range = hours.yearEndBreak;
  if (!range) return false;
  const value = month * 100 + day;
  const from = range.from.month * 100 + range.from.day;
  const to = range.to.month * 100 + range.to.day;
  return from <= to ? value >= from && value <= to : value >= from || value <= to;
};

const createBusinessCalendar = (
  hours: OfficeHours,
  holidays: HolidayTable = NATIONAL_HOLIDAYS,
): BusinessCalendar => {
  const workingWeekdays = new Set(hours.weekdays.map((weekday) => WEEKDAYS.indexOf(weekday)));
  const opensMs = hours.opens * MINUTE_MS;
  const closesMs = hours.closes * MINUTE_MS;

  const statusOfDay = (dayNumber: number): DayStatus => {
    const date = jstDateOfDay(dayNumber);
    if (!workingWeekdays.has(date.weekday)) return { open: false, reason: 'weekend' };
    if (inYearEndBreak(hours, date.month, date.day)) return { open: false, reason: 'year_end' };
    if (hours.closedOnNationalHolidays) {
      if (date.year < holidays.firstYear || date.year > holidays.lastYear) {
        throw new CalendarRangeError(
          `no holiday data for ${date.year} (table covers ${holidays.firstYear}-${holidays.lastYear})`,
        );
      }
      if (holidays.has(date.key)) return { open: false, reason: 'holiday' };
    }
    return { open: true };
  };

  const isOpen = (instant: number): boolean => {
    const day = jstDayNumber(instant);
    const sinceMidnight = instant - jstMidnight(day);
    return sinceMidnight >= opensMs && sinceMidnight < closesMs && statusOfDay(day).open;
  };

  const nextOpening = (instant: number): number => {
    const first = jstDayNumber(instant);
    for (let day = first; day <= first + MAX_SEARCH_DAYS; day++) {
      if (!statusOfDay(day).open) continue;
      const midnight = jstMidnight(day);
      if (instant < midnight + closesMs) return Math.max(instant, midnight + opensMs);
    }
    throw new CalendarRangeError(`no business day within ${MAX_SEARCH_DAYS} days`);
  };

  const businessMillisBetween = (a: number, b: number): number => {
    if (!(b > a)) return 0;
    let total = 0;
    for (let day = jstDayNumber(a); day <= jstDayNumber(b); day++) {
      const midnight = jstMidnight(day);
      const start = Math.max(a, midnight + opensMs);
      const end = Math.min(b, midnight + closesMs);
      if (end > start && statusOfDay(day).open) total += end - start;
    }
    return total;
  };

  return {
    isOpen,
    nextOpening,
    businessMillisBetween,
    dayStatus: (instant) => statusOfDay(jstDayNumber(instant)),
  };
};

export type { BusinessCalendar, ClosedReason, DayStatus };
export { CalendarRangeError, createBusinessCalendar };
