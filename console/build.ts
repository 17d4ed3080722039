import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, buildSync, type OutputFile } from 'esbuild';
import type { ConsoleConfig } from './src/config';

/**
 * Builds the staff console from `console/` with esbuild (already the project's bundler for the
 * Lambdas): Preact and Chart.js from node_modules, bundled into one script and one stylesheet, no
 * CDN and no network. Takes well under a second, so `npm start` builds it at every start and the
 * CDK asset builds it at synth; built files are never committed.
 */

const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));

interface BuiltFile {
  /** Path below the console root, e.g. `assets/console.js`. */
  readonly path: string;
  readonly body: Uint8Array;
}

const options = (): BuildOptions => ({
  entryPoints: { console: join(CONSOLE_DIR, 'src/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  outdir: '/console-out/assets',
  write: false,
  logLevel: 'silent',
});

const collect = (outputs: readonly OutputFile[], config?: ConsoleConfig): BuiltFile[] => {
  const files: BuiltFile[] = outputs.map((f) => ({
    path: `assets/${f.path.slice(f.path.lastIndexOf('/') + 1)}`,
    body: f.contents,
  }));
  files.push({
    path: 'index.html',
    body: readFileSync(join(CONSOLE_DIR, 'index.html')),
  });
  if (config) {
    files.push({ path: 'config.json', body: Buffer.from(`${JSON.stringify(config)}\n`, 'utf8') });
  }
  return files;
};

/** In memory, for the local server. */
const buildConsole = async (config?: ConsoleConfig): Promise<BuiltFile[]> =>
  collect((await build(options())).outputFiles ?? [], config);

/** Synchronously into a folder, for the CDK asset's local bundling (config comes at deploy). */
const buildConsoleInto = (outDir: string): void => {
  for (const file of collect(buildSync(options()).outputFiles ?? [])) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
};

export type { BuiltFile, ConsoleConfig };
export { buildConsole, buildConsoleInto, CONSOLE_DIR };
