/**
 * Everything `npm run train` can train, by name. A trainer reads named files from
 * `shared/datasets/dev`, writes its weights and manifest under `models/`, and must reproduce them
 * byte for byte from the same files and seed (each has a test that retrains and compares).
 */
interface TrainContext {
  /** The `shared/datasets/dev` folder. */
  readonly datasets: string;
  /** The repository root; outputs go under `models/`. */
  readonly root: string;
  /** Compare with the committed files instead of writing them. */
  readonly check: boolean;
  readonly log: (line: string) => void;
}

interface Trainer {
  readonly description: string;
  /** Returns false when `check` found the committed files out of date. */
  readonly run: (context: TrainContext) => Promise<boolean>;
}

const TRAINERS: Readonly<Record<string, () => Promise<Trainer>>> = {
  classifier: async () => (await import('./classifier-trainer')).classifierTrainer,
};

export type { TrainContext, Trainer };
export { TRAINERS };
