import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import {
  loadPolicyPack,
  PACK_ROOTS,
  PolicyError,
  packChain,
  policyPackFromEnv,
} from '../../lambdas/adapters/policy';
import { assertSafePatterns } from '../../lambdas/adapters/policy-redos';
import { analyze } from '../../lambdas/core/analyze';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import { fromJst } from '../../lambdas/core/calendar/jst';
import { applyOverlay } from '../../lambdas/core/policy/pack';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

/**
 * Policy packs chosen by name: every folder of `policies/` loads through the one schema and passes
 * the ReDoS gate, and the example town's overlay changes exactly what it says it changes.
 */

const PACKS = readdirSync(PACK_ROOTS[0] ?? '').filter((name) => !name.startsWith('.'));

describe('every policy pack in the repository', () => {
  it('includes Rumoi and the example town', () => {
    expect(PACKS).toEqual(expect.arrayContaining(['rumoi', 'example-town']));
  });

  it.each(PACKS)('%s loads, names itself, and every pattern is ReDoS-safe', (name) => {
    const pack = loadPolicyPack(name);
    expect(pack.policy.id).toBe(name);
    expect(pack.officeHours.policyId).toBe(name);
    expect(pack.policy.categories).toHaveLength(11);
    assertSafePatterns(pack.policy);
  });
});

describe('the example town overlay', () => {
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    tokenizer = await loadTokenizer();
  }, 60_000);

  const rumoi = () => loadPolicyPack('rumoi').policy;
  const town = () => loadPolicyPack('example-town').policy;

  it('extends Rumoi: same rules, its own id and version, two more trusted sites', () => {
    expect(packChain('example-town')).toEqual(['example-town', 'rumoi']);
    expect(town().version).not.toBe(rumoi().version);
    expect(town().categories.flatMap((c) => c.rules)).toEqual(
      rumoi().categories.flatMap((c) => c.rules),
    );
    expect(town().links.allowlist).toEqual([
      ...rumoi().links.allowlist,
      'town.kakuu.example',
      'kakuu-matsuri.info',
    ]);
  });

  it('sends political campaigning to a person instead of hiding it', () => {
    const text = '今度の選挙は〇〇党に清き一票を！投票お願いします';
    const inRumoi = analyze(text, { policy: rumoi(), tokenizer });
    const inTown = analyze(text, { policy: town(), tokenizer });
    expect(inRumoi.categories.map((c) => c.id)).toEqual(['3']);
    expect(inRumoi.action).toBe('hide');
    expect(inTown.categories.map((c) => c.id)).toEqual(['3']);
    expect(inTown.action).toBe('review');
    expect(inTown.policyVersion).toBe(town().version);
  });

  it('trusts the festival site that Rumoi flags for its top-level domain', () => {
    const text = '夏祭りの申し込みは https://kakuu-matsuri.info/apply から';
    expect(analyze(text, { policy: rumoi(), tokenizer }).action).toBe('review');
    expect(analyze(text, { policy: town(), tokenizer })).toMatchObject({
      action: 'allow',
      categories: [],
    });
  });

  it('keeps its own office hours: Saturday morning open, weekday evening closed', () => {
    const townHours = createBusinessCalendar(loadPolicyPack('example-town').officeHours);
    const rumoiHours = createBusinessCalendar(loadPolicyPack('rumoi').officeHours);
    const saturday = fromJst(2026, 11, 28, 10, 0); // a Saturday, not a holiday
    const weekdayEvening = fromJst(2026, 11, 26, 16, 30); // Thursday 16:30
    expect(townHours.isOpen(saturday)).toBe(true);
    expect(rumoiHours.isOpen(saturday)).toBe(false);
    expect(townHours.isOpen(weekdayEvening)).toBe(false);
    expect(rumoiHours.isOpen(weekdayEvening)).toBe(true);
    expect(loadPolicyPack('example-town').officeHours.offHours.review).toBe('review');
  });
});

describe('pack loading refuses what it cannot trust', () => {
  it('names a missing pack, a bad name, and a missing POLICY_PACK', () => {
    expect(() => loadPolicyPack('no-such-town')).toThrow(/unknown policy pack no-such-town/);
    expect(() => loadPolicyPack('../rumoi')).toThrow(PolicyError);
    expect(() => policyPackFromEnv({})).toThrow(/POLICY_PACK/);
    expect(() => policyPackFromEnv({ POLICY_PACK: 'Rumoi City' })).toThrow(/not a pack name/);
    expect(policyPackFromEnv({ POLICY_PACK: 'example-town' })).toBe('example-town');
  });

  it('refuses an overlay with a field it does not know, or two changes to one category', () => {
    const base = { id: 'x', links: { allowlist: ['a.example'] }, categories: [] };
    const overlay = { extends: 'rumoi', id: 'y', version: '1' };
    expect(() => applyOverlay(base, { ...overlay, colour: 'red' })).toThrow();
    expect(() =>
      applyOverlay(base, {
        ...overlay,
        categories: { '3': { reviewOnly: true, actions: [{ minScore: 0.5, action: 'hide' }] } },
      }),
    ).toThrow(/either actions or reviewOnly/);
    expect(applyOverlay(base, overlay)).toEqual({ ...base, id: 'y', version: '1' });
  });
});
