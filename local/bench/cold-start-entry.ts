import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyzeDeps } from '../../lambdas/adapters/text-model';
import { analyze } from '../../lambdas/core/analyze';

/**
 * Entry of the cold-start benchmark, bundled by esbuild like the classify Lambda and run in a fresh
 * process: everything the classify function does before its first decision. `performance.now()`
 * counts from the start of the process, so module loading is included.
 */
const imported = performance.now();
const tokenizer = await loadTokenizer();
const tokenizerReady = performance.now();
const deps = analyzeDeps(loadPolicy('rumoi'), tokenizer, {
  rulesOnly: process.argv.includes('--rules-only'),
});
const depsReady = performance.now();
analyze('留萌の夕日、今日もきれいでした。除雪ありがとうございます', deps);
const decided = performance.now();
process.stdout.write(
  `${JSON.stringify({
    import_ms: imported,
    tokenizer_ms: tokenizerReady - imported,
    policy_and_model_ms: depsReady - tokenizerReady,
    first_decision_ms: decided - depsReady,
    cold_start_ms: decided,
  })}\n`,
);
