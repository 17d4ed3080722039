/**
 * Typed data-subject request errors. The edge maps them to HTTP statuses; their messages are
 * written for the data officer and never hold the subject's value.
 */

/** The request or the value naming the subject is malformed. */
class InvalidDataRequestError extends Error {
  override readonly name = 'InvalidDataRequestError';
}

/** Nothing is held about the subject (nothing was found, or an earlier request erased it). */
class NothingHeldError extends Error {
  override readonly name = 'NothingHeldError';
  constructor() {
    super('nothing is held about this subject');
  }
}

/**
 * The erasure could not finish: a comment of the subject was being classified throughout, or the
 * queues could not be read to the end in time. What was erased stays erased and the request is
 * recorded; running it again finishes it.
 */
class ErasureIncompleteError extends Error {
  override readonly name = 'ErasureIncompleteError';
  constructor(readonly why: 'busy' | 'queues') {
    super(
      why === 'busy'
        ? 'a comment of this subject is being classified right now'
        : 'the queues could not be read to the end in time',
    );
  }
}

export { ErasureIncompleteError, InvalidDataRequestError, NothingHeldError };
