import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadPolicyPack } from '../lambdas/adapters/policy';
import { StatefulStack } from './stateful-stack';
import {
  DEFAULT_OPERATIONS,
  type HandlerEntries,
  type OperationsSettings,
  pipelineFunctionsIn,
  StatelessStack,
  type StatelessStackProps,
} from './stateless-stack';

interface PipelineOptions {
  /** Lets the act stage call the Graph API; otherwise a dry run. @default false */
  readonly actionsEnabled?: boolean;
  /** The policy pack, a folder of `policies/` (CDK context `policyPack`). @default rumoi */
  readonly policyPack?: string;
  /** Graph login, edge and concurrency settings (`operationsSettingsFromContext`). */
  readonly operations?: OperationsSettings;
  /** IAM ARNs named as the data key's administrators (context `keyAdminArns`). */
  readonly keyAdminArns?: readonly string[];
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
    ...(options.keyAdminArns ? { keyAdminArns: options.keyAdminArns } : {}),
  });
  const stateless = new StatelessStack(app, 'PolicyGuardStateless', {
    stateful,
    actionsEnabled: options.actionsEnabled ?? false,
    policyPack,
    ...(options.entries ? { entries: options.entries } : {}),
    ...(options.prebuiltCode ? { prebuiltCode: options.prebuiltCode } : {}),
    ...(options.operations ? { operations: options.operations } : {}),
  });
  // The data key's policy names every function role (by its fixed name: no cross-stack reference).
  stateful.key.allowFunctionRoles(pipelineFunctionsIn(stateless).map((f) => f.roleName));
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

/** A context value given as a JSON list (cdk.json) or a comma-separated string (`-c`). */
const listFromContext = (app: App, key: string): string[] | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((v) => String(v).trim()).filter((v) => v.length > 0);
};

const numberFromContext = (app: App, key: string, min: number, max: number): number | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${key} must be a whole number from ${min} to ${max}`);
  }
  return n;
};

const CIDR = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;
const IAM_ARN = /^arn:aws[\w-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]+$/;

/**
 * Operations settings from the CDK context: `graphLoginType` (instagram | facebook, required: it
 * decides the Graph host), `instagramAccountId`, `reservedConcurrency` (false for accounts whose
 * concurrency quota is still 10), `metaWebhookCidrs`, `webhookRateLimitPerIp`, `webhookSilenceHours`.
 */
const operationsSettingsFromContext = (app: App): OperationsSettings => {
  const loginType: unknown = app.node.tryGetContext('graphLoginType');
  if (loginType !== 'instagram' && loginType !== 'facebook') {
    throw new Error(
      'context graphLoginType must be "instagram" (graph.instagram.com) or "facebook" (graph.facebook.com)',
    );
  }
  const accountId: unknown = app.node.tryGetContext('instagramAccountId');
  if (accountId !== undefined && !/^\d{1,32}$/.test(String(accountId))) {
    throw new Error('context instagramAccountId must be the numeric Instagram account id');
  }
  if (loginType === 'facebook' && accountId === undefined) {
    throw new Error('context graphLoginType facebook needs instagramAccountId');
  }
  const reserved: unknown = app.node.tryGetContext('reservedConcurrency');
  const cidrs = listFromContext(app, 'metaWebhookCidrs');
  for (const cidr of cidrs ?? []) {
    if (!CIDR.test(cidr)) throw new Error(`context metaWebhookCidrs: "${cidr}" is not a CIDR`);
  }
  const perIp = numberFromContext(app, 'webhookRateLimitPerIp', 10, 2_000_000_000);
  const silence = numberFromContext(app, 'webhookSilenceHours', 1, 24);
  return {
    ...DEFAULT_OPERATIONS,
    graphLoginType: loginType,
    ...(accountId !== undefined ? { instagramAccountId: String(accountId) } : {}),
    reserveConcurrency: !(reserved === false || reserved === 'false'),
    ...(cidrs ? { metaWebhookCidrs: cidrs } : {}),
    ...(perIp !== undefined ? { webhookRateLimitPerIp: perIp } : {}),
    ...(silence !== undefined ? { webhookSilenceHours: silence } : {}),
  };
};

/** `keyAdminArns`: IAM roles or users named as the data key's administrators. */
const keyAdminArnsFromContext = (app: App): string[] | undefined => {
  const arns = listFromContext(app, 'keyAdminArns');
  for (const arn of arns ?? []) {
    if (!IAM_ARN.test(arn))
      throw new Error(`context keyAdminArns: "${arn}" is not an IAM role or user ARN`);
  }
  return arns;
};

export type { Pipeline, PipelineOptions };
export {
  actionsEnabledFromContext,
  addComplianceChecks,
  buildPipeline,
  keyAdminArnsFromContext,
  operationsSettingsFromContext,
  policyPackFromContext,
};
