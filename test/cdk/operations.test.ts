import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../lambdas/core/webhook/delivery';
import { FIRST_ONE_COUNTS } from '../../lib/constructs/pipeline-alarms';
import { PROJECT_ROOT } from '../../lib/constructs/pipeline-function';
import { decimalGreaterThan, EDGE_METRICS } from '../../lib/constructs/webhook-edge';
import { ENV } from '../../lib/resources';
import { pipelineFunctionsIn, WEBHOOK_RESERVED_CONCURRENCY } from '../../lib/stateless-stack';
import {
  importedLogicalId,
  type Json,
  type Resource,
  resourcesOf,
  type SynthesizedPipeline,
  synthesizePipeline,
} from './support/pipeline';

/**
 * The operations part of the synthesised templates (issue #18): every alarm's metric, dimensions
 * and missing-data treatment; the web ACL and its association; reserved concurrency; the trimmed
 * grants; the data key's policy; encrypted log groups; the three operations functions.
 */

let synthesized: SynthesizedPipeline;
let variant: SynthesizedPipeline;
let stateful: Template;
let stateless: Template;

const ADMIN = 'arn:aws:iam::123456789012:role/city-it-admin';
const META_CIDRS = ['31.13.24.0/21', '2a03:2880::/32'];

beforeAll(() => {
  synthesized = synthesizePipeline();
  ({ stateful, stateless } = synthesized);
  variant = synthesizePipeline({
    context: {
      graphLoginType: 'facebook',
      instagramAccountId: '17841400000000000',
      reservedConcurrency: 'false',
      metaWebhookCidrs: META_CIDRS.join(','),
      webhookRateLimitPerIp: '120',
      keyAdminArns: [ADMIN],
    },
  });
});

