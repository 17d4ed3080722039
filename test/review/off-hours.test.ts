import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromJst } from '../../lambdas/core/calendar/jst';
import { ACTIONS } from '../../lambdas/core/contracts/decision';
import { auditEventSchema, interimHideEvent } from '../../lambdas/core/review/audit';
import { effectiveAction, OFF_HOURS_RULE_ID } from '../../lambdas/core/review/off-hours';
import { calendar, officeHours } from './support';

const rule = officeHours.offHours;
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2049, 0, 1) });

describe('off-hours rule', () => {
  it('the Rumoi policy hides review decisions off hours', () => {
    expect(rule.review).toBe('hide');
  });

  it('hides a review decision for the time being exactly when the office is closed', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const effective = effectiveAction('review', t, calendar, rule);
        const open = calendar.isOpen(t);
        return (
          effective.reviewPending &&
          effective.action === (open ? 'review' : 'hide') &&
          effective.interim === !open &&
          effective.reviewableFrom === calendar.nextOpening(t)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('never changes allow, hide or delete', () => {
    const machine = fc.constantFrom(...ACTIONS.filter((a) => a !== 'review'));
    fc.assert(
      fc.property(machine, instant, (action, t) => {
        const effective = effectiveAction(action, t, calendar, rule);
        return effective.action === action && !effective.interim && !effective.reviewPending;
      }),
      { numRuns: 500 },
    );
  });

  it('Friday 17:19:59.999 waits for a person; 17:20 hides until Monday 08:50', () => {
    const closing = fromJst(2026, 11, 27, 17, 20); // Friday
    expect(effectiveAction('review', closing - 1, calendar, rule)).toMatchObject({
      action: 'review',
      interim: false,
    });
    expect(effectiveAction('review', closing, calendar, rule)).toEqual({
      action: 'hide',
      interim: true,
      reviewPending: true,
      reviewableFrom: fromJst(2026, 11, 30, 8, 50),
      rule: OFF_HOURS_RULE_ID,
    });
  });

  it('over the New Year break the interim hide lasts until the first business day', () => {
    const newYearsEve = fromJst(2026, 12, 31, 11);
    expect(effectiveAction('review', newYearsEve, calendar, rule)).toMatchObject({
      action: 'hide',
      reviewableFrom: fromJst(2027, 1, 4, 8, 50),
    });
  });

  it('a city that prefers to wait keeps the comment visible', () => {
    const saturday = fromJst(2026, 11, 28, 12);
    expect(
      effectiveAction('review', saturday, calendar, { ...rule, review: 'review' }),
    ).toMatchObject({ action: 'review', interim: false, reviewPending: true });
  });

  it('the interim hide is an audit event of its own, attributed to the system and its rule', () => {
    const at = new Date(fromJst(2026, 11, 28, 12));
    const event = interimHideEvent({
      commentId: '17900000000000001',
      at,
      policyVersion: officeHours.version,
      rule: OFF_HOURS_RULE_ID,
      why: rule.why,
      retentionDays: officeHours.review.auditRetentionDays,
    });
    expect(auditEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      type: 'system.interim_hide',
      actor: { kind: 'system' },
      at: at.toISOString(),
      what: { rule: OFF_HOURS_RULE_ID },
      expiresAt: Math.floor(at.getTime() / 1000) + 400 * 86_400,
    });
  });
});
