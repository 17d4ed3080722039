import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from '../../local/runtime/pipeline';
import { commentChange, deliveryBody, signBody } from '../support/webhook-fixtures';

/**
 * The second, example policy pack end to end: `npm start` with `POLICY_PACK=example-town` is this
 * pipeline. Signed deliveries in, decisions out through the read API, the town's rules applied.
 */

const SECRET = 'pack-e2e-secret';
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    settings: {
      port: 0,
      appSecrets: [SECRET],
      verifyToken: 'pack-e2e-token',
      pseudonymKey: 'pack-e2e-pseudonym-key-0123',
      policyPack: 'example-town',
    },
    logLevel: 'SILENT',
  });
});
afterAll(async () => {
  await pipeline?.stop({ drainMs: 2_000 });
});

const decide = async (text: string): Promise<Record<string, unknown>> => {
  const change = commentChange({ text, from: { id: '17841455500000777' } });
  const body = deliveryBody({
    entries: [{ accountId: '17841400000000001', time: 1_764_150_000, changes: [change] }],
  });
  const ack = await fetch(`http://127.0.0.1:${pipeline.port}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
    body,
  });
  expect(ack.status).toBe(200);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${pipeline.port}/api/decisions/${change.commentId}`);
    if (res.status === 200) {
      const decision = (await res.json()) as Record<string, unknown>;
      if (decision.actionStatus !== 'pending') return decision;
    } else await res.arrayBuffer();
    if (Date.now() > deadline) throw new Error('no decision');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('POLICY_PACK=example-town, end to end', () => {
  it('loads the town pack, not Rumoi', () => {
    expect(pipeline.policy.id).toBe('example-town');
  });

  it('sends campaigning to review under the town version, visible whatever the hour', async () => {
    const d = await decide('今度の選挙は〇〇党に清き一票を！投票お願いします');
    expect(d.action).toBe('review');
    expect((d.categories as { id: string }[]).map((c) => c.id)).toEqual(['3']);
    expect(d.policyVersion).toBe('2026-01-15.0');
    // The town leaves a review decision visible off hours (Rumoi hides it until a person looks).
    expect(d.interimAction).toBeUndefined();
    expect(d.actionStatus).toBe('none');
  });

  it('allows a link to the festival site the town trusts', async () => {
    const d = await decide('夏祭りの申し込みは https://kakuu-matsuri.info/apply から');
    expect(d.action).toBe('allow');
    expect(d.categories).toEqual([]);
  });

  it('still hides what no town keeps up: a threat to staff', async () => {
    const d = await decide('この職員の顔ムカつく。次見かけたらぶん殴る');
    expect(['hide', 'delete']).toContain(d.action);
    expect(d.actionStatus).toBe('dry_run');
  });
});
