/** A trainer `npm run train -- <name>` can run: fits one learned part and writes its weights. */
interface Trainer {
  readonly name: string;
  readonly description: string;
  /** Arguments after the trainer's name. */
  run(args: string[]): Promise<void>;
}

export type { Trainer };
