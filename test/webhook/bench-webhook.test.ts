import { describe, expect, it } from 'vitest';
import { benchIngest } from '../../local/bench-webhook';

describe('benchIngest', () => {
  // Only that the benchmark still runs and reports every key; its numbers are never judged here.
  it('reports the ingestion figures', async () => {
    const figures = await benchIngest({ batchRuns: 1, ackRuns: 3 });
    expect(Object.keys(figures).sort()).toEqual([
      'ingest_ack_p50_ms',
      'ingest_ack_p99_ms',
      'ingest_batch1000_ms',
    ]);
    for (const value of Object.values(figures)) expect(value).toBeGreaterThan(0);
  });
});
