import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from '../../lib/resources';
import { type OfficeHours, officeHoursSchema } from '../core/calendar/schema';
import { compiled } from '../core/classifier/compile';
import { applyOverlay, isOverlay, PACK_NAME } from '../core/policy/pack';
import { type Policy, policySchema } from '../core/policy/schema';
import { ConfigurationError, type Env, requireEnv } from './env';

/**
 * Policy packs, chosen by configuration: `POLICY_PACK` names a folder of `policies/` (locally
 * `rumoi` unless told otherwise; in AWS the CDK context `policyPack` sets it on every function and
 * copies that pack next to the bundle). Each pack is read and validated once per process, at
 * start-up: zod for the shape, then the rules are compiled; a bad pack fails the cold start.
 *
 * Every regular expression of every pack in the repository is proven ReDoS-safe by the test suite
 * (`policy-redos.ts`, which needs `recheck`): the functions never load that analyser.
 */

class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Where pack folders are: the source tree (local runs, tests), else beside the Lambda bundle. */
const PACK_ROOTS: readonly string[] = [
  fileURLToPath(new URL('../../policies/', import.meta.url)),
  join(process.cwd(), 'policies'),
];

const packDir = (name: string): string => {
  if (!PACK_NAME.test(name)) {
    throw new PolicyError(`policy pack name "${name}": lowercase letters, digits and dashes only`);
  }
  const dir = PACK_ROOTS.map((root) => join(root, name)).find((d) =>
    existsSync(join(d, 'policy.json')),
  );
  if (!dir) throw new PolicyError(`unknown policy pack ${name}: no policies/${name}/policy.json`);
  return dir;
};

const readJson = (dir: string, file: string): unknown => {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    throw new PolicyError(
      `${join(dir, file)}: ${error instanceof SyntaxError ? 'not JSON' : 'unreadable'}`,
    );
  }
};

/** A pack's raw policy data, overlays resolved down to a whole policy. */
const rawPolicy = (name: string, seen: readonly string[] = []): Record<string, unknown> => {
  if (seen.includes(name)) throw new PolicyError(`policy pack ${name} extends itself`);
  const raw = readJson(packDir(name), 'policy.json');
  if (!isOverlay(raw)) return raw as Record<string, unknown>;
  const base = rawPolicy(String(raw.extends), [...seen, name]);
  try {
    return applyOverlay(base, raw);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    throw new PolicyError(
      `policy pack ${name}: ${(issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') || 'invalid overlay'}`,
    );
  }
};

/**
 * Validates raw policy data and compiles its rules. The second parameter is gone (the ReDoS check
 * lives in `policy-redos.ts`); it is still accepted as `{ redosCheck: false }` for old callers.
 */
const parsePolicy = (raw: unknown, _options: { readonly redosCheck?: false } = {}): Policy => {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyError(
      `invalid policy: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  compiled(parsed.data);
  return parsed.data;
};

interface PolicyPack {
  readonly name: string;
  readonly policy: Policy;
  readonly officeHours: OfficeHours;
}

const loaded = new Map<string, PolicyPack>();

/** The pack named `name`, read and validated once per process. */
const loadPolicyPack = (name: string): PolicyPack => {
  const cached = loaded.get(name);
  if (cached) return cached;
  const dir = packDir(name);
  const policy = parsePolicy(rawPolicy(name));
  const hours = officeHoursSchema.safeParse(readJson(dir, 'office-hours.json'));
  if (!hours.success) {
    throw new PolicyError(
      `policy pack ${name}: office-hours.json: ${hours.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const pack = { name, policy, officeHours: hours.data };
  loaded.set(name, pack);
  return pack;
};

const loadPolicy = (name: string): Policy => loadPolicyPack(name).policy;

const loadOfficeHours = (name: string): OfficeHours => loadPolicyPack(name).officeHours;

/** The deployed functions' pack: `POLICY_PACK`, required (the stack always sets it). */
const policyPackFromEnv = (env: Env): string => {
  const name = requireEnv(env, ENV.policyPack);
  if (!PACK_NAME.test(name)) {
    throw new ConfigurationError(`${ENV.policyPack} "${name}" is not a pack name`);
  }
  return name;
};

/** The pack folders a pack needs at run time: itself and the packs it extends. */
const packChain = (name: string): string[] => {
  const chain: string[] = [];
  for (let current: string | undefined = name; current; ) {
    if (chain.includes(current)) throw new PolicyError(`policy pack ${current} extends itself`);
    chain.push(current);
    const raw = readJson(packDir(current), 'policy.json');
    current = isOverlay(raw) ? String(raw.extends) : undefined;
  }
  return chain;
};

export type { PolicyPack };
export {
  loadOfficeHours,
  loadPolicy,
  loadPolicyPack,
  PACK_ROOTS,
  PolicyError,
  packChain,
  packDir,
  parsePolicy,
  policyPackFromEnv,
};
