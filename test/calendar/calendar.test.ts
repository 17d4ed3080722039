import holidayJp from '@holiday-jp/holiday_jp';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOfficeHours } from '../../lambdas/adapters/policy';
import { CalendarRangeError, createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import { holidayTableOf, NATIONAL_HOLIDAYS } from '../../lambdas/core/calendar/holidays';
import { fromJst, jstDate } from '../../lambdas/core/calendar/jst';
import { officeHoursSchema } from '../../lambdas/core/calendar/schema';

const hours = loadOfficeHours('rumoi');
const calendar = createBusinessCalendar(hours);
const MINUTE = 60_000;
const DAY = 86_400_000;
const WORKDAY_MS = (8 * 60 + 30) * MINUTE;

// The oracle reads JST from the platform's time-zone database, independently of the calendar's
// own UTC+9 arithmetic, and holidays through the library's string lookup (which is zone-free).
const jstFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
});
const oracleIsOpen = (instant: number): boolean => {
  const parts = Object.fromEntries(
    jstFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  const key = `${parts.year}-${parts.month}-${parts.day}`;
  const monthDay = Number(parts.month) * 100 + Number(parts.day);
  const minutes = Number(parts.hour) * 60 + Number(parts.minute);
  if (['Sat', 'Sun'].includes(String(parts.weekday))) return false;
  if (monthDay >= 1229 || monthDay <= 103) return false;
  if (holidayJp.isHoliday(key)) return false;
  return minutes >= 8 * 60 + 50 && minutes < 17 * 60 + 20;
};

const FIRST = Date.UTC(1970, 0, 2);
const LAST = Date.UTC(2050, 10, 1);
const instant = fc.integer({ min: FIRST, max: LAST });
const holidayKeys = Object.keys(holidayJp.holidays);

const at = (iso: string): number => Date.parse(iso);

describe('business calendar (article 5(1), JST)', () => {
  it('validates the bundled office-hours file', () => {
    expect(hours.opens).toBe(8 * 60 + 50);
    expect(hours.closes).toBe(17 * 60 + 20);
    expect(() => officeHoursSchema.parse({ ...rumoiRaw(), opens: '18:00' })).toThrow(
      /opens must be before closes/,
    );
    expect(() => officeHoursSchema.parse({ ...rumoiRaw(), opens: '8:50' })).toThrow();
  });

  it('opens at 08:50:00.000 and closes at 17:20:00.000 JST on a business day', () => {
    const day = { y: 2026, m: 11, d: 26 }; // Thursday
    const opens = fromJst(day.y, day.m, day.d, 8, 50);
    const closes = fromJst(day.y, day.m, day.d, 17, 20);
    expect(opens).toBe(at('2026-11-25T23:50:00Z'));
    expect(calendar.isOpen(opens - 1)).toBe(false);
    expect(calendar.isOpen(opens)).toBe(true);
    expect(calendar.isOpen(closes - 1)).toBe(true);
    expect(calendar.isOpen(closes)).toBe(false);
    expect(calendar.businessMillisBetween(opens - DAY / 2, closes + DAY / 4)).toBe(WORKDAY_MS);
  });

  it('is closed on weekends, holidays, substitute and citizens’ holidays and the New Year break', () => {
    const noon = (y: number, m: number, d: number) => fromJst(y, m, d, 12);
    expect(calendar.dayStatus(noon(2026, 11, 28))).toEqual({ open: false, reason: 'weekend' });
    expect(calendar.dayStatus(noon(2026, 5, 6))).toEqual({ open: false, reason: 'holiday' }); // 振替休日
    expect(calendar.dayStatus(noon(2026, 9, 22))).toEqual({ open: false, reason: 'holiday' }); // 国民の休日
    expect(calendar.dayStatus(noon(2026, 12, 28))).toEqual({ open: true });
    expect(calendar.dayStatus(noon(2026, 12, 29))).toEqual({ open: false, reason: 'year_end' });
    expect(calendar.dayStatus(noon(2028, 1, 3))).toEqual({ open: false, reason: 'year_end' }); // Monday
    expect(calendar.dayStatus(noon(2027, 1, 4))).toEqual({ open: true });
    expect(calendar.nextOpening(fromJst(2026, 12, 28, 17, 20))).toBe(fromJst(2027, 1, 4, 8, 50));
    expect(calendar.nextOpening(fromJst(2026, 5, 1, 17, 20))).toBe(fromJst(2026, 5, 7, 8, 50));
  });

  it('uses the JST date, not the UTC one: 00:30 JST on Jan 5 is still Jan 5', () => {
    // 2026-01-04T15:30Z is Monday 2026-01-05 00:30 JST; Sunday Jan 4 in UTC.
    expect(jstDate(at('2026-01-04T15:30:00Z')).key).toBe('2026-01-05');
    expect(calendar.nextOpening(at('2026-01-04T15:30:00Z'))).toBe(at('2026-01-04T23:50:00Z'));
    // The library's Date API follows the process zone: on UTC it misses this holiday.
    expect(holidayJp.isHoliday(new Date('2026-01-12T00:30:00+09:00'))).toBe(
      new Date('2026-01-12T00:30:00+09:00').getDate() === 12,
    );
    expect(calendar.dayStatus(at('2026-01-11T15:30:00Z'))).toEqual({
      open: false,
      reason: 'holiday',
    });
  });

  it('agrees with a time-zone-database oracle and the holiday table at any instant', () => {
    fc.assert(
      fc.property(instant, (t) => calendar.isOpen(t) === oracleIsOpen(t)),
      { numRuns: 3000 },
    );
  });

  it('is closed all day on every date in the holiday table (all of them)', () => {
    for (const key of holidayKeys) {
      const [y, m, d] = key.split('-').map(Number) as [number, number, number];
      for (const [hour, minute] of [
        [0, 0],
        [8, 50],
        [12, 0],
        [17, 19],
      ] as const) {
        const t = fromJst(y, m, d, hour, minute);
        expect(calendar.isOpen(t), key).toBe(false);
        expect(calendar.dayStatus(t).open, key).toBe(false);
      }
    }
    expect(holidayKeys.length).toBeGreaterThan(1000);
  });

  it('opens exactly at the boundaries on every weekday outside the table and the break', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const date = jstDate(t);
        const ordinary =
          date.weekday >= 1 &&
          date.weekday <= 5 &&
          !holidayJp.isHoliday(date.key) &&
          !(date.month === 12 && date.day >= 29) &&
          !(date.month === 1 && date.day <= 3);
        fc.pre(ordinary);
        const opens = fromJst(date.year, date.month, date.day, 8, 50);
        const closes = fromJst(date.year, date.month, date.day, 17, 20);
        return (
          !calendar.isOpen(opens - 1) &&
          calendar.isOpen(opens) &&
          calendar.isOpen(closes - 1) &&
          !calendar.isOpen(closes) &&
          calendar.nextOpening(opens - 1) === opens &&
          calendar.businessMillisBetween(opens - 1, closes + 1) === WORKDAY_MS
        );
      }),
      { numRuns: 500 },
    );
  });

  it('nextOpening is the first open instant at or after t', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const next = calendar.nextOpening(t);
        if (calendar.isOpen(t)) return next === t;
        return (
          next > t &&
          calendar.isOpen(next) &&
          !calendar.isOpen(next - 1) &&
          calendar.businessMillisBetween(t, next) === 0
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('business time is additive, bounded by wall time, and equals a minute-by-minute count', () => {
    const span = fc.integer({ min: 0, max: 12 * DAY });
    fc.assert(
      fc.property(instant, span, span, (a, x, y) => {
        const b = a + x;
        const c = b + y;
        const ab = calendar.businessMillisBetween(a, b);
        return (
          ab + calendar.businessMillisBetween(b, c) === calendar.businessMillisBetween(a, c) &&
          ab <= b - a &&
          calendar.businessMillisBetween(b, a) === 0
        );
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST / MINUTE, max: LAST / MINUTE }),
        fc.integer({ min: 0, max: 6 * 1440 }),
        (startMinute, minutes) => {
          const a = startMinute * MINUTE;
          let open = 0;
          for (let i = 0; i < minutes; i++) if (calendar.isOpen(a + i * MINUTE)) open++;
          return calendar.businessMillisBetween(a, a + minutes * MINUTE) === open * MINUTE;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses to guess outside the holiday table', () => {
    expect(NATIONAL_HOLIDAYS.lastYear).toBe(2050);
    expect(() => calendar.isOpen(fromJst(2051, 3, 1, 10))).toThrow(CalendarRangeError);
    // Without holidays the calendar needs no table.
    const noHolidays = createBusinessCalendar(
      { ...hours, closedOnNationalHolidays: false },
      holidayTableOf(['2000-01-01']),
    );
    expect(noHolidays.isOpen(fromJst(2051, 3, 1, 10))).toBe(true); // Wednesday
  });
});

describe('business calendar under a foreign process time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it('the library’s Date API follows TZ, which is why the calendar does not use it', () => {
    const comingOfAgeDay = new Date('2026-01-12T00:30:00+09:00');
    process.env.TZ = 'UTC';
    expect(holidayJp.isHoliday(comingOfAgeDay)).toBe(false);
    const may = holidayJp.between(
      new Date('2026-05-03T05:00:00+09:00'),
      new Date('2026-05-06T05:00:00+09:00'),
    );
    expect(may.map((h) => h.name)).not.toContain('こどもの日 振替休日');
    process.env.TZ = 'Asia/Tokyo';
    expect(holidayJp.isHoliday(comingOfAgeDay)).toBe(true);
    for (const zone of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
      process.env.TZ = zone;
      expect(calendar.dayStatus(comingOfAgeDay.getTime())).toEqual({
        open: false,
        reason: 'holiday',
      });
      expect(calendar.dayStatus(fromJst(2026, 5, 6, 5)).open).toBe(false);
    }
  });

  it('gives the same answers whatever TZ says (including zones with DST)', () => {
    const samples = fc.sample(instant, { numRuns: 300, seed: 42 });
    const answer = (t: number) => [
      calendar.isOpen(t),
      calendar.nextOpening(t),
      calendar.businessMillisBetween(t, t + 5 * DAY),
      jstDate(t).key,
    ];
    process.env.TZ = 'UTC';
    const reference = samples.map(answer);
    for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Europe/London']) {
      process.env.TZ = zone;
      expect(new Date(at('2026-07-01T00:00:00Z')).getTimezoneOffset()).not.toBe(0);
      expect(samples.map(answer)).toEqual(reference);
    }
  });
});

function rumoiRaw(): Record<string, unknown> {
  return {
    policyId: 'rumoi',
    version: 'v',
    source: 's',
    timeZone: 'JST',
    weekdays: ['mon'],
    opens: '08:50',
    closes: '17:20',
    closedOnNationalHolidays: true,
    offHours: { review: 'hide', why: 'w' },
    review: { auditRetentionDays: 1 },
  };
}
