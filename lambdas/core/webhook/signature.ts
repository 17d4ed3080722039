import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's payload signature: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body
 * bytes with the app secret. Meta signs the bytes it sends (escaped unicode), so verification runs
 * over those exact bytes, never over re-serialised JSON.
 */

const SIGNATURE_HEADER = 'x-hub-signature-256';

/** Exactly what Meta sends: lower-case prefix and 64 lower-case hex digits, nothing around it. */
const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/;

const DIGEST_BYTES = 32;

const hmacSha256 = (secret: string, body: Uint8Array): Buffer =>
  createHmac('sha256', secret).update(body).digest();

/**
 * True when exactly one signature header value is present, well-formed, and matches the body under
 * at least one of `secrets` (several during a rotation). Every secret is tried, whatever matched
 * first, so the time taken does not reveal which one (or whether an early one) matched.
 *
 * `headerValues` holds every value the request carried for the header: more than one is ambiguous
 * and rejected rather than guessing which one the signer meant.
 */
const verifySignature = (
  body: Uint8Array,
  headerValues: readonly string[],
  secrets: readonly string[],
): boolean => {
  if (headerValues.length !== 1 || secrets.length === 0) return false;
  const match = SIGNATURE_FORMAT.exec(headerValues[0] ?? '');
  const hex = match?.[1];
  if (hex === undefined) return false;
  const presented = Buffer.from(hex, 'hex');
  if (presented.length !== DIGEST_BYTES) return false;
  let matched = false;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const expected = hmacSha256(secret, body);
    // Lengths are equal by construction; timingSafeEqual would throw otherwise.
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
      matched = true;
    }
  }
  return matched;
};

/** The header value Meta would send for `body` under `secret`. */
const signatureFor = (body: Uint8Array, secret: string): string =>
  `sha256=${hmacSha256(secret, body).toString('hex')}`;

export { SIGNATURE_HEADER, signatureFor, verifySignature };
