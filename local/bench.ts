import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTokenizer } from '../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../lambdas/adapters/policy';
import { analyzeDeps } from '../lambdas/adapters/text-model';
import { analyze } from '../lambdas/core/analyze';
import { benchColdStart } from './bench/cold-start';
import { readDataset } from './cli/dataset';
import { HOSTILE_INPUTS } from './cli/hostile-inputs';
import { runCli } from './cli/run';

/**
 * `npm run bench -- [--json]`: throughput and latency figures (keys in DESIGN.md). A benchmark, not a
 * test: it reports numbers and never fails on them.
 */

const DEV_FILES = [
  'municipal-synthetic.jsonl',
  'seeded-pii.jsonl',
  'inspection-ai-toxic.jsonl',
  'rtp-lx-ja.jsonl.gz',
];

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const findDatasets = (): string => {
  for (const candidate of ['../shared/datasets/dev', 'shared/datasets/dev']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find shared/datasets/dev next to the project');
};

const benchClassifier = async () => {
  const loadStarted = performance.now();
  const tokenizer = await loadTokenizer();
  const tokenizer_load_ms = performance.now() - loadStarted;
  const deps = analyzeDeps(loadPolicy('rumoi'), tokenizer);

  const folder = findDatasets();
  const texts = DEV_FILES.flatMap((f) => readDataset(join(folder, f)).map((r) => r.text));
  for (const text of texts.slice(0, 200)) analyze(text, deps); // warm-up: JIT and caches

  let processed = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    for (const text of texts) analyze(text, deps);
    processed += texts.length;
  }
  const classify_comments_per_s = processed / ((performance.now() - started) / 1000);

  const worst: Record<string, number> = {};
  for (const { name, text } of HOSTILE_INPUTS) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      analyze(text, deps);
      times.push(performance.now() - t0);
    }
    worst[name] = median(times);
  }
  const classify_worst_case_ms = Math.max(...Object.values(worst));
  return {
    tokenizer_load_ms,
    classify_comments_per_s,
    classify_worst_case_ms,
    worst,
    comments: texts.length,
  };
};

type Figures = Record<string, number>;

/** The pipeline benchmarks live next to the runtime they measure; load them when present. */
const benchPipeline = async (): Promise<Figures> => {
  const figures: Figures = {};
  const e2e = new URL('./bench-e2e.ts', import.meta.url);
  if (existsSync(e2e)) {
    const { benchEndToEnd } = (await import(e2e.href)) as {
      benchEndToEnd: () => Promise<Figures>;
    };
    Object.assign(figures, await benchEndToEnd());
  }
  return figures;
};

const USAGE = `usage: npm run bench -- [--json] [--classifier-only]

Throughput and latency figures on this machine: the classifier on the dev
datasets and worst-case inputs, then the whole local pipeline end to end.

  --json              one JSON object (keys in DESIGN.md)
  --classifier-only   skip the pipeline benchmarks
  -h, --help          this help
`;

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      'classifier-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const classifier = await benchClassifier();
  const coldStart = await benchColdStart(DEV_FILES.map((f) => resolve(findDatasets(), f)));
  const pipeline = values['classifier-only'] ? {} : await benchPipeline();
  const figures: Figures = {
    classify_comments_per_s: Math.round(classifier.classify_comments_per_s),
    classify_worst_case_ms: Number(classifier.classify_worst_case_ms.toFixed(2)),
    tokenizer_load_ms: Math.round(classifier.tokenizer_load_ms),
    ...coldStart,
    ...pipeline,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const lines = [`classifier on ${classifier.comments} dev comments (one core, tokenizer loaded):`];
  for (const [key, value] of Object.entries(figures)) lines.push(`  ${key.padEnd(26)} ${value}`);
  lines.push('worst-case inputs (10,000 characters, median of 5 runs, ms):');
  for (const [name, ms] of Object.entries(classifier.worst))
    lines.push(`  ${name.padEnd(26)} ${ms.toFixed(2)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
};

runCli('bench', main, { failureCode: 2 });
