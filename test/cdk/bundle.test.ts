import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/pipeline-function';
import { DEFAULT_ENTRIES } from '../../lib/stateless-stack';

/**
 * `npm run synth` end to end: the CDK CLI runs bin/app.ts, bundles every handler with the local
 * esbuild and writes the cloud assembly, with no AWS account, credentials or network.
 */
let outdir: string;
let synth: { status: number | null; output: string };
/** Lambda logical id prefix -> its bundle directory in the assembly. */
const bundles = new Map<string, string>();

const withoutAws = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
  return {
    ...clean,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
};

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'policy-guard-synth-'));
  const result = spawnSync(
    'npx',
    ['--no-install', 'cdk', 'synth', '--quiet', '--no-notices', '--output', outdir],
    { cwd: PROJECT_ROOT, env: withoutAws(process.env), encoding: 'utf8', timeout: 170_000 },
  );
  synth = { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  if (result.status !== 0) return;
  const template = JSON.parse(
    readFileSync(join(outdir, 'PolicyGuardStateless.template.json'), 'utf8'),
  ) as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };
  for (const [id, r] of Object.entries(template.Resources)) {
    // CDK's own BucketDeployment provider (staff console files) is not one of our bundles.
    if (r.Type !== 'AWS::Lambda::Function' || id.startsWith('CustomCDKBucketDeployment')) continue;
    const hash = r.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    if (hash) bundles.set(id, join(outdir, `asset.${hash}`));
  }
}, 180_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const bundleOf = (prefix: string): string => {
  const match = [...bundles].filter(([id]) => id.startsWith(prefix));
  expect(match, prefix).toHaveLength(1);
  return (match[0] as [string, string])[1];
};

describe('npm run synth', () => {
  it('builds from the real handler files, no stand-ins', () => {
    for (const entry of Object.values(DEFAULT_ENTRIES)) expect(existsSync(entry), entry).toBe(true);
  });

  it('synthesises offline without an AWS account', () => {
    expect(synth.output).not.toMatch(/ValidationFailed|Error:/);
    expect(synth.status).toBe(0);
  });

  it('bundles every function as an ES module with source maps', () => {
    expect(bundles.size).toBe(Object.keys(DEFAULT_ENTRIES).length);
    for (const [id, dir] of bundles) {
      const files = readdirSync(dir);
      expect(files, id).toContain('index.mjs');
      expect(files, id).toContain('index.mjs.map');
      // CommonJS dependencies need `require`, which an ES module does not have.
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8').slice(0, 200), id).toMatch(
        /createRequire/,
      );
    }
  });

  it('ships the morphological dictionary next to the functions that analyse text only', () => {
    // The data-request function finds a person's value in queued comments as the classifier does.
    const analysers = ['Classify', 'DataRequestFunction'];
    for (const analyser of analysers) {
      const files = readdirSync(join(bundleOf(analyser), 'dict'));
      for (const name of ['base.dat.gz', 'check.dat.gz', 'tid.dat.gz', 'unk.dat.gz', 'cc.dat.gz']) {
        expect(files, analyser).toContain(name);
      }
    }
    for (const [id, dir] of bundles) {
      if (analysers.some((a) => id.startsWith(a))) continue;
      expect(existsSync(join(dir, 'dict')), id).toBe(false);
    }
  });

  it('ships the configured policy pack beside the functions that apply it, and no ReDoS analyser', () => {
    for (const prefix of ['Classify', 'ReviewApiFunction', 'DailyDigest']) {
      const dir = bundleOf(prefix);
      expect(readdirSync(join(dir, 'policies')), prefix).toEqual(['rumoi']);
      expect(readdirSync(join(dir, 'policies', 'rumoi')).sort(), prefix).toEqual([
        'office-hours.json',
        'policy.json',
      ]);
    }
    for (const [id, dir] of bundles) {
      // recheck (~2.6 MB) checks policies in the test suite only; no function runs it.
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8'), id).not.toContain('recheck-core');
    }
  });

  it('ships the learned classifier model next to the classifier only, within its size budget', () => {
    const model = join(bundleOf('Classify'), 'model');
    expect(readdirSync(model).sort()).toEqual(['manifest.json', 'weights.bin']);
    const manifest = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8')) as {
      weights: { sha256: string };
    };
    const weights = readFileSync(join(model, 'weights.bin'));
    expect(createHash('sha256').update(weights).digest('hex')).toBe(manifest.weights.sha256);
    // The budget: the model may grow the classify bundle by 5 MB at most.
    expect(weights.length + readFileSync(join(model, 'manifest.json')).length).toBeLessThan(
      5 * 1024 * 1024,
    );
    for (const [id, dir] of bundles) {
      if (id.startsWith('Classify')) continue;
      expect(existsSync(join(dir, 'model')), id).toBe(false);
    }
  });

  it('produces bundles that load and export a handler', () => {
    // Imported from an ES module, as the Lambda runtime does: a CommonJS caller (node -e) would
    // lend the bundle its global __dirname and hide a dependency that needs one.
    const script = `
      import { pathToFileURL } from 'node:url';
      const dirs = JSON.parse(process.argv[1]);
      const out = {};
      for (const [id, dir] of Object.entries(dirs)) {
        const mod = await import(pathToFileURL(dir + '/index.mjs').href);
        out[id] = typeof mod.handler;
      }
      console.log(JSON.stringify(out));`;
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(Object.fromEntries(bundles))],
      { env: withoutAws(process.env), encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const types = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<
      string,
      string
    >;
    expect(Object.values(types)).toEqual([...bundles.keys()].map(() => 'function'));
  });
});
