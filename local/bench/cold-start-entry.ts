import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { analyzeDeps, loadTextModel } from '../../lambdas/adapters/text-model';
import { analyze } from '../../lambdas/core/analyze';

/**
 * Entry of the cold-start benchmark, bundled by esbuild like the classify Lambda and run in a fresh
 * process: everything the classify function does before its first decision. `performance.now()`
 * counts from the start of the process, so module loading is included.
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
process.stdout.write(
  `${JSON.stringify({
    import_ms: imported,
    tokenizer_ms: tokenizerReady - imported,
    policy_ms: policyReady - tokenizerReady,
    model_ms: modelReady - policyReady,
    first_decision_ms: decided - modelReady,
    cold_start_ms: decided,
  })}\n`,
);
