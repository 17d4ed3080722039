import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  type LocalServer,
  startLocalServer,
} from '../../local/runtime/http-server';
import { buildLocalConsole } from '../../local/runtime/static-files';

/** The local server's console route and its Host check (no DNS rebinding into the API). */

let server: LocalServer;
let calls = 0;

const get = (path: string, host: string, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path, method, headers: { host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    webhook: async () => {
      calls++;
      return { statusCode: 200, body: 'ok' };
    },
    decisions: async () => {
      calls++;
      return { status: 200, body: { items: [] } };
    },
    console: await buildLocalConsole(),
  });
});
afterAll(async () => {
  await server?.close();
});

describe('local server: console and Host check', () => {
  it('answers loopback names with its own port only', () => {
    const port = 3016;
    for (const ok of ['localhost:3016', '127.0.0.1:3016', '[::1]:3016', 'LOCALHOST:3016']) {
      expect(isLoopbackHost(ok, port), ok).toBe(true);
    }
    for (const bad of [
      'localhost:3017',
      'localhost',
      'evil.example:3016',
      'localhost.evil.example:3016',
      '127.0.0.2:3016',
      '127.0.0.1:3016@evil',
      '',
    ]) {
      expect(isLoopbackHost(bad, port), String(bad)).toBe(false);
    }
    expect(isLoopbackHost('localhost', 80)).toBe(true);
    // HTTP/1.0 tools send no Host at all; a browser (the only way to rebind) always does.
    expect(isLoopbackHost(undefined, port)).toBe(true);
  });

  it('refuses a rebound Host before any route runs, in the house error shape', async () => {
    const before = calls;
    for (const path of ['/api/decisions', '/webhook', '/console/']) {
      const r = await get(path, `rebind.example:${server.port}`);
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toEqual({
        error: 'forbidden',
        message: `Use http://localhost:${server.port}/: other host names are refused.`,
      });
    }
    expect(calls).toBe(before);
    expect((await get('/api/decisions', `localhost:${server.port}`)).status).toBe(200);
  });

  it('serves the built console with a strict content security policy', async () => {
    const host = `localhost:${server.port}`;
    const redirect = await get('/console', host);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/console/');
    const index = await get('/console/', host);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.body).toContain('assets/console.js');
    expect(index.body).not.toMatch(/https?:\/\//);
    const script = await get('/console/assets/console.js', host);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const config = JSON.parse((await get('/console/config.json', host)).body);
    expect(config).toEqual({ mode: 'local', apiUrl: '/api' });
    const missing = await get('/console/assets/nope.js', host);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toBe('not_found');
    const post = await get('/console/', host, 'POST');
    expect(post.status).toBe(405);
    expect(JSON.parse(post.body).error).toBe('method_not_allowed');
  });
});
