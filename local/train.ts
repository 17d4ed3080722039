import { runCli } from './cli/run';
import { TRAINERS } from './train/registry';

/**
 * `npm run train -- [which] [options]`: fits the project's learned parts from the dev files and
 * writes their weights and manifests. With no name, every trainer runs in turn.
 */
const main = async (): Promise<number> => {
  const [which, ...rest] = process.argv.slice(2);
  const chosen =
    which === undefined || which.startsWith('-')
      ? TRAINERS
      : TRAINERS.filter((t) => t.name === which);
  if (chosen.length === 0) {
    process.stderr.write(
      `unknown trainer ${which}; known: ${TRAINERS.map((t) => `${t.name} (${t.description})`).join(', ')}\n`,
    );
    return 2;
  }
  for (const trainer of chosen)
    await trainer.run(which === undefined || which.startsWith('-') ? process.argv.slice(2) : rest);
  return 0;
};

runCli('train', main, { failureCode: 2 });
