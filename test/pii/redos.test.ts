import { describe, expect, it } from 'vitest';
import { PII_PATTERNS } from '../../lambdas/core/pii/patterns';
import { assertNoReDoS } from '../support/redos';

describe('personal-data patterns', () => {
  it('lists every pattern of the detector', () => {
    expect(PII_PATTERNS.length).toBeGreaterThan(40);
  });

  it('are free of catastrophic backtracking (recheck)', () => {
    assertNoReDoS(PII_PATTERNS);
  });
});