afterAll(() => {
  for (const s of [synthesized, variant]) {
    if (s) rmSync(s.outdir, { recursive: true, force: true });
  }
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Dimension = { Name: string; Value: unknown };

const resources = (t: Template) => t.toJSON().Resources as Record<string, Resource>;
const functions = (t: Template = stateless) => resourcesOf(t, 'AWS::Lambda::Function');
/**
 * The pipeline's own functions (PipelineFunction), not helper functions other constructs may add
 * (a bucket deployment's custom resource, say), as `[logicalId, resource]`.
 */
const pipelineFunctions = (): [string, Resource][] => {
  const stack = synthesized.pipeline.stateless;
  const ids = new Set(
    pipelineFunctionsIn(stack).map((f) => stack.getLogicalId(f.node.defaultChild as CfnElement)),
  );
  return functions().filter(([id]) => ids.has(id));
};
const functionId = (prefix: string, t: Template = stateless): string => {
  const match = functions(t).filter(([id]) => id.startsWith(prefix));
  expect(match, prefix).toHaveLength(1);
  return (match[0] as [string, Resource])[0];
};
const fn = (prefix: string, t: Template = stateless): Resource =>
  resources(t)[functionId(prefix, t)] as Resource;
const roleIdOf = (f: Resource): string =>
  (f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
const statementsOf = (prefix: string): Statement[] => {
  const roleId = roleIdOf(fn(prefix));
  return resourcesOf(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statefulId = (value: unknown): string => {
  try {
    return importedLogicalId(stateful, value);
  } catch {
    return '';
  }
};
const envOf = (f: Resource): Json =>
  ((f.Properties.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Json;

/**
 * The DynamoDB grants of a function, as `{ "<TablePrefix>": [actions], "<TablePrefix>/index/x": [Query] }`
 * keyed by the stateful logical id's leading name (DecisionsTable, AuditTable...).
 */
const dynamoGrants = (prefix: string): Record<string, string[]> => {
  const grants: Record<string, string[]> = {};
  for (const s of statementsOf(prefix)) {
    const actions = actionsOf(s).filter((a) => a.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    for (const r of [s.Resource].flat()) {
      const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      const table = statefulId(join ? join[1][0] : r).replace(/[0-9A-F]{8}$/, '');
      const key = join ? `${table}${String(join[1][1])}` : table;
      grants[key] = [...(grants[key] ?? []), ...actions].sort();
    }
  }
  return grants;
};

describe('trimmed grants: each role has exactly its adapters’ calls', () => {
  it.each([
    [
      'Classify',
      {
        DecisionsTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        PiiLedgerTable: ['dynamodb:PutItem'],
        AuditTable: ['dynamodb:PutItem'],
      },
    ],
    [
      'Act',
      {
        DecisionsTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        CircuitBreakerTable: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      },
    ],
    [
      'ReviewApiFunction',
      {
        DecisionsTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        'DecisionsTable/index/byReviewState': ['dynamodb:Query'],
        'DecisionsTable/index/byAction': ['dynamodb:Query'],
        AuditTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      },
    ],
    [
      'DailyDigestFunction',
      {
        'DecisionsTable/index/byReviewState': ['dynamodb:Query'],
        'DecisionsTable/index/byAction': ['dynamodb:Query'],
        AuditTable: ['dynamodb:PutItem', 'dynamodb:Query'],
      },
    ],
    [
      'OperationsSweepFunction',
      {
        DecisionsTable: ['dynamodb:GetItem'],
        'DecisionsTable/index/byAction': ['dynamodb:Query'],
        CircuitBreakerTable: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      },
    ],
    [
      'OperationsRequeue',
      {
        DecisionsTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        'DecisionsTable/index/byAction': ['dynamodb:Query'],
      },
    ],
    ['OperationsTokenRefreshFunction', {}],
    ['Webhook', {}],
  ])('%s', (prefix, expected) => {
    const grants = dynamoGrants(prefix);
    // Index ARNs are joined on "/index/<name>": normalise the key written by the helper.
    const normalised = Object.fromEntries(
      Object.entries(grants).map(([k, v]) => [k.replace(/\/index\//, '/index/'), v]),
    );
    expect(normalised).toEqual(expected);
  });

  it('never lets anyone rewrite an audit event (append-only in IAM, not only in code)', () => {
    for (const [id] of pipelineFunctions()) {
      const prefix = id.replace(/[0-9A-F]{8}$/, '');
      const onAudit = Object.entries(dynamoGrants(prefix)).filter(([k]) => k.startsWith('Audit'));
      for (const [, actions] of onAudit) {
        expect(actions, id).not.toContain('dynamodb:UpdateItem');
        // Only a data-subject erasure (APPI) may remove events about its subject.
        if (!id.startsWith('DataRequest')) expect(actions, id).not.toContain('dynamodb:DeleteItem');
      }
    }
  });

  it('lets the token refresh read and write the Graph token secret, and nothing else of Secrets Manager', () => {
    const secrets = statementsOf('OperationsTokenRefreshFunction').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secrets).toHaveLength(1);
    expect(actionsOf(secrets[0] as Statement).sort()).toEqual([
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
    ]);
    expect(statefulId((secrets[0] as Statement).Resource)).toMatch(/^GraphTokenSecret/);
    // Nobody else may write a secret.
    for (const [id] of pipelineFunctions()) {
      if (id.startsWith('OperationsTokenRefresh')) continue;
      const writes = statementsOf(id.replace(/[0-9A-F]{8}$/, '')).filter((s) =>
        actionsOf(s).includes('secretsmanager:PutSecretValue'),
      );
      expect(writes, id).toEqual([]);
    }
  });

  it('lets the sweep send to the comments queue and requeue to the actions queue, only', () => {
    const sends = (prefix: string) =>
      statementsOf(prefix)
        .filter((s) => actionsOf(s).includes('sqs:SendMessage'))
        .map(
          (s) =>
            statefulId(s.Resource).replace(/[0-9A-F]{8}$/, '') ||
            String((s.Resource as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0]),
        );
    // The sweep's other queue is its own failed-invocations queue (Lambda's async DLQ).
    expect(sends('OperationsSweepFunction').sort()).toEqual([
      'CommentsQueue',
      expect.stringMatching(/^OperationsSweepFailedInvocations/),
    ]);
    expect(sends('OperationsRequeue')).toEqual(['ActionsQueue']);
  });
});

describe('data key policy', () => {
  const keyPolicy = () => {
    const [, key] = resourcesOf(stateful, 'AWS::KMS::Key')[0] as [string, Resource];
    return (key.Properties.KeyPolicy as { Statement: (Statement & Json)[] }).Statement;
  };
  const roleNames = (t: Template) =>
    resourcesOf(t, 'AWS::IAM::Role')
      .map(([, r]) => r.Properties.RoleName)
      .filter((n) => n !== undefined);

  it('names every function role, and nothing but them, as a user of the key', () => {
    const users = keyPolicy().find((s) => s.Sid === 'PipelineFunctionRolesUseTheKey');
    expect(users).toBeDefined();
    expect(actionsOf(users as Statement).sort()).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GenerateDataKey',
    ]);
    // The role's fixed name is `<unique name>-<region>`: compare the part before the region.
    const fixedPart = (value: unknown): string =>
      String(
        (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].find(
          (p) => typeof p === 'string',
        ),
      );
    const named = (((users as Json).Condition as Json).ArnEquals as Json)[
      'aws:PrincipalArn'
    ] as unknown[];
    // The eight of this stacks (webhook, classify, act, review, digest, sweep, refresh,
    // requeue) at least, each found in the template.
    expect(pipelineFunctions().length).toBeGreaterThanOrEqual(8);
    expect(pipelineFunctions()).toHaveLength(
      pipelineFunctionsIn(synthesized.pipeline.stateless).length,
    );
    const roles = pipelineFunctions().map(([, f]) => {
      const role = resources(stateless)[roleIdOf(f)] as Resource;
      return fixedPart(role.Properties.RoleName);
    });
    expect(roles.every((r) => /^PolicyGuardStateless.*-[0-9A-F]{8}-$/.test(r))).toBe(true);
    const namedRoles = named.map((arn) =>
      String(
        (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].find(
          (p) => typeof p === 'string' && p.includes(':role/'),
        ),
      ).replace(/^:role\//, ''),
    );
    expect(namedRoles.sort()).toEqual(roles.sort());
    // Every role with a fixed name is a function role.
    expect(roleNames(stateless)).toHaveLength(pipelineFunctions().length);
  });

  it('lets the account manage the key but use it only through Secrets Manager', () => {
    const root = keyPolicy().filter((s) => JSON.stringify(s.Principal).includes(':root'));
    for (const s of root) {
      const data = actionsOf(s).filter((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a));
      if (data.length === 0) continue;
      const condition = JSON.stringify(s.Condition);
      expect(
        condition.includes('secretsmanager.') || condition.includes('aws:PrincipalArn'),
        JSON.stringify(s),
      ).toBe(true);
    }
    expect(keyPolicy().some((s) => actionsOf(s).includes('kms:*'))).toBe(false);
  });

  it('lets CloudWatch Logs encrypt this account’s log groups only', () => {
    const logs = keyPolicy().find((s) => s.Sid === 'CloudWatchLogsEncryptsThisAccountsLogGroups');
    expect(JSON.stringify(logs?.Principal)).toMatch(/logs\./);
    expect(JSON.stringify(logs?.Condition)).toMatch(
      /kms:EncryptionContext:aws:logs:arn.*:log-group:\*/,
    );
  });

  it('names the administrators given in keyAdminArns', () => {
    const [, key] = resourcesOf(variant.stateful, 'AWS::KMS::Key')[0] as [string, Resource];
    const statements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    const admin = statements.filter((s) => JSON.stringify(s.Principal).includes(ADMIN));
    expect(admin.map((s) => s.Sid).sort()).toEqual([
      'NamedAdministratorsManageTheKey',
      'NamedAdministratorsUseItThroughTheDataServices',
    ]);
  });

  it('encrypts every log group of the functions’ stack with it', () => {
    const groups = resourcesOf(stateless, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(pipelineFunctions().length + 2);
    for (const [id, g] of groups) {
      expect(statefulId(g.Properties.KmsKeyId), id).toMatch(/^DataKey/);
    }
  });
});

describe('webhook edge', () => {
  const webAcl = (t: Template = stateless) => {
    const acls = resourcesOf(t, 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    return acls[0] as [string, Resource];
  };
  const rules = (t: Template = stateless) =>
    webAcl(t)[1].Properties.Rules as (Json & { Statement: Json; Action: Json })[];
  const webhookApiId = () =>
    resourcesOf(stateless, 'AWS::ApiGateway::RestApi').find(
      ([, a]) => a.Properties.Name === 'PolicyGuardStateless-webhook',
    )?.[0];

  it('is associated with the webhook stage, not the review API', () => {
    const associations = resourcesOf(stateless, 'AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    const [, association] = associations[0] as [string, Resource];
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAcl()[0], 'Arn'] });
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toContain(`{"Ref":"${webhookApiId()}"}`);
    expect(arn).toMatch(/\/stages\//);
  });

  it('refuses a Content-Length over the handler’s limit with 413, before any invocation', () => {
    const body = rules().find((r) => r.Name === 'BodyOverTheWebhookLimit');
    expect(body?.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 413 } } });
    expect(body?.Statement).toEqual({
      RegexMatchStatement: {
        FieldToMatch: { SingleHeader: { Name: 'content-length' } },
        RegexString: decimalGreaterThan(MAX_BODY_BYTES),
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
  });

  it('rate-limits each address with 429; Meta’s configured ranges get their own limit, not a free pass', () => {
    const perIp = rules().find((r) => r.Name === 'PerIpRateLimit');
    expect(perIp?.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429 } } });
    expect(perIp?.Statement).toEqual({
      RateBasedStatement: { AggregateKeyType: 'IP', Limit: 300, EvaluationWindowSec: 300 },
    });
    const withMeta = rules(variant.stateless);
    const meta = withMeta.find((r) => r.Name === 'MetaRangesRateLimit');
    expect(meta).toMatchObject({ Statement: { RateBasedStatement: { Limit: 3000 } } });
    const restricted = withMeta.find((r) => r.Name === 'PerIpRateLimit');
    expect(restricted).toMatchObject({ Statement: { RateBasedStatement: { Limit: 120 } } });
    expect(JSON.stringify(restricted?.Statement)).toMatch(/NotStatement.*OrStatement/);
    const sets = resourcesOf(variant.stateless, 'AWS::WAFv2::IPSet').map(([, s]) => s.Properties);
    expect(sets.map((s) => [s.IPAddressVersion, s.Addresses]).sort()).toEqual([
      ['IPV4', [META_CIDRS[0]]],
      ['IPV6', [META_CIDRS[1]]],
    ]);
  });

  it('matches exactly the lengths over the limit (fast-check over integers, leading zeros, spaces)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('', ' '),
        fc.integer({ min: 0, max: 100_000_000 }),
        (length, zeros, space, limit) => {
          const re = new RegExp(decimalGreaterThan(limit));
          expect(re.test(`${space}${'0'.repeat(zeros)}${length}${space}`)).toBe(length > limit);
        },
      ),
      { numRuns: 3000 },
    );
    const re = new RegExp(decimalGreaterThan(MAX_BODY_BYTES));
    expect([MAX_BODY_BYTES, MAX_BODY_BYTES + 1].map((n) => re.test(String(n)))).toEqual([
      false,
      true,
    ]);
    expect(re.test('6291457x')).toBe(false);
    expect(re.test('-7000000')).toBe(false);
  });

  it('reserves concurrency for the webhook (and one for sweep and refresh), unless switched off', () => {
    expect(fn('Webhook').Properties.ReservedConcurrentExecutions).toBe(
      WEBHOOK_RESERVED_CONCURRENCY,
    );
    expect(fn('OperationsSweepFunction').Properties.ReservedConcurrentExecutions).toBe(1);
    expect(fn('OperationsTokenRefreshFunction').Properties.ReservedConcurrentExecutions).toBe(1);
    for (const [id] of ['Classify', 'Act'].map((p) => [functionId(p)])) {
      expect(
        resources(stateless)[id as string]?.Properties.ReservedConcurrentExecutions,
      ).toBeUndefined();
    }
    for (const [id, f] of functions(variant.stateless)) {
      expect(f.Properties.ReservedConcurrentExecutions, id).toBeUndefined();
    }
  });
});

describe('operations functions', () => {
  it('run the sweep every 15 minutes and the token check twice a day, with their own DLQs', () => {
    for (const [prefix, expression] of [
      ['OperationsSweepFunction', 'rate(15 minutes)'],
      ['OperationsTokenRefreshFunction', 'rate(12 hours)'],
    ] as const) {
      const f = fn(prefix);
      const dlq = (f.Properties.DeadLetterConfig as { TargetArn: { 'Fn::GetAtt': string[] } })
        .TargetArn['Fn::GetAtt'][0];
      stateless.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: expression,
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId(prefix), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
            Id: 'Target0',
            RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 2 },
          },
        ],
      });
    }
  });

  it('choose the Graph host by the login type in configuration', () => {
    for (const prefix of ['Act', 'OperationsSweepFunction', 'OperationsTokenRefreshFunction']) {
      expect(envOf(fn(prefix))[ENV.graphLoginType], prefix).toBe('instagram');
      expect(envOf(fn(prefix, variant.stateless))[ENV.graphLoginType], prefix).toBe('facebook');
    }
    expect(envOf(fn('OperationsSweepFunction', variant.stateless))[ENV.instagramAccountId]).toBe(
      '17841400000000000',
    );
    expect(envOf(fn('OperationsSweepFunction'))).not.toHaveProperty(ENV.instagramAccountId);
  });

  it('refuse a synth without a valid login type, or Facebook Login without the account id', () => {
    const attempt = (context: Json) => () => synthesizePipeline({ context });
    expect(attempt({ graphLoginType: 'Instagram' })).toThrow(/graphLoginType/);
    expect(attempt({ graphLoginType: 'facebook' })).toThrow(/instagramAccountId/);
    expect(attempt({ metaWebhookCidrs: 'meta.example' })).toThrow(/not a CIDR/);
    expect(attempt({ keyAdminArns: 'root' })).toThrow(/keyAdminArns/);
  });
});

