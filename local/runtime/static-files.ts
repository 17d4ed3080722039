import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BuiltFile, buildConsole } from '../../console/build';

/**
 * The staff console's built files, held in memory and served under `/console/` by the local server
 * (built at start from `console/`, never written to the repository). The headers match what
 * CloudFront adds in AWS (lib/constructs/staff-console.ts): a strict content security policy with
 * no inline script or style and no third-party origin, no framing, no sniffing, no referrer.
 */

interface StaticFile {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** Path below the mount (`index.html`, `assets/console.js`) → file. */
type StaticFiles = ReadonlyMap<string, StaticFile>;

const CONSOLE_PREFIX = '/console';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  map: 'application/json; charset=utf-8',
};

const contentTypeOf = (path: string): string =>
  CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

const staticFilesFrom = (files: readonly BuiltFile[]): StaticFiles =>
  new Map(files.map((f) => [f.path, { body: f.body, contentType: contentTypeOf(f.path) }]));

/** The console as the local server serves it: same-origin API under `/api`, a local sign-in. */
const buildLocalConsole = async (): Promise<StaticFiles> =>
  staticFilesFrom(await buildConsole({ mode: 'local', apiUrl: '/api' }));

/** Answers a request under `/console`; the caller has checked the prefix. */
const serveStatic = (
  req: IncomingMessage,
  res: ServerResponse,
  files: StaticFiles,
  path: string,
): void => {
  req.resume();
  const method = (req.method ?? 'GET').toUpperCase();
  const send = (status: number, headers: Record<string, string>, body: Uint8Array | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      ...headers,
      'content-length': String(bytes.length),
    });
    res.end(method === 'HEAD' ? undefined : bytes);
  };
  const fail = (status: number, error: string, message: string, extra = {}) =>
    send(
      status,
      { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
      `${JSON.stringify({ error, message })}\n`,
    );
  const name = path.slice(CONSOLE_PREFIX.length + 1) || 'index.html';
  const file = files.get(name);
  if (method !== 'GET' && method !== 'HEAD') {
    fail(405, 'method_not_allowed', 'The console only serves GET and HEAD.', {
      allow: 'GET, HEAD',
    });
  } else if (path === CONSOLE_PREFIX) {
    send(301, { location: `${CONSOLE_PREFIX}/`, 'cache-control': 'no-store' }, '');
  } else if (!file) {
    fail(404, 'not_found', 'There is no such file in the console.');
  } else {
    send(200, { 'content-type': file.contentType, 'cache-control': 'no-cache' }, file.body);
  }
};

export type { StaticFile, StaticFiles };
export {
  buildLocalConsole,
  CONSOLE_PREFIX,
  CONTENT_SECURITY_POLICY,
  contentTypeOf,
  SECURITY_HEADERS,
  serveStatic,
  staticFilesFrom,
};
