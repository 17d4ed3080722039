import { type MappedText, toOriginal } from '../text/mapped-text';

/** What the link checks need from the policy (see `links` in the policy schema). */
interface LinkPolicy {
  /** Hosts (and optional path prefixes) that always pass, e.g. `city.rumoi.lg.jp`, `instagram.com/rumoi_official`. */
  readonly allowlist: readonly string[];
  readonly shorteners: readonly string[];
  readonly suspiciousTlds: readonly string[];
  readonly executableExtensions: readonly string[];
  /** TLDs accepted for links written without a scheme (keeps "3.5" or "end.next" out). */
  readonly knownTlds: readonly string[];
  /** Names a look-alike host imitates, with the hosts that really belong to them. */
  readonly brands: ReadonlyArray<{ readonly token: string; readonly domains: readonly string[] }>;
  /** Path or host words that ask for credentials or a claim. */
  readonly credentialWords: readonly string[];
}

type LinkFlag =
  | 'allowlisted'
  | 'unknown'
  | 'shortener'
  | 'ip'
  | 'lookalike'
  | 'executable'
  | 'suspicious_tld'
  | 'credential'
  | 'obfuscated';

interface Link {
  /** Span in the ORIGINAL text. */
  readonly start: number;
  readonly end: number;
  readonly host: string;
  readonly flags: ReadonlySet<LinkFlag>;
}

// One character class, so the scan is linear whatever the input.
const CANDIDATE = /[a-z0-9][a-z0-9._~:/?#@!$&'*+,;=%-]{2,300}/g;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const TRAILING_CHARS = new Set([...".,:;!?'*)-"]);
const SCHEME = /^(?:https?|ftp):\/\//;
const PATH_START = /[/?#]/;
const PORT = /:\d{1,5}$/;
const TLD = /^[a-z]{2,24}$/;

/** Punctuation after a link belongs to the sentence, not the link. */
const trimTrailing = (raw: string): string => {
  let end = raw.length;
  while (end > 0 && TRAILING_CHARS.has(raw[end - 1] ?? '')) end--;
  return raw.slice(0, end);
};

const stripWww = (host: string): string => (host.startsWith('www.') ? host.slice(4) : host);

/** Look-alike skeleton: the letter pairs and digits that imitate other letters in a host name. */
const skeleton = (host: string): string =>
  host
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/0/g, 'o')
    .replace(/[1|]/g, 'l')
    .replace(/5/g, 's');

const hostMatches = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);

const isAllowlisted = (host: string, path: string, allowlist: readonly string[]): boolean =>
  allowlist.some((entry) => {
    const slash = entry.indexOf('/');
    if (slash === -1) return hostMatches(host, entry);
    const entryHost = entry.slice(0, slash);
    const entryPath = entry.slice(slash);
    return hostMatches(host, entryHost) && (path === entryPath || path.startsWith(`${entryPath}`));
  });

interface ParsedCandidate {
  readonly host: string;
  readonly path: string;
  readonly hadScheme: boolean;
}

/** Whether the host is, or sits under, one of the listed domains. */
const underAny = (host: string, domains: ReadonlySet<string>): boolean => {
  for (let dot = -1; ; dot = host.indexOf('.', dot + 1)) {
    if (domains.has(host.slice(dot + 1))) return true;
    if (host.indexOf('.', dot + 1) === -1) return false;
  }
};

const parseCandidate = (
  raw: string,
  knownTlds: ReadonlySet<string>,
  shorteners: ReadonlySet<string>,
): ParsedCandidate | undefined => {
  let rest = trimTrailing(raw);
  const scheme = SCHEME.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  if (rest.includes('@') && !scheme) return undefined; // an e-mail address, the PII detector's job
  const cut = rest.search(PATH_START);
  const hostPort = cut === -1 ? rest : rest.slice(0, cut);
  const path = cut === -1 ? '' : rest.slice(cut);
  const host = stripWww(hostPort.includes(':') ? hostPort.replace(PORT, '') : hostPort);
  if (IPV4.test(host)) return { host, path, hadScheme: scheme !== null };
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => l.length === 0)) return undefined;
  const tld = labels[labels.length - 1] ?? '';
  if (!TLD.test(tld)) return undefined;
  // A shortener is a link written bare whatever its TLD (lin.ee/…, rb.gy/…).
  if (!scheme && !knownTlds.has(tld) && !underAny(host, shorteners)) return undefined;
  return { host, path, hadScheme: scheme !== null };
};

