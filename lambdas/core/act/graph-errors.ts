/**
 * Graph API error classes (DESIGN.md, reliability-targets §3). The class decides everything that
 * follows a failed call: retry with backoff, wait for the rate-limit window, or give up and alert.
 */

/** What a failed Graph call looked like, as far as the client could tell. Untrusted input. */
type GraphFailure =
  | {
      readonly kind: 'graph';
      readonly httpStatus: number;
      readonly code?: number;
      readonly subcode?: number;
      readonly type?: string;
      readonly fbtraceId?: string;
      /** Meta's message, truncated; used only to recognise "does not exist", never logged. */
      readonly message?: string;
    }
  | { readonly kind: 'network'; readonly reason: 'timeout' | 'connection' };

type ErrorClass = 'transient' | 'throttled' | 'permanent' | 'not_found';

const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2]);
// 341 (application limit) and 368 (temporarily blocked for policy) also ask the caller to wait.
const THROTTLED_CODES: ReadonlySet<number> = new Set([4, 17, 32, 341, 368, 613]);
const PERMANENT_CODES: ReadonlySet<number> = new Set([10, 100, 190]);

/** Business Use Case limits use the 80000 family (80002 is Instagram). */
const isBusinessUseCaseCode = (code: number): boolean => code >= 80_000 && code < 80_100;
/** 200–299 are the permission errors. */
const isPermissionCode = (code: number): boolean => code >= 200 && code <= 299;

const NOT_FOUND_SUBCODE = 33;

/**
 * "Object with ID ... does not exist" (code 100, subcode 33). After a delete it means the comment
 * is already gone; for a hide it means there is nothing left to hide, for an unhide nothing left to
 * restore.
 */
const isNotFound = (failure: GraphFailure): boolean =>
  failure.kind === 'graph' &&
  failure.code === 100 &&
  (failure.subcode === NOT_FOUND_SUBCODE || /does not exist/i.test(failure.message ?? ''));

const classifyGraphFailure = (failure: GraphFailure): ErrorClass => {
  // A timeout or a reset connection says nothing about the request: retrying is safe because hide
  // and unhide are idempotent and a repeated delete answers "does not exist".
  if (failure.kind === 'network') return 'transient';
  if (isNotFound(failure)) return 'not_found';
  const { code, httpStatus } = failure;
  if (code !== undefined) {
    if (TRANSIENT_CODES.has(code)) return 'transient';
    if (THROTTLED_CODES.has(code) || isBusinessUseCaseCode(code)) return 'throttled';
    if (PERMANENT_CODES.has(code) || isPermissionCode(code)) return 'permanent';
  }
  // No recognised code: fall back on the HTTP status. An unknown 4xx is not going to heal by
  // itself, so it is reported rather than retried.
  if (httpStatus === 429) return 'throttled';
  if (httpStatus >= 500) return 'transient';
  return 'permanent';
};

/** A short, log-safe label for the failure: the numeric code (and subcode) or the network reason. */
const failureCode = (failure: GraphFailure): string => {
  if (failure.kind === 'network') return `network_${failure.reason}`;
  if (failure.code === undefined) return `http_${failure.httpStatus}`;
  return failure.subcode === undefined
    ? String(failure.code)
    : `${failure.code}/${failure.subcode}`;
};

export type { ErrorClass, GraphFailure };
export { classifyGraphFailure, failureCode, isNotFound };