describe('alarms', () => {
  const alarms = (t: Template = stateless) => resourcesOf(t, 'AWS::CloudWatch::Alarm');
  const alarm = (id: string, t: Template = stateless): Json => {
    const found = alarms(t).filter(
      ([, a]) => a.Properties.AlarmName === `PolicyGuardStateless-${id}`,
    );
    expect(found, id).toHaveLength(1);
    return (found[0] as [string, Resource])[1].Properties;
  };
  const dims = (a: Json): Record<string, unknown> =>
    Object.fromEntries(((a.Dimensions as Dimension[]) ?? []).map((d) => [d.Name, d.Value]));
  const POWERTOOLS = { Namespace: 'InstagramPolicyGuard', service: 'instagram-policy-guard' };

  it('each name its job, and every 5xx alarm watches one API', () => {
    const names = resourcesOf(stateless, 'AWS::ApiGateway::RestApi').map(
      ([, a]) => a.Properties.Name,
    );
    expect(names.sort()).toEqual([
      'PolicyGuardStateless-data-requests',
      'PolicyGuardStateless-review',
      'PolicyGuardStateless-webhook',
    ]);
    expect(alarm('WebhookApi5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: 'PolicyGuardStateless-webhook' }],
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('ReviewApi5xx')).toMatchObject({
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: 'PolicyGuardStateless-review' }],
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('DataRequestApi5xx')).toMatchObject({
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: 'PolicyGuardStateless-data-requests' }],
      TreatMissingData: 'notBreaching',
    });
  });

  it('treat silence as the failure where it is one: no delivery, no sweep, no token check', () => {
    const silent = alarm('WebhookSilent');
    expect(silent).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 12,
      DatapointsToAlarm: 12,
      TreatMissingData: 'breaching',
    });
    const metrics = silent.Metrics as Json[];
    expect(metrics.find((m) => m.ReturnData !== false)?.Expression).toBe(
      'FILL(requests, 0) - FILL(refused, 0) - FILL(failed, 0)',
    );
    for (const m of metrics.filter((x) => x.MetricStat)) {
      expect((m.MetricStat as Json).Period).toBe(3600);
      expect(((m.MetricStat as Json).Metric as Json).Dimensions).toEqual([
        { Name: 'ApiName', Value: 'PolicyGuardStateless-webhook' },
      ]);
    }
    expect(alarm('SweepNotRunning')).toMatchObject({
      Namespace: POWERTOOLS.Namespace,
      MetricName: 'SweepRuns',
      Dimensions: [{ Name: 'service', Value: POWERTOOLS.service }],
      ComparisonOperator: 'LessThanThreshold',
      Period: 3600,
      TreatMissingData: 'breaching',
    });
    expect(alarm('GraphTokenExpiringSoon')).toMatchObject({
      MetricName: 'GraphTokenDaysLeft',
      Statistic: 'Minimum',
      Threshold: 10,
      ComparisonOperator: 'LessThanThreshold',
      Period: 86_400,
      TreatMissingData: 'breaching',
    });
    // A Facebook-login token may have no recorded expiry: there, silence is not a failure.
    expect(alarm('GraphTokenExpiringSoon', variant.stateless).TreatMissingData).toBe(
      'notBreaching',
    );
  });

  it('catch a rotated App Secret: half the webhook requests refused for 15 minutes', () => {
    const rate = alarm('WebhookApi4xxRate');
    expect(rate).toMatchObject({
      Threshold: 0.5,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
    const byId = Object.fromEntries((rate.Metrics as Json[]).map((m) => [m.Id, m]));
    expect(byId.refused).toMatchObject({ MetricStat: { Metric: { MetricName: '4XXError' } } });
    expect(byId.requests).toMatchObject({ MetricStat: { Metric: { MetricName: 'Count' } } });
  });

  it('watch every dead-letter queue for a first message and for one older than a day', () => {
    const dlqs = [
      ['commentsDeadLetters', 'commentsDeadLetterAge', /^CommentsQueueDeadLetterQueue/],
      ['actionsDeadLetters', 'actionsDeadLetterAge', /^ActionsQueueDeadLetterQueue/],
    ] as const;
    for (const [count, age, queue] of dlqs) {
      expect(alarm(count)).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(statefulId(dims(alarm(count)).QueueName)).toMatch(queue);
      expect(alarm(age)).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        Threshold: 86_400,
        TreatMissingData: 'notBreaching',
      });
      expect(statefulId(dims(alarm(age)).QueueName)).toMatch(queue);
    }
    for (const [name, queuePrefix] of [
      ['DigestFailures', 'DailyDigestFailedInvocations'],
      ['SweepFailures', 'OperationsSweepFailedInvocations'],
      ['TokenRefreshFailures', 'OperationsTokenRefreshFailedInvocations'],
    ]) {
      for (const id of [`${name}DeadLetters`, `${name}DeadLetterAge`]) {
        const queue = dims(alarm(id)).QueueName as { 'Fn::GetAtt': string[] };
        expect(queue['Fn::GetAtt'][0], id).toMatch(new RegExp(`^${queuePrefix}`));
      }
    }
  });

  it('watch errors and throttles of every function, and classify latency', () => {
    for (const [id] of pipelineFunctions()) {
      const onIt = alarms()
        .map(([, a]) => a.Properties)
        .filter(
          (a) =>
            JSON.stringify(a.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]),
        );
      expect(onIt.map((a) => a.MetricName).sort(), id).toEqual(
        id.startsWith('Classify') ? ['Duration', 'Errors', 'Throttles'] : ['Errors', 'Throttles'],
      );
      for (const a of onIt) expect(a.TreatMissingData, id).toBe('notBreaching');
    }
    expect(alarm('ClassifyLatency')).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 15_000,
      EvaluationPeriods: 3,
    });
  });

  it('page on the first of each Graph and operations failure count', () => {
    for (const { metricName } of FIRST_ONE_COUNTS) {
      expect(alarm(metricName)).toMatchObject({
        Namespace: POWERTOOLS.Namespace,
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: POWERTOOLS.service }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    expect(FIRST_ONE_COUNTS.map((c) => c.metricName).sort()).toEqual(
      [
        'ActionWithoutDecision',
        'ActionsRequeueFailed',
        'GraphPermanentFailure',
        'GraphRetriesExhausted',
        'GraphThrottled',
        'GraphTokenRefreshFailed',
      ].sort(),
    );
  });

  it('see a deferral outage that re-sent copies hide from the queue age', () => {
    expect(alarm('ActionDeferredTooLong')).toMatchObject({
      MetricName: 'ActionDeferredAgeSeconds',
      Statistic: 'Maximum',
      Threshold: 3600,
    });
    expect(alarm('GraphDeferredSustained')).toMatchObject({
      MetricName: 'GraphDeferred',
      Period: 900,
      EvaluationPeriods: 4,
      DatapointsToAlarm: 4,
    });
  });

  it('say when the sweep finds many missed comments or keeps stopping early', () => {
    expect(alarm('SweepFoundMissedComments')).toMatchObject({
      MetricName: 'SweepMissedComments',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 5,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('SweepIncomplete')).toMatchObject({
      MetricName: 'SweepIncomplete',
      EvaluationPeriods: 4,
    });
  });

  it('watch the web ACL’s blocks by its name and rule metric', () => {
    const [, acl] = resourcesOf(stateless, 'AWS::WAFv2::WebACL')[0] as [string, Resource];
    for (const [id, rule] of [
      ['WebhookFloodBlocked', EDGE_METRICS.perIp],
      ['WebhookOversizeBlocked', EDGE_METRICS.bodyTooLarge],
    ] as const) {
      const a = alarm(id);
      expect(a).toMatchObject({ Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests' });
      expect(dims(a)).toEqual({
        WebACL: acl.Properties.Name,
        Rule: rule,
        Region: { Ref: 'AWS::Region' },
      });
      const rules = acl.Properties.Rules as { VisibilityConfig: { MetricName: string } }[];
      expect(rules.map((r) => r.VisibilityConfig.MetricName)).toContain(rule);
    }
  });

  it('each have an entry in the README runbook', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const runbook = readme.slice(readme.indexOf('## Operations runbook'));
    expect(runbook.length).toBeGreaterThan(100);
    for (const [, a] of alarms()) {
      const id = String(a.Properties.AlarmName).replace(/^PolicyGuardStateless-/, '');
      expect(runbook, id).toMatch(new RegExp(`\`${id}\``));
    }
  });
});
