import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonym: HMAC-SHA256 over `purpose` and `value` with a secret key. The same person or value
 * always gets the same reference, so an erasure request can find every record, yet nothing stored
 * lets anyone recover the value without the key. `purpose` separates namespaces (an author id and a
 * phone number with equal digits never collide).
 */
const keyedRef = (key: string | Uint8Array, purpose: string, value: string): string =>
  createHmac('sha256', key).update(purpose).update('\u0000').update(value, 'utf8').digest('hex');

export { keyedRef };