const extensionOf = (host: string, path: string): string => {
  const last = (path.length > 0 ? path : host).split(/[?#]/)[0] ?? '';
  const dot = last.lastIndexOf('.');
  return dot === -1 ? '' : last.slice(dot + 1);
};

interface Lookups {
  readonly executables: ReadonlySet<string>;
  readonly knownTlds: ReadonlySet<string>;
  readonly shorteners: ReadonlySet<string>;
}

const lookups = new WeakMap<LinkPolicy, Lookups>();

/** Sets built once per policy, not once per comment. */
const lookupsFor = (policy: LinkPolicy): Lookups => {
  let found = lookups.get(policy);
  if (found === undefined) {
    const executables = new Set(policy.executableExtensions);
    // A bare file name such as `app.apk` is a download link too.
    found = {
      executables,
      knownTlds: new Set([...policy.knownTlds, ...executables]),
      shorteners: new Set(policy.shorteners),
    };
    lookups.set(policy, found);
  }
  return found;
};

/**
 * Finds links in the folded view (obfuscations already repaired) and classifies them. Allowlisted
 * links carry only the `allowlisted` flag.
 */
const extractLinks = (folded: MappedText, policy: LinkPolicy, original: string): Link[] => {
  const { executables, knownTlds, shorteners } = lookupsFor(policy);
  const links: Link[] = [];
  // Every link has a dot in its host (obfuscated dots are already repaired in the folded view).
  if (!folded.text.includes('.')) return links;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(folded.text); m !== null; m = CANDIDATE.exec(folded.text)) {
    const parsed = parseCandidate(m[0], knownTlds, shorteners);
    if (parsed === undefined) continue;
    const { host, path } = parsed;
    const span = toOriginal(folded, m.index, m.index + trimTrailing(m[0]).length);
    const flags = new Set<LinkFlag>();
    const written = original.slice(span.start, span.end);
    if (!stripWww(written.toLowerCase()).includes(host)) flags.add('obfuscated');
    if (isAllowlisted(host, path, policy.allowlist)) {
      links.push({ ...span, host, flags: new Set<LinkFlag>(['allowlisted']) });
      continue;
    }
    flags.add('unknown');
    const tld = host.slice(host.lastIndexOf('.') + 1);
    if (executables.has(tld) || executables.has(extensionOf(host, path))) flags.add('executable');
    if (IPV4.test(host)) flags.add('ip');
    // A bare service name ("bit.lyって何？") leads nowhere; a shortened link has a path.
    if (underAny(host, shorteners) && path.length > 1) flags.add('shortener');
    if (policy.suspiciousTlds.includes(tld)) flags.add('suspicious_tld');
    const shape = skeleton(host);
    const parts = shape.split(/[.-]/);
    for (const brand of policy.brands) {
      // Short brand tokens (ig, line) only count as a whole label part: "online" is not LINE.
      const imitates =
        brand.token.length >= 5 ? shape.includes(brand.token) : parts.includes(brand.token);
      if (imitates && !brand.domains.some((d) => hostMatches(host, d))) flags.add('lookalike');
    }
    const words = `${host}${path}`;
    if (policy.credentialWords.some((w) => words.includes(w))) flags.add('credential');
    links.push({ ...span, host, flags });
  }
  return links;
};

export type { Link, LinkFlag, LinkPolicy };

/** Every regular expression the link checks run, for the ReDoS check in tests. */
const LINK_PATTERNS: readonly RegExp[] = [CANDIDATE, IPV4, SCHEME, PATH_START, PORT, TLD];

export { extractLinks, LINK_PATTERNS, skeleton };
