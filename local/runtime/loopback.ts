/**
 * The local servers listen on the loopback interface only, and answer only requests addressed to a
 * loopback name: a web page that rebinds its own host name to 127.0.0.1 (DNS rebinding) sends its
 * own name in `Host`, and is refused before anything is read or queued.
 */

const LOOPBACK_ADDRESS = '127.0.0.1';

/** `localhost`, `127.0.0.1`, `[::1]`, or (`extraNames`) e.g. fauxqs's `sqs.<region>.localhost`. */
const isLoopbackName = (name: string, extraNames: readonly RegExp[] = []): boolean =>
  name === 'localhost' ||
  name === '127.0.0.1' ||
  name === '[::1]' ||
  extraNames.some((pattern) => pattern.test(name));

/**
 * True when `host` (a request's Host header) names this server: a loopback name with `port`.
 * HTTP/1.1 requires the header; a request without one (HTTP/1.0 tools) is treated as loopback
 * only because it cannot come from a browser, which always sends it.
 */
const isLoopbackHost = (
  host: string | undefined,
  port: number,
  extraNames: readonly RegExp[] = [],
): boolean => {
  if (host === undefined) return true;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const [, name = '', portText] = match;
  // A browser leaves the port out only when it is the default one.
  const samePort = portText === undefined ? port === 80 : Number(portText) === port;
  return isLoopbackName(name, extraNames) && samePort;
};

export { isLoopbackHost, LOOPBACK_ADDRESS };
