/**
 * Typed review errors. The API maps them to HTTP statuses at the edge; nothing else leaks.
 */

class ReviewNotFoundError extends Error {
  override name = 'ReviewNotFoundError';
  constructor(readonly commentId: string) {
    super(`no live decision for comment ${commentId}`);
  }
}

/** The client reviewed a version that is no longer current: someone else decided in between. */
class StaleVersionError extends Error {
  override name = 'StaleVersionError';
  constructor(
    readonly commentId: string,
    readonly expected: number,
    readonly current: number,
  ) {
    super(`comment ${commentId}: version ${expected} is stale, current is ${current}`);
  }
}

/** The same reviewer sent the same review twice (a double click, a retried request). */
class DuplicateReviewError extends Error {
  override name = 'DuplicateReviewError';
  constructor(
    readonly commentId: string,
    readonly version: number,
  ) {
    super(`comment ${commentId}: this review was already recorded as version ${version}`);
  }
}

/** Nothing to review: already reviewed, never queued, or deleted (a deletion cannot be undone). */
class NotReviewableError extends Error {
  override name = 'NotReviewableError';
  constructor(
    readonly commentId: string,
    readonly why: 'already_reviewed' | 'not_queued' | 'deleted',
  ) {
    super(`comment ${commentId} is not reviewable: ${why}`);
  }
}

class InvalidReviewRequestError extends Error {
  override name = 'InvalidReviewRequestError';
}

/** An authenticated member of staff whose groups do not allow this (a viewer trying to act). */
class StaffForbiddenError extends Error {
  override name = 'StaffForbiddenError';
  constructor(readonly needed: 'read' | 'act') {
    super(`this needs the ${needed === 'act' ? 'reviewer' : 'viewer or reviewer'} group`);
  }
}

export {
  DuplicateReviewError,
  InvalidReviewRequestError,
  NotReviewableError,
  ReviewNotFoundError,
  StaffForbiddenError,
  StaleVersionError,
};
