import { checkSync } from 'recheck';
import { expect } from 'vitest';

/**
 * Asserts that every pattern is free of catastrophic backtracking according to recheck. `unknown`
 * (recheck gave up) counts as a failure: a pattern too complex to analyse is too complex to ship.
 * The seed is fixed so a fuzzing verdict cannot flip between runs.
 */
const assertNoReDoS = (patterns: readonly RegExp[]): void => {
  const failures: string[] = [];
  for (const pattern of patterns) {
    const diagnostics = checkSync(pattern.source, pattern.flags, {
      randomSeed: 42,
      timeout: 10_000,
    });
    if (diagnostics.status !== 'safe') {
      const detail =
        diagnostics.status === 'vulnerable'
          ? `${diagnostics.complexity.type}, attack ${JSON.stringify(diagnostics.attack.pattern)}`
          : diagnostics.error.kind;
      failures.push(`/${pattern.source}/${pattern.flags}: ${diagnostics.status} (${detail})`);
    }
  }
  expect(failures).toEqual([]);
};

export { assertNoReDoS };
