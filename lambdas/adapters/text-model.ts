import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyzeDeps } from '../core/analyze';
import { decodeModel, ModelFormatError, type TextModel } from '../core/classifier/model';
import type { Policy } from '../core/policy/schema';
import type { Tokenizer } from '../core/tokenizer';

/**
 * Loads the learned second opinion's weights (trained by `npm run train`, committed under
 * `models/comment-classifier/`). In a Lambda bundle the directory is copied next to `index.mjs` as
 * `./model` (like kuromoji's `./dict`); locally it is read from the repository.
 */
const MODEL_DIR = 'models/comment-classifier';

const defaultModelDir = (): string => {
  const besideBundle = join(process.cwd(), 'model');
  if (existsSync(join(besideBundle, 'manifest.json'))) return besideBundle;
  return fileURLToPath(new URL(`../../${MODEL_DIR}/`, import.meta.url));
};

const loaded = new Map<string, TextModel>();

/**
 * Reads and checks the model once per process: the weights file must have the SHA-256 the manifest
 * records, so a truncated or swapped file fails the cold start instead of scoring nonsense.
 */
const loadTextModel = (dir: string = defaultModelDir()): TextModel => {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    weights?: { file?: unknown };
  };
  const file = manifest.weights?.file;
  if (typeof file !== 'string' || file.includes('/') || file.includes('\\')) {
    throw new ModelFormatError('model manifest: weights.file must be a plain file name');
  }
  const bytes = readFileSync(join(dir, file));
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== (manifest.weights as { sha256?: unknown }).sha256) {
    throw new ModelFormatError('model weights: SHA-256 does not match the manifest');
  }
  const model = decodeModel(manifest, bytes);
  loaded.set(dir, model);
  return model;
};

/**
 * The analyzer's dependencies for a policy: with the learned model when the policy's
 * `secondOpinion` names one (loaded once per process), the rules alone otherwise.
 */
const analyzeDeps = (
  policy: Policy,
  tokenizer: Tokenizer,
  options: { readonly rulesOnly?: boolean } = {},
): AnalyzeDeps =>
  policy.secondOpinion === undefined || options.rulesOnly === true
    ? { policy, tokenizer }
    : { policy, tokenizer, model: loadTextModel() };

export { analyzeDeps, defaultModelDir, loadTextModel, MODEL_DIR };
