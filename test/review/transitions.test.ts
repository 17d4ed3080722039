import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DuplicateReviewError,
  NotReviewableError,
  StaleVersionError,
} from '../../lambdas/core/review/errors';
import { visibilityOf } from '../../lambdas/core/review/record';
import { type ReviewRequest, reviewRequestSchema } from '../../lambdas/core/review/request';
import { planReview } from '../../lambdas/core/review/transitions';
import { asItem, OPEN_NOW, storedDecision } from './support';

const ctx = (reviewer = 'cognito:alice') => ({
  reviewer,
  now: OPEN_NOW,
  auditRetentionDays: 400,
});
const request = (body: Record<string, unknown>): ReviewRequest =>
  reviewRequestSchema.parse({ version: 0, reason: '確認しました', ...body });

const interimHidden = () => asItem(storedDecision({ interimAction: 'hide', actionStatus: 'done' }));
const pendingVisible = () => asItem(storedDecision());
const machineHidden = () =>
  asItem(storedDecision({ action: 'hide', actionStatus: 'done', reviewState: undefined }));

describe('review transitions', () => {
  it('approve restores a comment hidden off hours and closes the review', () => {
    const item = interimHidden();
    const plan = planReview(item, request({ action: 'approve' }), ctx());
    expect(plan.update).toMatchObject({
      commentId: item.commentId,
      expectedVersion: 0,
      version: 1,
      actionStatus: 'pending',
      outcome: { decision: 'approve', finalAction: 'allow', instagram: 'unhide', fromVersion: 0 },
    });
    expect(plan.request).toMatchObject({
      commentId: item.commentId,
      accountId: item.accountId,
      field: 'comments',
      action: 'unhide',
      decidedAt: OPEN_NOW.toISOString(),
    });
    expect(plan.event).toMatchObject({
      commentId: item.commentId,
      eventId: 'review#000001',
      type: 'review.approve',
      actor: { kind: 'staff', id: 'cognito:alice' },
      at: OPEN_NOW.toISOString(),
      why: '確認しました',
      policyVersion: '2025-08-20.0',
      what: { before: { action: 'review', visibility: 'hidden', categories: ['4'], version: 0 } },
    });
  });

  it('approve of a visible comment asks Instagram for nothing', () => {
    const plan = planReview(pendingVisible(), request({ action: 'approve' }), ctx());
    expect(plan.update.outcome.instagram).toBe('none');
    expect(plan.update.actionStatus).toBeUndefined();
    expect(plan.request).toBeUndefined();
  });

  it('approve of a comment the machine hid unhides it', () => {
    const plan = planReview(machineHidden(), request({ action: 'approve' }), ctx());
    expect(plan.request?.action).toBe('unhide');
  });

  it('confirm keeps the machine categories and hides or deletes only when needed', () => {
    expect(
      planReview(pendingVisible(), request({ action: 'confirm' }), ctx()).request?.action,
    ).toBe('hide');
    expect(
      planReview(interimHidden(), request({ action: 'confirm' }), ctx()).request,
    ).toBeUndefined();
    const deleting = planReview(
      interimHidden(),
      request({ action: 'confirm', outcome: 'delete' }),
      ctx(),
    );
    expect(deleting.request?.action).toBe('delete');
    expect(deleting.update.outcome).toMatchObject({ finalAction: 'delete', categories: ['4'] });
  });

  it('reclassify lets staff hide an allowed comment under 6(11), naming the category', () => {
    const allowed = asItem(
      storedDecision({ action: 'allow', categories: [], reviewState: undefined }),
    );
    const plan = planReview(
      allowed,
      request({ action: 'reclassify', categories: ['11'], outcome: 'hide' }),
      ctx(),
    );
    expect(plan.update.outcome).toMatchObject({ categories: ['11'], finalAction: 'hide' });
    expect(plan.request?.action).toBe('hide');
    expect(() =>
      reviewRequestSchema.parse({
        action: 'reclassify',
        version: 0,
        reason: 'x',
        categories: [],
        outcome: 'hide',
      }),
    ).toThrow(/article 6 category/);
  });

  it('rejects stale versions and double submissions with typed errors', () => {
    const item = interimHidden();
    const first = planReview(item, request({ action: 'approve' }), ctx('cognito:alice'));
    const after = asItem({
      ...storedDecision(),
      commentId: item.commentId,
      interimAction: 'hide',
      reviewState: undefined,
      reviewVersion: 1,
      reviewOutcome: first.update.outcome,
      actionStatus: 'pending',
    });
    // The same reviewer sending the same review again: a double submission.
    expect(() => planReview(after, request({ action: 'approve' }), ctx('cognito:alice'))).toThrow(
      DuplicateReviewError,
    );
    // Someone else who saw version 0: stale.
    expect(() => planReview(after, request({ action: 'confirm' }), ctx('cognito:bob'))).toThrow(
      StaleVersionError,
    );
    // A version from the future is stale too.
    expect(() =>
      planReview(item, request({ action: 'approve', version: 3 }), ctx('cognito:alice')),
    ).toThrow(StaleVersionError);
    // With the current version, approve/confirm on a reviewed item is refused; reclassify is not.
    expect(() =>
      planReview(after, request({ action: 'approve', version: 1 }), ctx('cognito:bob')),
    ).toThrow(NotReviewableError);
    const correction = planReview(
      after,
      request({ action: 'reclassify', version: 1, categories: ['4'], outcome: 'hide' }),
      ctx('cognito:bob'),
    );
    expect(correction.event.eventId).toBe('review#000002');
    expect(correction.request?.action).toBe('hide');
  });

  it('refuses to review what is not queued or is already deleted', () => {
    const allowed = asItem(storedDecision({ action: 'allow', reviewState: undefined }));
    expect(() => planReview(allowed, request({ action: 'approve' }), ctx())).toThrow(
      expect.objectContaining({ name: 'NotReviewableError', why: 'not_queued' }),
    );
    const deleted = asItem(
      storedDecision({ action: 'delete', actionStatus: 'done', reviewState: undefined }),
    );
    expect(() =>
      planReview(
        deleted,
        request({ action: 'reclassify', categories: [], outcome: 'allow' }),
        ctx(),
      ),
    ).toThrow(expect.objectContaining({ why: 'deleted' }));
  });

  it('asks Instagram for a call exactly when the comment must change, and records all of it', () => {
    const stored = fc.record({
      action: fc.constantFrom('review', 'hide', 'allow'),
      actionStatus: fc.constantFrom('none', 'pending', 'done', 'dry_run', 'failed', 'skipped_live'),
      interimAction: fc.constantFrom(undefined, 'hide'),
      reviewState: fc.constantFrom(undefined, 'pending'),
    });
    const req = fc.oneof(
      fc.constant({ action: 'approve' }),
      fc.record({ action: fc.constant('confirm'), outcome: fc.constantFrom('hide', 'delete') }),
      fc.record({
        action: fc.constant('reclassify'),
        categories: fc.constant(['6']),
        outcome: fc.constantFrom('allow', 'hide', 'delete'),
      }),
    );
    fc.assert(
      fc.property(stored, req, (attributes, body) => {
        const item = asItem(storedDecision(attributes));
        let plan: ReturnType<typeof planReview>;
        try {
          plan = planReview(item, request(body), ctx());
        } catch (error) {
          return error instanceof NotReviewableError;
        }
        const before = visibilityOf(item);
        const target = { allow: 'visible', hide: 'hidden', delete: 'deleted' }[
          plan.update.outcome.finalAction
        ];
        const needsCall = before !== target;
        return (
          (plan.request !== undefined) === needsCall &&
          (plan.update.actionStatus === 'pending') === needsCall &&
          plan.event.what.review === plan.update.outcome &&
          plan.event.what.before?.visibility === before &&
          plan.event.eventId === 'review#000001' &&
          plan.update.version === 1
        );
      }),
      { numRuns: 400 },
    );
  });
});
