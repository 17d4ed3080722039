import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type Weekday } from '../../lambdas/core/calendar/schema';
import { digestSchedule } from '../../lib/constructs/daily-digest';

/**
 * The digest runs when the pack's office opens, on its working weekdays. EventBridge reads cron in
 * UTC; reading the expression back as JST must give the pack's opening time and exactly its days.
 */
const readBack = (expression: string): { minuteOfDay: number; days: Weekday[] } => {
  const match = /^cron\((\d+) (\d+) \? \* ([A-Z,]+) \*\)$/.exec(expression);
  if (match === null) throw new Error(`not a weekday cron: ${expression}`);
  const utc = Number(match[2]) * 60 + Number(match[1]);
  const jst = utc + 9 * 60;
  const shift = jst >= 24 * 60 ? 1 : 0;
  const days = (match[3] ?? '').split(',').map((d) => {
    const i = WEEKDAYS.indexOf(d.toLowerCase() as Weekday);
    expect(i).toBeGreaterThanOrEqual(0);
    return WEEKDAYS[(i + shift) % 7] as Weekday;
  });
  return { minuteOfDay: jst % (24 * 60), days };
};

describe('digest schedule from office hours', () => {
  it('is 23:50 UTC Sunday to Thursday for Rumoi (08:50 JST Monday to Friday)', () => {
    const rumoi = digestSchedule({
      opens: 8 * 60 + 50,
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    });
    expect(rumoi.expressionString).toBe('cron(50 23 ? * SUN,MON,TUE,WED,THU *)');
    const town = digestSchedule({
      opens: 9 * 60,
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    });
    expect(town.expressionString).toBe('cron(0 0 ? * MON,TUE,WED,THU,FRI,SAT *)');
  });

  it('read back in JST, is the opening time on exactly the working weekdays (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
        (opens, weekdays) => {
          const back = readBack(digestSchedule({ opens, weekdays }).expressionString);
          expect(back.minuteOfDay).toBe(opens);
          expect([...back.days].sort()).toEqual([...weekdays].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
