/**
 * Prepended to every ESM bundle (the Lambda functions, the cold-start benchmark). Some dependencies
 * are CommonJS and expect `require`, `__filename` and `__dirname`, which an ES module does not have:
 * kuromoji calls `require`, and synckit (under recheck) computes its folder from `__dirname` when it
 * is defined and from an `import.meta.url` that esbuild empties in CommonJS code otherwise, which
 * threw at import.
 */
const ESM_BUNDLE_BANNER = [
  "import { createRequire as __pgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __pgFileURLToPath } from 'node:url';",
  "import { dirname as __pgDirname } from 'node:path';",
  'const require = __pgCreateRequire(import.meta.url);',
  'const __filename = __pgFileURLToPath(import.meta.url);',
  'const __dirname = __pgDirname(__filename);',
].join(' ');

export { ESM_BUNDLE_BANNER };
