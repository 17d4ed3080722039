import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { isBlank, lines, MAX_LINE_BYTES, readLine } from '../../local/cli/jsonl';
import { PROJECT_ROOT } from '../support/npm-start';

/**
 * The CLIs as a newcomer meets them, through the real npm scripts: every one explains itself with
 * `--help` in an 80-column terminal, `classify` keeps its JSON Lines contract (DESIGN.md) and does
 * not wait in silence at a terminal, npm is no longer silenced for every command.
 */

const npm = (args: readonly string[], options: { input?: Buffer | string; env?: object } = {}) =>
  spawnSync('npm', [...args], {
    cwd: PROJECT_ROOT,
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'buffer',
    timeout: 180_000,
  });

const CLIS = ['start', 'demo', 'send', 'review', 'classify', 'eval', 'bench'] as const;

const widest = (text: string) => Math.max(0, ...text.split('\n').map((l) => stringWidth(l)));

describe('every CLI explains itself', () => {
  it.each(CLIS)('npm run -s %s -- --help: usage on stdout, exit 0, fits 80 columns', (cli) => {
    const run = npm(['run', '-s', cli, '--', '--help']);
    const stdout = run.stdout.toString('utf8');
    expect(run.status, run.stderr.toString('utf8')).toBe(0);
    expect(stdout).toMatch(/^usage: npm (start|run)/);
    expect(widest(stdout), stdout).toBeLessThanOrEqual(80);
    expect(run.stderr.toString('utf8')).toBe('');
  });

  it('classify with no argument at a terminal prints its usage instead of waiting', () => {
    // script(1) gives the command a terminal, as a person typing it has.
    const run = spawnSync('script', ['-qec', 'npm run -s classify', '/dev/null'], {
      cwd: PROJECT_ROOT,
      input: '',
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('usage: npm run -s classify');
  });

  it('npm is not silenced for every command: without -s its banner shows, with -s only JSON', () => {
    expect(existsSync(`${PROJECT_ROOT}/.npmrc`)).toBe(false);
    const loud = npm(['run', 'classify', '--', '--help']).stdout.toString('utf8');
    expect(loud).toMatch(/^\s*> instagram-policy-guard@/m);
    const quiet = npm(['run', '-s', 'classify', '--', '夕日がきれい']);
    expect(quiet.status).toBe(0);
    const out = quiet.stdout.toString('utf8').trim().split('\n');
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ id: 'arg', action: 'allow' });
  });
});

describe('classify JSON Lines (DESIGN.md contract)', () => {
  it('answers every non-blank line with one line, in order, errors included', () => {
    const input = Buffer.concat([
      Buffer.from('{"id":"a","text":"黄金岬の夕日、今年も最高でした"}\n'),
      Buffer.from('\n   \n'),
      Buffer.from('not json\n'),
      Buffer.from('{"id":"b"}\n'),
      Buffer.from('{"id":7,"text":"スマホ1台で月30万💰 副業教えます！DMください"}\r\n'),
      Buffer.from('{"id":"c","text":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
      Buffer.from('[1,2]\n'),
      Buffer.from('{"id":"d","text":"--help"}'),
    ]);
    const run = npm(['run', '-s', 'classify'], { input });
    expect(run.status).toBe(1);
    const out = run.stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => o.id)).toEqual(['a', null, 'b', '7', null, null, 'd']);
    expect(out.map((o) => ('error' in o ? 'error' : o.action))).toEqual([
      'allow',
      'error',
      'error',
      expect.stringMatching(/review|hide|delete/),
      'error',
      'error',
      'allow',
    ]);
    expect(out[4]?.error).toMatch(/UTF-8/);
    expect(out[1]?.error).toMatch(/not JSON/);
    expect(out[2]?.error).toMatch(/"text"/);
  });

  const kinds = fc.oneof(
    fc.record({ kind: fc.constant('good'), id: fc.string(), text: fc.string() }),
    fc.record({ kind: fc.constant('blank'), spaces: fc.stringMatching(/^[ \t\r]{0,4}$/) }),
    fc.record({ kind: fc.constant('garbage'), bytes: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ kind: fc.constant('partial'), id: fc.oneof(fc.string(), fc.integer()) }),
  );
  const encode = (k: Record<string, unknown>): Buffer => {
    switch (k.kind) {
      case 'good':
        return Buffer.from(JSON.stringify({ id: k.id, text: k.text }));
      case 'blank':
        return Buffer.from(String(k.spaces));
      case 'partial':
        return Buffer.from(JSON.stringify({ id: k.id }));
      default:
        return Buffer.from((k.bytes as Uint8Array).filter((b) => b !== 0x0a));
    }
  };

  it('reads any byte stream as lines that line up with the input (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kinds, { maxLength: 30 }),
        fc.integer({ min: 1, max: 17 }),
        async (specs, chunkSize) => {
          const encoded = specs.map((k) => encode(k as Record<string, unknown>));
          const stream = Buffer.concat(encoded.flatMap((b) => [b, Buffer.from('\n')]));
          const chunks = async function* () {
            for (let i = 0; i < stream.length; i += chunkSize) {
              yield stream.subarray(i, i + chunkSize);
            }
          };
          const got: Buffer[] = [];
          for await (const line of lines(chunks())) got.push(line);
          expect(got.map((b) => b.toString('hex'))).toEqual(encoded.map((b) => b.toString('hex')));
          specs.forEach((spec, i) => {
            const bytes = encoded[i] as Buffer;
            if (isBlank(bytes)) return;
            const result = readLine(bytes);
            if (spec.kind === 'good') {
              expect(result).toEqual({ id: String(spec.id), text: spec.text });
            } else if ('error' in result) {
              expect(result.error).toHaveProperty('error');
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a runaway line instead of buffering it, and goes on', async () => {
    const huge = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    const chunks = async function* () {
      yield huge.subarray(0, 4096);
      yield huge.subarray(4096);
      yield Buffer.from('\n{"id":"x","text":"ok"}\n');
    };
    const got: Buffer[] = [];
    for await (const line of lines(chunks())) got.push(line);
    expect(got).toHaveLength(2);
    expect(readLine(got[0] as Buffer)).toEqual({
      error: { id: null, error: `line longer than ${MAX_LINE_BYTES} bytes` },
    });
    expect(readLine(got[1] as Buffer)).toEqual({ id: 'x', text: 'ok' });
  });
});

describe('the demo in an 80-column terminal', () => {
  it('passes its checks and prints no line wider than 80 cells', () => {
    const run = npm(['run', '-s', 'demo'], { env: { COLUMNS: '80' } });
    const stdout = run.stdout.toString('utf8');
    expect(run.status, stdout + run.stderr.toString('utf8')).toBe(0);
    expect(stdout).toContain('Demo complete: every check passed.');
    expect(stdout).toMatch(/personal info/);
    expect(widest(stdout), stdout).toBeLessThanOrEqual(80);
  });
});
