import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * `npm start` as a person runs it: the real npm script in a process group of its own (npm, the
 * shell and node, as a terminal's foreground job), signalled through the group as a terminal's
 * Ctrl-C is. Used by the signal and socket tests.
 */

const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;

interface NpmStart {
  readonly child: ChildProcess;
  /** The process group (npm is its leader). */
  readonly pgid: number;
  /** Set once the banner is printed. */
  port: number;
  output(): string;
  /** Resolves with npm's exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole group, as a terminal does. */
  signal(signal: NodeJS.Signals): void;
}

const startNpm = (args: readonly string[], env: Record<string, string> = {}): NpmStart => {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', ...env },
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => {
    text += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    text += d.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pgid = child.pid ?? 0;
  return {
    child,
    pgid,
    port: 0,
    output: () => text,
    exited,
    signal(signal) {
      try {
        process.kill(-pgid, signal);
      } catch {
        // The group is gone already.
      }
    },
  };
};

/** Waits for the banner and records the port it names; fails with the output on an early exit. */
const whenReady = async (run: NpmStart, timeoutMs = 120_000): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void run.exited.then(() => {
    gone = true;
  });
  for (;;) {
    const match = /webhook\s+http:\/\/localhost:(\d+)\/webhook/.exec(run.output());
    if (match && /stop: Ctrl-C/.test(run.output())) {
      run.port = Number(match[1]);
      return run.port;
    }
    if (gone || Date.now() > deadline) {
      throw new Error(`npm start did not come up:\n${run.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Every process of a process group, from /proc. */
const groupPids = (pgid: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        // Fields after the command name (which may hold spaces) start after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    });

interface ListeningSocket {
  readonly pid: number;
  readonly address: string;
  readonly port: number;
}

/** `0100007F:1F90` (little-endian IPv4) or the 32-hex-digit IPv6 form → a readable address. */
const decodeAddress = (hex: string): string => {
  if (hex.length === 8) {
    const bytes = Buffer.from(hex, 'hex').reverse();
    return [...bytes].join('.');
  }
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const word = Buffer.from(hex.slice(i, i + 8), 'hex')
      .reverse()
      .toString('hex');
    words.push(word.slice(0, 4), word.slice(4));
  }
  return words.map((w) => w.replace(/^0+(?=.)/, '')).join(':');
};

/**
 * The TCP sockets in LISTEN state held by any process of the group: socket inodes from each
 * process's file descriptors, matched against /proc/net/tcp and tcp6.
 */
const listeningSockets = (pgid: number): ListeningSocket[] => {
  const owners = new Map<string, number>();
  for (const pid of groupPids(pgid)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode) owners.set(inode, pid);
      } catch {
        // Closed while reading.
      }
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [local, , state] = [cols[1] ?? '', cols[2], cols[3]];
      const inode = cols[9] ?? '';
      const pid = owners.get(inode);
      if (state !== '0A' || pid === undefined) continue;
      const [addressHex = '', portHex = '0'] = local.split(':');
      sockets.push({ pid, address: decodeAddress(addressHex), port: Number.parseInt(portHex, 16) });
    }
  }
  return sockets;
};

export type { ListeningSocket, NpmStart };
export { decodeAddress, listeningSockets, PROJECT_ROOT, startNpm, whenReady };
