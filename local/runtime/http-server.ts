import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { RequestTooLargeError, readBody, toRestProxyEvent, writeProxyResult } from './api-gateway';
import type { DecisionsApi } from './decisions-api';
import { CONSOLE_PREFIX, type StaticFiles, serveStatic } from './static-files';

/**
 * The one local HTTP server: `/webhook` (the webhook Lambda behind its API Gateway event),
 * `/api/decisions` (read API), any proxy-integration mounts (the review API) and the staff console
 * at `/console/`. Loopback only, and only for loopback Host names (see `isLoopbackHost`).
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

const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}/`);

/**
 * Staff console: a page on another site could point a DNS name at 127.0.0.1 (DNS rebinding) and
 * reach the review API from the browser. Only loopback names with this server's port are answered.
 */
const isLoopbackHost = (host: string | undefined, port: number): boolean => {
  const match = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i.exec(host ?? '');
  if (!match) return false;
  return match[2] === undefined ? port === 80 : Number(match[2]) === port;
};

const startLocalServer = async (options: LocalServerOptions): Promise<LocalServer> => {
  const host = options.host ?? '127.0.0.1';
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
        json(res, 413, { message: 'Request Too Long' });
        return;
      }
      throw error;
    }
    writeProxyResult(res, await handler(toRestProxyEvent(req, body, url, { resource })));
  };

  let listeningPort = options.port;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(req.headers.host, listeningPort)) {
      req.resume();
      return json(res, 403, {
        error: 'forbidden',
        message: 'This local server answers only requests addressed to localhost.',
      });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
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
    json(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      report(req.url?.split('?')[0] ?? '/', error instanceof Error ? error.name : 'UnknownError');
      if (!res.headersSent) json(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
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
  const port = (server.address() as AddressInfo).port;
  listeningPort = port;
  return {
    server,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
};

export type { LocalServer, LocalServerOptions, ProxyHandler, ProxyMount };
export { isLoopbackHost, startLocalServer };
