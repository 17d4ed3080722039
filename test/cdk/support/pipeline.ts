import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/constructs/pipeline-function';
import {
  actionsEnabledFromContext,
  buildPipeline,
  keyAdminArnsFromContext,
  operationsSettingsFromContext,
  type Pipeline,
  policyPackFromContext,
} from '../../../lib/pipeline-app';
import { DEFAULT_ENTRIES, type HandlerEntries } from '../../../lib/stateless-stack';

type Json = Record<string, unknown>;

interface SynthesizedPipeline {
  readonly app: App;
  readonly pipeline: Pipeline;
  readonly stateful: Template;
  readonly stateless: Template;
  readonly outdir: string;
  /** CDK's validation report (cdk-nag packs and CloudFormation Validate), when one was written. */
  readonly report: { pluginReports: Json[] } | undefined;
  /** Handlers replaced by stand-ins because their file does not exist (yet). */
  readonly standIns: readonly (keyof HandlerEntries)[];
}

/** The context `cdk synth` uses, so tests synthesise exactly what the CLI would. */
const cdkJsonContext = (): Json =>
  (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Json }).context;

/**
 * A handler another part of the team has not written yet is replaced by a trivial prebuilt module
 * under the OS temp directory; the real file is always used when it exists.
 */
const standInsForMissingHandlers = (): Partial<Record<keyof HandlerEntries, Code>> => {
  const standIns: Partial<Record<keyof HandlerEntries, Code>> = {};
  for (const name of Object.keys(DEFAULT_ENTRIES) as (keyof HandlerEntries)[]) {
    if (existsSync(DEFAULT_ENTRIES[name])) continue;
    const dir = join(tmpdir(), 'policy-guard-stand-ins', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
    standIns[name] = Code.fromAsset(dir);
  }
  return standIns;
};

/**
 * Builds and synthesises the whole app once. `bundle: false` skips esbuild (CDK's
 * `aws:cdk:bundling-stacks` context), which is all the property assertions need.
 */
const synthesizePipeline = (
  options: { bundle?: boolean; context?: Json } = {},
): SynthesizedPipeline => {
  const outdir = mkdtempSync(join(tmpdir(), 'policy-guard-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const prebuiltCode = standInsForMissingHandlers();
  const keyAdminArns = keyAdminArnsFromContext(app);
  const pipeline = buildPipeline(app, {
    actionsEnabled: actionsEnabledFromContext(app),
    policyPack: policyPackFromContext(app),
    operations: operationsSettingsFromContext(app),
    ...(keyAdminArns ? { keyAdminArns } : {}),
    prebuiltCode,
  });
  const assembly = app.synth();
  const template = (stackName: string): Template =>
    Template.fromJSON(assembly.getStackByName(stackName).template as Json);
  const reportFile = join(outdir, 'validation-report.json');
  return {
    app,
    pipeline,
    stateful: template(pipeline.stateful.stackName),
    stateless: template(pipeline.stateless.stackName),
    outdir,
    report: existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: Json[] })
      : undefined,
    standIns: Object.keys(prebuiltCode) as (keyof HandlerEntries)[],
  };
};

type Resource = { Type: string; Properties: Json; DeletionPolicy?: string };

/** `[logicalId, resource]` pairs of one type. */
const resourcesOf = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/**
 * Follows a stateless-stack `Fn::ImportValue` to the stateful resource it names: the export's value
 * is a `Ref` or `Fn::GetAtt` of that resource. Returns its logical id.
 */
/**
 * Synthesises the pipeline once for the calling test file (before its tests; `use` takes the
 * templates) and removes the output folder after them.
 */
const synthesizeForSuite = (use: (synthesized: SynthesizedPipeline) => void): void => {
  let synthesized: SynthesizedPipeline | undefined;
  beforeAll(() => {
    synthesized = synthesizePipeline();
    use(synthesized);
  });
  afterAll(() => {
    if (synthesized) rmSync(synthesized.outdir, { recursive: true, force: true });
  });
};

const importedLogicalId = (stateful: Template, value: unknown): string => {
  const exportName = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  if (typeof exportName !== 'string') throw new Error(`not an import: ${JSON.stringify(value)}`);
  const outputs = stateful.toJSON().Outputs as Record<string, { Value: unknown; Export: Json }>;
  const output = Object.values(outputs).find((o) => o.Export?.Name === exportName);
  if (!output) throw new Error(`no export ${exportName}`);
  const v = output.Value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = v.Ref ?? v['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`export ${exportName} is not a resource reference`);
  return id;
};

export type { Json, Resource, SynthesizedPipeline };
export { cdkJsonContext, importedLogicalId, resourcesOf, synthesizeForSuite, synthesizePipeline };
