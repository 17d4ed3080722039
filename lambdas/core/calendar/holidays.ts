import holidayJp from '@holiday-jp/holiday_jp';

/**
 * Japanese national holidays (substitute holidays and citizens' holidays included) from
 * @holiday-jp/holiday_jp, looked up by JST date key. The library's own `isHoliday(Date)` and
 * `between()` format dates with the process time zone (on a UTC machine, 2026-01-01 00:30 JST is
 * "not a holiday"), so only its static table is used here.
 */
interface HolidayTable {
  /** `YYYY-MM-DD` in JST. */
  has(dateKey: string): boolean;
  /** Years the table covers; outside them a holiday cannot be known. */
  readonly firstYear: number;
  readonly lastYear: number;
}

const holidayTableOf = (dateKeys: Iterable<string>): HolidayTable => {
  const keys = new Set(dateKeys);
  const years = [...keys].map((key) => Number(key.slice(0, 4)));
  if (years.length === 0) throw new Error('empty holiday table');
  return {
    has: (dateKey) => keys.has(dateKey),
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
  };
};

const NATIONAL_HOLIDAYS: HolidayTable = holidayTableOf(Object.keys(holidayJp.holidays));

/** Holiday name for a JST date key, for digests and explanations. */
const holidayName = (dateKey: string): string | undefined =>
  (holidayJp.holidays as Record<string, { name: string } | undefined>)[dateKey]?.name;

export type { HolidayTable };
export { holidayName, holidayTableOf, NATIONAL_HOLIDAYS };
