import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MODEL_DIR } from '../../lambdas/adapters/text-model';
import { ESM_BUNDLE_BANNER } from '../../lib/esm-banner';

/**
 * `classify_cold_start_ms`: a fresh Node process loads an esbuild bundle of the classifier (built
 * the way the classify Lambda is: ESM, minified), the IPADIC dictionary, the policy and the learned
 * model, and makes its first decision. The process runs in a folder laid out like the Lambda task
 * root (`./dict`, `./model`, `./policies` beside the bundle). Median of `runs`, with and without the model,
 * interleaved so that a busy host affects both alike.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ColdStart {
  readonly import_ms: number;
  readonly tokenizer_ms: number;
  readonly policy_ms: number;
  readonly model_ms: number;
  readonly first_decision_ms: number;
  readonly cold_start_ms: number;
  readonly comments_per_s?: number;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const runOnce = (
  dir: string,
  rulesOnly: boolean,
  throughput: readonly string[] = [],
): ColdStart => {
  const result = spawnSync(
    process.execPath,
    [
      '--max-semi-space-size=64',
      join(dir, 'index.mjs'),
      ...(rulesOnly ? ['--rules-only'] : []),
      ...(throughput.length > 0 ? ['--throughput', ...throughput] : []),
    ],
    { cwd: dir, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    // The end of stderr holds the error; its start is the minified line the error points into.
    throw new Error(`cold-start run failed: ${result.stderr.trim().slice(-400)}`);
  }
  return JSON.parse(result.stdout.trim()) as ColdStart;
};

/**
 * Also `classify_bundled_comments_per_s`: the throughput of the same bundle over `throughput` (the
 * dev files of `classify_comments_per_s`), i.e. the code as the Lambda runs it, without tsx.
 */
const benchColdStart = async (throughput: readonly string[], runs = 5) => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-guard-cold-'));
  try {
    await build({
      entryPoints: [join(ROOT, 'local/bench/cold-start-entry.ts')],
      outfile: join(dir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      minify: true,
      banner: { js: ESM_BUNDLE_BANNER },
      logLevel: 'silent',
    });
    const kuromoji = dirname(createRequire(import.meta.url).resolve('kuromoji/package.json'));
    symlinkSync(join(kuromoji, 'dict'), join(dir, 'dict'));
    // As in the Lambda task root: the policy packs beside the bundle, found from the working folder.
    symlinkSync(join(ROOT, 'policies'), join(dir, 'policies'));
    mkdirSync(join(dir, 'model'));
    for (const file of ['manifest.json', 'weights.bin']) {
      symlinkSync(join(ROOT, MODEL_DIR, file), join(dir, 'model', file));
    }
    const withModel: ColdStart[] = [];
    const rulesOnly: ColdStart[] = [];
    for (let i = 0; i < runs; i++) {
      withModel.push(runOnce(dir, false));
      rulesOnly.push(runOnce(dir, true));
    }
    const bundled = runOnce(dir, false, throughput).comments_per_s ?? 0;
    const pick = (xs: ColdStart[], key: Exclude<keyof ColdStart, 'comments_per_s'>) =>
      Number(median(xs.map((x) => x[key])).toFixed(1));
    return {
      classify_cold_start_ms: pick(withModel, 'cold_start_ms'),
      classify_cold_start_rules_only_ms: pick(rulesOnly, 'cold_start_ms'),
      classify_cold_start_import_ms: pick(withModel, 'import_ms'),
      classify_cold_start_model_ms: pick(withModel, 'model_ms'),
      classify_bundled_comments_per_s: Math.round(bundled),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export { benchColdStart };
