import { describe, expect, it } from 'vitest';
import { loadPolicy, PolicyError, parsePolicy } from '../../lambdas/adapters/policy';
import { parseCheckedPolicy } from '../../lambdas/adapters/policy-redos';
import { compilePolicy, policyPatterns } from '../../lambdas/core/classifier/compile';
import { LINK_PATTERNS } from '../../lambdas/core/classifier/links';
import { CATEGORY_IDS } from '../../lambdas/core/contracts/decision';
import { policySchema } from '../../lambdas/core/policy/schema';
import { NORMALIZER_PATTERNS } from '../../lambdas/core/text/normalize';
import rumoi from '../../policies/rumoi/policy.json';
import { assertNoReDoS } from '../support/redos';

const clone = (): Record<string, unknown> => structuredClone(rumoi) as Record<string, unknown>;

describe('bundled Rumoi policy', () => {
  const policy = loadPolicy('rumoi');

  it('has the 11 article 6 categories with Japanese titles, each with rules and actions', () => {
    expect(policy.categories.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    for (const category of policy.categories) {
      expect(category.title).toMatch(/[\p{sc=Han}\p{sc=Hiragana}]/u);
      expect(category.rules.length).toBeGreaterThan(0);
      expect(category.actions[0]?.action).toBe('review');
    }
    expect(policy.categories[1]?.title).toBe('特定の個人・団体等を誹謗中傷するもの');
  });

  it('allowlists the city’s own sites and keeps a retention period and a version', () => {
    expect(policy.links.allowlist).toEqual(
      expect.arrayContaining(['city.rumoi.lg.jp', 'instagram.com/rumoi_official']),
    );
    expect(policy.retentionDays).toBeGreaterThan(0);
    expect(policy.version).toMatch(/\S/);
  });

  it('gives every rule a stable, unique id', () => {
    const ids = [...policy.categories.flatMap((c) => c.rules), ...policy.inquiry.rules].map(
      (r) => r.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries no regular expression that can backtrack catastrophically', () => {
    const patterns = policyPatterns(policy);
    expect(patterns.length).toBeGreaterThan(10);
    assertNoReDoS(patterns);
  }, 120_000);
});

describe('policy validation', () => {
  it('rejects a policy missing a category', () => {
    const raw = clone();
    raw.categories = (raw.categories as unknown[]).slice(1);
    expect(policySchema.safeParse(raw).success).toBe(false);
  });

  it('rejects unknown word lists, unknown signals and duplicate rule ids', () => {
    for (const item of ['@no_such_list', '$no.such.signal']) {
      const raw = clone() as { categories: Array<{ rules: Array<{ all: unknown[][] }> }> };
      raw.categories[0]?.rules[0]?.all[0]?.push(item);
      expect(() => parsePolicy(raw, { redosCheck: false })).toThrow(PolicyError);
    }
    const dup = clone() as { categories: Array<{ rules: Array<{ id: string }> }> };
    const first = dup.categories[0]?.rules[0];
    if (first) dup.categories[1]?.rules.push(structuredClone(first));
    expect(() => parsePolicy(dup, { redosCheck: false })).toThrow(/duplicate rule id/);
    const standing = clone() as { secondOpinion: { confirm: { standsAlone: string[] } } };
    standing.secondOpinion.confirm.standsAlone.push('c6.no-such-rule');
    expect(() => parsePolicy(standing, { redosCheck: false })).toThrow(PolicyError);
  });

  it('refuses a catastrophic regex when the ReDoS check is on', () => {
    const raw = clone() as { categories: Array<{ rules: unknown[] }> };
    raw.categories[10]?.rules.push({ id: 'c11.evil', weight: 0.5, all: [[{ re: '^(a+)+$' }]] });
    expect(() => parseCheckedPolicy(raw)).toThrow(/vulnerable|unknown/);
  }, 60_000);

  it('lets the learned model alone ask for review only, never hide, delete or an off-hours hide', () => {
    type Raw = { secondOpinion: { alone: Record<string, unknown>; corroborate: unknown[] } };
    expect(parsePolicy(clone(), { redosCheck: false }).secondOpinion?.alone.action).toBe('review');
    for (const [key, value] of [
      ['action', 'hide'],
      ['action', 'delete'],
      ['offHours', 'hide'],
      ['minScore', 0],
      ['minScore', 1],
    ] as const) {
      const raw = clone() as unknown as Raw;
      raw.secondOpinion.alone[key] = value;
      expect(policySchema.safeParse(raw).success, `${key}=${value}`).toBe(false);
    }
    const deleting = clone() as unknown as Raw;
    deleting.secondOpinion.corroborate.push({
      category: '6',
      rule: 'model.corroborate.c6',
      ruleMinScore: 0.5,
      modelMinScore: 0.9,
      action: 'delete',
    });
    expect(policySchema.safeParse(deleting).success).toBe(false);
    const clash = clone() as unknown as Raw;
    clash.secondOpinion.alone.rule = 'c6.kill';
    expect(() => parsePolicy(clash, { redosCheck: false })).toThrow(/duplicate rule id/);
  });

  it('still runs on rules alone for a city without a learned model', () => {
    const raw = clone();
    delete raw.secondOpinion;
    expect(parsePolicy(raw, { redosCheck: false }).secondOpinion).toBeUndefined();
  });

  it('lets another city adopt the product with its own data', () => {
    const raw = clone() as Record<string, unknown> & { links: { allowlist: string[] } };
    raw.id = 'example-town';
    raw.version = '2026-01-01.0';
    raw.links.allowlist = ['town.example.lg.jp'];
    const policy = parsePolicy(raw, { redosCheck: false });
    expect(compilePolicy(policy).rules.length).toBeGreaterThan(50);
    expect(policy.id).toBe('example-town');
  });
});

describe('built-in patterns', () => {
  it('the normaliser and the link checks carry no ReDoS-prone regex', () => {
    assertNoReDoS([...NORMALIZER_PATTERNS, ...LINK_PATTERNS]);
  }, 120_000);
});
