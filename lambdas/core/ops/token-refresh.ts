/**
 * When to refresh the Graph token. An Instagram-login long-lived token lasts 60 days and can be
 * refreshed by API once it is at least 24 hours old and not yet expired, each refresh giving 60 days
 * from then (Meta, "Refresh Access Token"). A Facebook-login page token has no such call: it is
 * replaced by a person, and only its recorded expiry is watched.
 */

const DAY_MS = 86_400_000;
/** Meta refuses to refresh a token younger than this. */
const MIN_REFRESH_AGE_MS = DAY_MS;

interface StoredToken {
  /** Epoch ms the token expires, when known (recorded by a refresh or by the operator). */
  readonly expiresAt?: number;
  /**
   * Epoch ms the secret's current version was written. The token inside is at least this old: it
   * was issued before it could be stored.
   */
  readonly storedAt: number;
}

interface TokenRefreshConfig {
  readonly loginType: 'instagram' | 'facebook';
  /** Refresh once no more than this many days are left (or when the expiry is unknown). */
  readonly refreshWhenDaysLeft: number;
}

const DEFAULT_TOKEN_REFRESH_CONFIG: TokenRefreshConfig = {
  loginType: 'instagram',
  // Refreshed about every ten days: a few failed runs in a row still leave weeks of validity.
  refreshWhenDaysLeft: 50,
};

type SkipReason = 'not_refreshable' | 'expired' | 'too_young' | 'fresh';

type TokenPlan =
  | { readonly kind: 'refresh' }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

/** Whole days left before expiry (negative once expired); undefined when the expiry is unknown. */
const daysLeft = (token: Pick<StoredToken, 'expiresAt'>, now: number): number | undefined =>
  token.expiresAt === undefined ? undefined : Math.floor((token.expiresAt - now) / DAY_MS);

const planTokenRefresh = (
  token: StoredToken,
  now: number,
  config: TokenRefreshConfig,
): TokenPlan => {
  if (config.loginType !== 'instagram') return { kind: 'skip', reason: 'not_refreshable' };
  if (token.expiresAt !== undefined && token.expiresAt <= now) {
    return { kind: 'skip', reason: 'expired' };
  }
  if (now - token.storedAt < MIN_REFRESH_AGE_MS) return { kind: 'skip', reason: 'too_young' };
  const left = daysLeft(token, now);
  if (left !== undefined && left > config.refreshWhenDaysLeft) {
    return { kind: 'skip', reason: 'fresh' };
  }
  return { kind: 'refresh' };
};

/** The expiry Meta's answer implies: `expires_in` seconds from the refresh. */
const expiryAfterRefresh = (refreshedAt: number, expiresInSeconds: number): number =>
  refreshedAt + expiresInSeconds * 1000;

export type { SkipReason, StoredToken, TokenPlan, TokenRefreshConfig };
export {
  DEFAULT_TOKEN_REFRESH_CONFIG,
  daysLeft,
  expiryAfterRefresh,
  MIN_REFRESH_AGE_MS,
  planTokenRefresh,
};
