import { MalformedPayloadError, PayloadTooLargeError, SignatureError } from './errors';
import { type ParsedDelivery, parseDelivery } from './payload';
import { verifySignature } from './signature';

/**
 * The order of checks on a POST is the security argument: size (cheap, before any HMAC work), then
 * the signature over the raw bytes, and only then is the body decoded and parsed. Nothing from an
 * unsigned body is ever interpreted.
 */

/**
 * A synchronous Lambda invocation carries at most 6 MB; a genuine Meta batch always fits, so this is
 * the only limit we impose.
 */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

interface DeliveryRequest {
  /** The body exactly as sent (already base64-decoded when the proxy encoded it). */
  readonly body: Uint8Array;
  /** Every value of `X-Hub-Signature-256` the request carried. */
  readonly signatures: readonly string[];
}

const assertBodySize = (bytes: number): void => {
  if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(bytes, MAX_BODY_BYTES);
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies and reads a delivery. Throws `PayloadTooLargeError`, `SignatureError` or
 * `MalformedPayloadError`; otherwise returns the messages to enqueue and the counts to log.
 */
const openDelivery = (
  request: DeliveryRequest,
  appSecrets: readonly string[],
  receivedAt: Date,
): ParsedDelivery => {
  assertBodySize(request.body.byteLength);
  if (!verifySignature(request.body, request.signatures, appSecrets)) throw new SignatureError();
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(request.body));
  } catch {
    throw new MalformedPayloadError('body is not JSON');
  }
  return parseDelivery(json, { receivedAt });
};

export type { DeliveryRequest };
export { assertBodySize, MAX_BODY_BYTES, openDelivery };
