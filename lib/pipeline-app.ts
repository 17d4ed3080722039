import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadPolicyPack } from '../lambdas/adapters/policy';
import { StatefulStack } from './stateful-stack';
import { type HandlerEntries, StatelessStack, type StatelessStackProps } from './stateless-stack';

interface PipelineOptions {
  /** Lets the act stage call the Graph API; otherwise a dry run. @default false */
  readonly actionsEnabled?: boolean;
  /** The policy pack, a folder of `policies/` (CDK context `policyPack`). @default rumoi */
  readonly policyPack?: string;
  /** Handler file overrides (tests only). */
  readonly entries?: Partial<HandlerEntries>;
  /** Stand-in code for handlers not written yet (tests only). */
  readonly prebuiltCode?: StatelessStackProps['prebuiltCode'];
}

interface Pipeline {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds both stacks to the app and registers the best-practice gates: cdk-nag's AwsSolutions and
 * Serverless packs run at synthesis next to CDK's own template validation, and any finding that is
 * not acknowledged (with a reason, next to the construct it concerns) fails the synth.
 * The stacks are environment-agnostic, so synthesis needs no AWS account.
 */
const buildPipeline = (app: App, options: PipelineOptions = {}): Pipeline => {
  const policyPack = options.policyPack ?? 'rumoi';
  // A pack that does not load fails the synth, not the first cold start.
  loadPolicyPack(policyPack);
  const prefix: unknown = app.node.tryGetContext('staffAuthDomainPrefix');
  const stateful = new StatefulStack(app, 'PolicyGuardStateful', {
    ...(typeof prefix === 'string' && prefix ? { staffAuthDomainPrefix: prefix } : {}),
  });
  const stateless = new StatelessStack(app, 'PolicyGuardStateless', {
    stateful,
    actionsEnabled: options.actionsEnabled ?? false,
    policyPack,
    ...(options.entries ? { entries: options.entries } : {}),
    ...(options.prebuiltCode ? { prebuiltCode: options.prebuiltCode } : {}),
  });
  addComplianceChecks(app);
  return { stateful, stateless };
};

/** cdk-nag's AwsSolutions and Serverless packs, run at synthesis on everything in the app. */
const addComplianceChecks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
};

/** `-c actionsEnabled=true` on the command line arrives as a string; a cdk.json value as a boolean. */
const actionsEnabledFromContext = (app: App): boolean => {
  const value: unknown = app.node.tryGetContext('actionsEnabled');
  return value === true || value === 'true';
};

/** `-c policyPack=NAME`, else the `policyPack` of cdk.json's context. */
const policyPackFromContext = (app: App): string => {
  const value: unknown = app.node.tryGetContext('policyPack');
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(
      'CDK context policyPack is missing: set it in cdk.json or pass -c policyPack=NAME',
    );
  }
  return value.trim();
};

export type { Pipeline, PipelineOptions };
export { actionsEnabledFromContext, addComplianceChecks, buildPipeline, policyPackFromContext };
