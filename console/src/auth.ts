/**
 * Who the console acts as. Locally: a name entered once (kept in this browser) and the group to
 * act in; the local server answers loopback only. In AWS: Cognito's managed login with the
 * authorization code flow and PKCE; the ID token goes to the API, whose authorizer verifies it, and
 * the reviewer recorded is the token's subject and name, never what the page says.
 */

import type { ConsoleConfig } from './config';

interface Session {
  /** Headers that identify the caller to the API. */
  readonly headers: Record<string, string>;
}

const LOCAL_KEY = 'ipg.local-staff';
const TOKEN_KEY = 'ipg.id-token';
const VERIFIER_KEY = 'ipg.pkce';

interface LocalStaff {
  readonly name: string;
  readonly role: 'viewer' | 'reviewer';
}

const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error('config.json missing');
  return (await response.json()) as ConsoleConfig;
};

const localStaff = (): LocalStaff | undefined => {
  try {
    const raw = localStorage.getItem(LOCAL_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<LocalStaff>) : undefined;
    if (
      typeof parsed?.name === 'string' &&
      (parsed.role === 'viewer' || parsed.role === 'reviewer')
    ) {
      return { name: parsed.name, role: parsed.role };
    }
  } catch {
    // A damaged entry is the same as none: ask again.
  }
  return undefined;
};

const saveLocalStaff = (staff: LocalStaff): void => {
  localStorage.setItem(LOCAL_KEY, JSON.stringify(staff));
};

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const redirectUri = (): string => `${location.origin}${location.pathname}`;

const startCognitoSignIn = async (
  config: Extract<ConsoleConfig, { mode: 'cognito' }>,
): Promise<void> => {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', config.authUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid profile email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
};

/** Finishes a sign-in redirect, if this page load is one; returns the ID token held. */
const cognitoToken = async (
  config: Extract<ConsoleConfig, { mode: 'cognito' }>,
): Promise<string | undefined> => {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code) {
    const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? '{}') as {
      verifier?: string;
      state?: string;
    };
    sessionStorage.removeItem(VERIFIER_KEY);
    history.replaceState(null, '', redirectUri() + location.hash);
    if (saved.verifier && saved.state === params.get('state')) {
      const response = await fetch(new URL('/oauth2/token', config.authUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: config.clientId,
          code,
          redirect_uri: redirectUri(),
          code_verifier: saved.verifier,
        }),
      });
      if (response.ok) {
        const tokens = (await response.json()) as { id_token?: string; expires_in?: number };
        if (tokens.id_token) {
          const expires = Date.now() + (tokens.expires_in ?? 3600) * 1000;
          sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: tokens.id_token, expires }));
        }
      }
    }
  }
  const held = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? '{}') as {
    token?: string;
    expires?: number;
  };
  return held.token && (held.expires ?? 0) > Date.now() + 60_000 ? held.token : undefined;
};

const signOut = (config: ConsoleConfig): void => {
  if (config.mode === 'local') {
    localStorage.removeItem(LOCAL_KEY);
    location.reload();
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  const url = new URL('/logout', config.authUrl);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: redirectUri(),
  }).toString();
  location.assign(url.toString());
};

const localSession = (staff: LocalStaff): Session => ({
  headers: { 'x-reviewer': encodeURIComponent(staff.name), 'x-staff-role': staff.role },
});

const tokenSession = (token: string): Session => ({ headers: { authorization: token } });

export type { ConsoleConfig, LocalStaff, Session };
export {
  cognitoToken,
  loadConfig,
  localSession,
  localStaff,
  saveLocalStaff,
  signOut,
  startCognitoSignIn,
  tokenSession,
};
