import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { MODEL_DIR } from '../../lambdas/adapters/text-model';
import { createAnalyzer } from '../cli/analyzer';
import { trainClassifier, WEIGHTS_FILE } from './classifier';
import type { Trainer } from './registry';
import type { Thresholds } from './thresholds';

const sameBytes = (path: string, bytes: Uint8Array | string): boolean =>
  existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(bytes)) === 0;

/** What the policy's `secondOpinion` must say for this model (the thresholds chosen by CV). */
const policyDrift = (name: string, version: string, thresholds: Thresholds): string[] => {
  const config = loadPolicy('rumoi').secondOpinion;
  if (config === undefined) return ['policies/rumoi: no secondOpinion section'];
  const drift: string[] = [];
  if (config.model.name !== name || config.model.version !== version) {
    drift.push(`secondOpinion.model should be {"name": "${name}", "version": "${version}"}`);
  }
  if (config.alone.minScore !== thresholds.alone) {
    drift.push(`secondOpinion.alone.minScore should be ${thresholds.alone}`);
  }
  const naming = JSON.stringify(thresholds.aloneCategories);
  const currentNaming = JSON.stringify(
    config.alone.categories.map((c) => ({ id: c.id, minScore: c.minScore })),
  );
  if (naming !== currentNaming) {
    drift.push(`secondOpinion.alone.categories should be ${naming} (ids, minScores)`);
  }
  if ((config.confirm?.minScore ?? null) !== thresholds.confirm) {
    drift.push(
      thresholds.confirm === null
        ? 'secondOpinion.confirm should be absent'
        : `secondOpinion.confirm.minScore should be ${thresholds.confirm}`,
    );
  }
  const heads = JSON.stringify(thresholds.categories);
  const current = JSON.stringify(
    config.categories.map((c) => ({ id: c.id, minScore: c.minScore })),
  );
  if (heads !== current) drift.push(`secondOpinion.categories should be ${heads} (ids, minScores)`);
  return drift;
};

const classifierTrainer: Trainer = {
  description: 'learned second opinion of the comment classifier (models/comment-classifier)',
  run: async ({ datasets, root, check, log }) => {
    const rules = await createAnalyzer('rumoi', { rulesOnly: true });
    const out = trainClassifier(datasets, await loadTokenizer(), (text) => {
      const a = rules(text);
      return { categories: a.categories, action: a.action };
    });
    const dir = join(root, MODEL_DIR);
    const manifest = `${JSON.stringify(out.manifest, null, 2)}\n`;
    const weightsPath = join(dir, WEIGHTS_FILE);
    const manifestPath = join(dir, 'manifest.json');
    log(`model ${out.header.name}@${out.header.version}, ${out.bytes.length} bytes of weights`);
    const { thresholds } = out.selection;
    log(
      `thresholds (cross-validated): alone ${thresholds.alone}; trusted heads ${
        thresholds.categories.map((c) => `${c.id}@${c.minScore}`).join(', ') || 'none'
      }; naming heads for the model's own flags ${
        thresholds.aloneCategories.map((c) => `${c.id}@${c.minScore}`).join(', ') || 'none'
      }; rules' removals confirmed at ${thresholds.confirm ?? 'none'}`,
    );
    if (check) {
      const ok = sameBytes(weightsPath, out.bytes) && sameBytes(manifestPath, manifest);
      log(ok ? 'committed weights and manifest are up to date' : 'committed files differ');
      return ok;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(weightsPath, out.bytes);
    writeFileSync(manifestPath, manifest);
    log(`wrote ${weightsPath} and ${manifestPath}`);
    for (const line of policyDrift(out.header.name, out.header.version, thresholds)) {
      log(`policy: ${line}`);
    }
    return true;
  },
};

export { classifierTrainer };
