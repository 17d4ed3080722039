/**
 * Typed failures of a webhook delivery. The handler maps each to an HTTP status at the edge; the
 * messages never carry payload content, so they are safe to log.
 */

/** Missing, malformed or wrong `X-Hub-Signature-256`. Answered 403 with no detail. */
class SignatureError extends Error {
  override name = 'SignatureError';
  constructor(message = 'signature rejected') {
    super(message);
  }
}

/** The body exceeds what a Lambda proxy event can carry. Answered 413. */
class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`body of ${bytes} bytes exceeds ${limit}`);
  }
}

/** A correctly signed body that is not JSON, or JSON that is not a webhook delivery. Answered 400. */
class MalformedPayloadError extends Error {
  override name = 'MalformedPayloadError';
}

export { MalformedPayloadError, PayloadTooLargeError, SignatureError };
