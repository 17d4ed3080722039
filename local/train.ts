import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCli } from './cli/run';
import { TRAINERS } from './train/registry';

/**
 * `npm run train -- [name...] [--check]`: trains the learned parts (all of them when no name is
 * given) from the files in `shared/datasets/dev` and writes weights and manifests under `models/`.
 * `--check` retrains and compares with the committed files without writing anything.
 */
const USAGE = `usage: npm run train -- [${Object.keys(TRAINERS).join('|')}] [--check] [--datasets DIR]\n`;

const findDatasets = (given: string | undefined): string => {
  for (const candidate of given ? [given] : ['../shared/datasets/dev', 'shared/datasets/dev']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find shared/datasets/dev next to the project (give --datasets DIR)');
};

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      datasets: { type: 'string' },
    },
  });
  const names = positionals.length > 0 ? positionals : Object.keys(TRAINERS);
  const unknown = names.filter((n) => !(n in TRAINERS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown trainer ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const datasets = findDatasets(values.datasets);
  const root = fileURLToPath(new URL('..', import.meta.url));
  let upToDate = true;
  for (const name of names) {
    const load = TRAINERS[name];
    if (load === undefined) continue;
    const trainer = await load();
    process.stdout.write(`${name}: ${trainer.description}\n`);
    const ok = await trainer.run({
      datasets,
      root,
      check: values.check,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    upToDate &&= ok;
  }
  return upToDate ? 0 : 1;
};

runCli('train', main, { failureCode: 2 });
