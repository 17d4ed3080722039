import { request } from 'node:http';

/**
 * A GET to 127.0.0.1:`port` with a chosen Host header, as a DNS-rebound web page would send it
 * (fetch always writes the Host of its URL, so it cannot stand in for one).
 */
const getWithHost = (
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

export { getWithHost };
