import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAppUsage,
  parseBusinessUseCaseUsage,
  readUsageHeaders,
} from '../../lambdas/core/act/usage';

describe('X-Business-Use-Case-Usage', () => {
  it('reads the documented shape: the worst percentage and the longest wait', () => {
    const header = JSON.stringify({
      '17841400000000000': [
        {
          type: 'instagram',
          call_count: 28,
          total_cputime: 95,
          total_time: 40,
          estimated_time_to_regain_access: 0,
        },
      ],
      '17841400000000001': [
        {
          type: 'instagram',
          call_count: 5,
          total_cputime: 1,
          total_time: 1,
          estimated_time_to_regain_access: 12,
        },
      ],
    });
    expect(parseBusinessUseCaseUsage(header)).toEqual({
      usagePercent: 95,
      regainAccessMinutes: 12,
    });
  });

  it('reads X-App-Usage and combines both headers', () => {
    expect(parseAppUsage('{"call_count":91,"total_time":3,"total_cputime":2}')).toEqual({
      usagePercent: 91,
      regainAccessMinutes: 0,
    });
    const headers: Record<string, string> = {
      'x-app-usage': '{"call_count":50}',
      'x-business-use-case-usage':
        '{"1":[{"call_count":10,"total_time":5,"total_cputime":5,"estimated_time_to_regain_access":3}]}',
    };
    expect(readUsageHeaders((n) => headers[n])).toEqual({
      usagePercent: 50,
      regainAccessMinutes: 3,
    });
  });

  it.each([
    undefined,
    null,
    '',
    'not json',
    '[]',
    '42',
    '{"1": "x"}',
    '{"1": [{"type":"instagram"}]}',
  ])('ignores a malformed header %j', (header) => {
    expect(parseBusinessUseCaseUsage(header)).toBeUndefined();
  });

  it('never throws on hostile input and keeps values in range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (header) => {
        const reading = parseBusinessUseCaseUsage(header);
        if (reading) {
          expect(reading.usagePercent).toBeGreaterThanOrEqual(0);
          expect(reading.usagePercent).toBeLessThanOrEqual(1000);
          expect(reading.regainAccessMinutes).toBeGreaterThanOrEqual(0);
          expect(reading.regainAccessMinutes).toBeLessThanOrEqual(24 * 60);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('usage is the max of call_count, total_time and total_cputime', () => {
    const pct = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(pct, pct, pct, fc.integer({ min: 0, max: 60 }), (a, b, c, regain) => {
        const header = JSON.stringify({
          x: [
            {
              type: 'instagram',
              call_count: a,
              total_time: b,
              total_cputime: c,
              estimated_time_to_regain_access: regain,
            },
          ],
        });
        expect(parseBusinessUseCaseUsage(header)).toEqual({
          usagePercent: Math.max(a, b, c),
          regainAccessMinutes: regain,
        });
      }),
      { numRuns: 200 },
    );
  });
});
