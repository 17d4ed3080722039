import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyzeDeps, loadTextModel } from '../../lambdas/adapters/text-model';
import { analyze } from '../../lambdas/core/analyze';
import { readDataset } from '../cli/dataset';

/**
 * Entry of the bundled benchmarks, bundled by esbuild like the classify Lambda and run in a fresh
 * process: everything the classify function does before its first decision (`performance.now()`
 * counts from the start of the process, so module loading is included), then, given
 * `--throughput FILE...`, comments per second over those files as the bundle runs them.
 */
const imported = performance.now();
const tokenizer = await loadTokenizer();
const tokenizerReady = performance.now();
const policy = loadPolicy('rumoi');
const policyReady = performance.now();
const rulesOnly = process.argv.includes('--rules-only');
if (!rulesOnly) loadTextModel();
const modelReady = performance.now();
const deps = analyzeDeps(policy, tokenizer, { rulesOnly });
analyze('留萌の夕日、今日もきれいでした。除雪ありがとうございます', deps);
const decided = performance.now();
const files = process.argv.includes('--throughput')
  ? process.argv.slice(process.argv.indexOf('--throughput') + 1)
  : [];
let comments_per_s: number | undefined;
if (files.length > 0) {
  const texts = files.flatMap((file) => readDataset(file).map((row) => row.text));
  for (const text of texts.slice(0, 200)) analyze(text, deps);
  let processed = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    for (const text of texts) analyze(text, deps);
    processed += texts.length;
  }
  comments_per_s = processed / ((performance.now() - started) / 1000);
}
process.stdout.write(
  `${JSON.stringify({
    ...(comments_per_s !== undefined ? { comments_per_s } : {}),
    import_ms: imported,
    tokenizer_ms: tokenizerReady - imported,
    policy_ms: policyReady - tokenizerReady,
    model_ms: modelReady - policyReady,
    first_decision_ms: decided - modelReady,
    cold_start_ms: decided,
  })}\n`,
);
