import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchColdStart } from '../../local/bench/cold-start';

/**
 * The cold-start bench builds the classifier bundle as the Lambda's is built and runs it in a folder
 * laid out like the task root. This checks the layout still works (policy packs, dictionary, model
 * found beside the bundle); the figures themselves belong to `npm run bench`, not to a test.
 */
describe('classify cold-start bench', () => {
  it('runs the bundle with and without the model and reports every figure', async () => {
    const dev = join(__dirname, '../../../shared/datasets/dev/municipal-synthetic.jsonl');
    const figures = await benchColdStart([dev], 1);
    expect(Object.keys(figures).sort()).toEqual(
      [
        'classify_bundled_comments_per_s',
        'classify_cold_start_import_ms',
        'classify_cold_start_ms',
        'classify_cold_start_model_ms',
        'classify_cold_start_rules_only_ms',
      ].sort(),
    );
    for (const value of Object.values(figures)) expect(value).toBeGreaterThan(0);
  }, 120_000);
});
