import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { RequestTooLargeError, readBody, toRestProxyEvent, writeProxyResult } from './api-gateway';
import type { DecisionsApi } from './decisions-api';
import { isLoopbackHost, LOOPBACK_ADDRESS } from './loopback';
import { CONSOLE_PREFIX, type StaticFiles, serveStatic } from './static-files';

/**
 * The one local HTTP server: `/webhook` (the webhook Lambda behind its API Gateway event),
 * `/api/decisions` (read API), any proxy-integration mounts (the review API) and the staff console
 * at `/console/`. Loopback only: it listens on 127.0.0.1 and answers only requests whose Host names
 * a loopback address with its port, so a web page cannot reach it through DNS rebinding. Its own
 * refusals have the project's one error shape, `{ "error": "<code>", "message": "<sentence>" }`.
 */

type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

interface ProxyMount {
  /** Path prefix, e.g. `/api/reviews`; the API Gateway resource is `${prefix}/{proxy+}`. */
  readonly prefix: string;
  readonly handler: ProxyHandler;
}

interface LocalServerOptions {
  readonly webhook: ProxyHandler;
  readonly decisions: DecisionsApi;
  readonly mounts?: readonly ProxyMount[];
  /** The staff console's files, served at `/console/`. */
  readonly console?: StaticFiles;
  readonly host?: string;
  readonly port: number;
  /** Error names only, for the console. */
  readonly onError?: (route: string, errorName: string) => void;
}

interface LocalServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  /** Stops accepting connections; resolves when open ones are done. */
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, head = false): void => {
  const bytes = Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.length),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : bytes);
};

type ErrorCode = 'forbidden' | 'not_found' | 'payload_too_large' | 'internal';

const refuse = (res: ServerResponse, status: number, error: ErrorCode, message: string): void =>
  json(res, status, { error, message });

/** In-flight requests get this long to finish once the server stops taking connections. */
const CLOSE_GRACE_MS = 2_000;

const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}/`);

const startLocalServer = async (options: LocalServerOptions): Promise<LocalServer> => {
  const host = options.host ?? LOOPBACK_ADDRESS;
  let port = 0;
  const report = options.onError ?? (() => undefined);

  const proxy = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: string,
    handler: ProxyHandler,
  ) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof RequestTooLargeError) {
        // API Gateway refuses before the function; the connection is closed so the rest is not read.
        res.setHeader('connection', 'close');
        refuse(res, 413, 'payload_too_large', 'The request body is over 10 MB.');
        return;
      }
      throw error;
    }
    writeProxyResult(res, await handler(toRestProxyEvent(req, body, url, { resource })));
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(req.headers.host, port)) {
      req.resume();
      return refuse(
        res,
        403,
        'forbidden',
        `Use http://localhost:${port}/: other host names are refused.`,
      );
    }
    const url = new URL(req.url ?? '/', `http://localhost:${port}`);
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (options.console && under(path, CONSOLE_PREFIX)) {
      return serveStatic(req, res, options.console, path);
    }
    if (path === '/webhook') return proxy(req, res, url, '/webhook', options.webhook);
    if (under(path, '/api/decisions')) {
      req.resume();
      const answer = await options.decisions(
        method,
        path.slice('/api/decisions'.length),
        url.searchParams,
      );
      return json(res, answer.status, answer.body, method === 'HEAD');
    }
    for (const mount of options.mounts ?? []) {
      if (under(path, mount.prefix)) {
        return proxy(req, res, url, `${mount.prefix}/{proxy+}`, mount.handler);
      }
    }
    if (path === '/healthz') {
      req.resume();
      return json(res, 200, { ok: true });
    }
    req.resume();
    refuse(
      res,
      404,
      'not_found',
      'Nothing here: try /webhook, /api/decisions, /api/reviews or /api/inquiries.',
    );
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      report(req.url?.split('?')[0] ?? '/', error instanceof Error ? error.name : 'UnknownError');
      if (!res.headersSent) {
        refuse(res, 500, 'internal', 'The local server failed on this request; see its console.');
      } else res.destroy();
    });
  });
  // Meta expects an answer within 5 s; keep-alive lets the local sender reuse connections.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A client that keeps its connection busy must not hold the stop (and the drain) back.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      }),
  };
};

export type { LocalServer, LocalServerOptions, ProxyHandler, ProxyMount };
export { isLoopbackHost, startLocalServer };
