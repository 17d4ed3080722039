import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FIRST_ONE_COUNTS } from '../../lib/constructs/pipeline-alarms';
import { POWERTOOLS_METRIC_IDENTITY } from '../../lib/constructs/pipeline-function';
import {
  actionsEnabledFromContext,
  buildPipeline,
  policyPackFromContext,
} from '../../lib/pipeline-app';
import { ENV, QUEUES } from '../../lib/resources';
import {
  importedLogicalId,
  type Json,
  type Resource,
  resourcesOf,
  synthesizeForSuite,
} from './support/pipeline';

let stateful: Template;
let stateless: Template;
synthesizeForSuite((synthesized) => {
  ({ stateful, stateless } = synthesized);
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

// The pipeline's own functions; CDK's deploy-time BucketDeployment provider (staff console files)
// is CDK's, with its acknowledgements in lib/constructs/staff-console.ts.
const functions = () =>
  resourcesOf(stateless, 'AWS::Lambda::Function').filter(
    ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
  );
const functionId = (prefix: string): string => {
  const match = functions().filter(([id]) => id.startsWith(prefix));
  expect(match, prefix).toHaveLength(1);
  return (match[0] as [string, Resource])[0];
};
const fn = (prefix: string): Resource =>
  stateless.toJSON().Resources[functionId(prefix)] as Resource;
const roleIdOf = (f: Resource): string =>
  (f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
const statementsOf = (roleId: string): Statement[] =>
  resourcesOf(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOf = (statements: Statement[]): string[] =>
  [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
const envOf = (f: Resource): Json =>
  ((f.Properties.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Json;
const statefulIdOf = (value: unknown): string => importedLogicalId(stateful, value);

describe('queue consumers', () => {
  const mappings = () => resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping');

  it('exist for the comments and actions queues', () => {
    const sources = mappings().map(([, m]) => statefulIdOf(m.Properties.EventSourceArn));
    expect(sources.sort()).toEqual([
      expect.stringMatching(/^ActionsQueue/),
      expect.stringMatching(/^CommentsQueue/),
    ]);
  });

  it('have a visibility timeout at least 6 x the consumer timeout', () => {
    for (const [id, mapping] of mappings()) {
      const queueId = statefulIdOf(mapping.Properties.EventSourceArn);
      const queue = stateful.toJSON().Resources[queueId] as Resource;
      const consumerId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
      const consumer = stateless.toJSON().Resources[consumerId] as Resource;
      expect(queue.Properties.VisibilityTimeout as number, id).toBeGreaterThanOrEqual(
        6 * (consumer.Properties.Timeout as number),
      );
    }
  });

  it('report partial batch failures', () => {
    for (const [id, mapping] of mappings()) {
      expect(mapping.Properties.FunctionResponseTypes, id).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('cap their concurrency', () => {
    for (const [id, mapping] of mappings()) {
      const max = (mapping.Properties.ScalingConfig as Json | undefined)?.MaximumConcurrency;
      expect(max, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('use the batch size from lib/resources.ts', () => {
    for (const [id, mapping] of mappings()) {
      expect(mapping.Properties.BatchSize, id).toBe(QUEUES.comments.batchSize);
    }
  });
});

describe('functions', () => {
  it('run on the latest Node.js runtime on arm64', () => {
    for (const [id, f] of functions()) {
      expect(f.Properties.Runtime, id).toBe('nodejs24.x');
      expect(f.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('are traced with X-Ray', () => {
    for (const [id, f] of functions()) {
      expect(f.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });

  it('log JSON to their own log group, which has a retention', () => {
    const groups = stateless.toJSON().Resources as Record<string, Resource>;
    for (const [id, f] of functions()) {
      const logging = f.Properties.LoggingConfig as {
        LogFormat: string;
        LogGroup: { Ref: string };
      };
      expect(logging.LogFormat, id).toBe('JSON');
      const group = groups[logging.LogGroup.Ref];
      expect(group?.Type, id).toBe('AWS::Logs::LogGroup');
      expect(group?.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it('mask e-mail addresses that reach their logs', () => {
    const groups = stateless.toJSON().Resources as Record<string, Resource>;
    for (const [id, f] of functions()) {
      const ref = (f.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const policy = JSON.stringify(groups[ref]?.Properties.DataProtectionPolicy);
      expect(policy, id).toMatch(/"Deidentify"/);
      expect(policy, id).toMatch(/EmailAddress/);
    }
  });

  it('have an explicit memory size and timeout', () => {
    for (const [id, f] of functions()) {
      expect(f.Properties.MemorySize, id).toEqual(expect.any(Number));
      expect(f.Properties.Timeout, id).toEqual(expect.any(Number));
    }
  });

  it('give the classifier room for the morphological dictionary', () => {
    expect(fn('Classify').Properties.MemorySize).toBeGreaterThanOrEqual(1024);
  });

  it('answer Meta within its 5-second budget', () => {
    expect(fn('Webhook').Properties.Timeout).toBeLessThan(5);
  });

  it('keep the act stage in dry run unless enabled', () => {
    expect(envOf(fn('Act'))[ENV.actionsEnabled]).toBe('false');
  });

  it('give the functions that apply the policy its pack, from the CDK context', () => {
    for (const prefix of ['Classify', 'ReviewApiFunction', 'DailyDigest']) {
      expect(envOf(fn(prefix))[ENV.policyPack], prefix).toBe('rumoi');
    }
    // The webhook and the act stage do not read the policy.
    expect(envOf(fn('Webhook'))).not.toHaveProperty(ENV.policyPack);
    expect(policyPackFromContext(new App({ context: { policyPack: 'example-town' } }))).toBe(
      'example-town',
    );
    expect(() => policyPackFromContext(new App())).toThrow(/policyPack/);
    // A pack that does not load fails the synth itself.
    expect(() =>
      buildPipeline(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), {
        policyPack: 'no-such-town',
      }),
    ).toThrow(/unknown policy pack no-such-town/);
  });

  it('read the actions switch from the CDK context', () => {
    expect(actionsEnabledFromContext(new App({ context: { actionsEnabled: 'true' } }))).toBe(true);
    expect(actionsEnabledFromContext(new App({ context: { actionsEnabled: true } }))).toBe(true);
    expect(actionsEnabledFromContext(new App({ context: { actionsEnabled: 'yes' } }))).toBe(false);
    expect(actionsEnabledFromContext(new App())).toBe(false);
  });

  it('get secret ARNs from the stateful stack, never secret values', () => {
    const localOnly = [ENV.appSecret, ENV.verifyToken, ENV.pseudonymKey, ENV.accessToken];
    for (const [id, f] of functions()) {
      const env = envOf(f);
      for (const name of localOnly) expect(env, id).not.toHaveProperty(name);
      for (const [name, value] of Object.entries(env)) {
        if (!name.endsWith('_SECRET_ARN')) continue;
        expect(statefulIdOf(value), `${id} ${name}`).toMatch(/Secret/);
      }
    }
  });
});

describe('roles', () => {
  it('are one per function', () => {
    const roles = functions().map(([, f]) => roleIdOf(f));
    expect(new Set(roles).size).toBe(functions().length);
  });

  it('can be assumed by Lambda only and carry no managed policy', () => {
    for (const [id, f] of functions()) {
      const role = stateless.toJSON().Resources[roleIdOf(f)] as Resource;
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument, id).toEqual({
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
        Version: '2012-10-17',
      });
    }
  });

  it('let the webhook only send to its queue and read its secret', () => {
    const statements = statementsOf(roleIdOf(fn('Webhook')));
    expect(actionsOf(statements)).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const send = statements.filter((s) => s.Action === 'sqs:SendMessage');
    expect(send.map((s) => statefulIdOf(s.Resource))).toEqual([
      expect.stringMatching(/^CommentsQueue[0-9A-F]+$/),
    ]);
    const read = statements.filter((s) => s.Action === 'secretsmanager:GetSecretValue');
    expect(read.map((s) => statefulIdOf(s.Resource))).toEqual([
      expect.stringMatching(/^WebhookSecret/),
    ]);
  });

  it('let the act stage re-send deferred messages to its own queue only', () => {
    const send = statementsOf(roleIdOf(fn('Act'))).filter((s) => s.Action === 'sqs:SendMessage');
    expect(send.map((s) => statefulIdOf(s.Resource))).toEqual([
      expect.stringMatching(/^ActionsQueue[0-9A-F]+$/),
    ]);
  });

  it('never let the classifier see the Graph token', () => {
    const classify = fn('Classify');
    const reach = JSON.stringify([statementsOf(roleIdOf(classify)), envOf(classify)]);
    expect(reach).not.toMatch(/GraphTokenSecret/);
    expect(reach).toMatch(/PseudonymSecret/);
  });

  it('let the classifier append to the audit trail (off-hours interim hides), named by AUDIT_TABLE', () => {
    const classify = fn('Classify');
    expect(statefulIdOf(envOf(classify)[ENV.auditTable])).toMatch(/^AuditTable/);
    const importedId = (resource: unknown): string => {
      try {
        return statefulIdOf(resource);
      } catch {
        return '';
      }
    };
    const onAudit = statementsOf(roleIdOf(classify)).filter((s) =>
      /^AuditTable/.test(importedId(s.Resource)),
    );
    // Append-only: it can neither read the trail nor rewrite an event.
    expect(actionsOf(onAudit)).toEqual(['dynamodb:PutItem']);
  });

  it('give the Graph token to the act stage, the sweep and the token refresh alone', () => {
    const holders = functions().filter(([, f]) =>
      JSON.stringify(statementsOf(roleIdOf(f))).includes('GraphTokenSecret'),
    );
    expect(holders.map(([id]) => id).sort()).toEqual(
      [
        functionId('Act'),
        functionId('OperationsSweepFunction'),
        functionId('OperationsTokenRefreshFunction'),
      ].sort(),
    );
  });

  it('use no wildcard resource except for X-Ray', () => {
    for (const [id, f] of functions()) {
      const wild = statementsOf(roleIdOf(f)).filter((s) =>
        JSON.stringify(s.Resource).includes('*'),
      );
      expect(actionsOf(wild), id).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });
});

describe('webhook API', () => {
  const webhookApiId = (): string => {
    const ids = Object.keys(
      stateless.findResources('AWS::ApiGateway::RestApi', {
        Properties: { Description: Match.stringLikeRegexp('webhook') },
      }),
    );
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  };

  it('serves GET and POST on /webhook', () => {
    const resource = Object.keys(
      stateless.findResources('AWS::ApiGateway::Resource', {
        Properties: { PathPart: 'webhook', RestApiId: { Ref: webhookApiId() } },
      }),
    )[0];
    for (const method of ['GET', 'POST']) {
      stateless.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        ResourceId: { Ref: resource },
        Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
      });
    }
  });

  it('throttles the stage, logs access as JSON and never logs bodies', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      RestApiId: { Ref: webhookApiId() },
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('^\\{') }),
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
  });

  it('does not base64 the body, which the signature covers byte for byte', () => {
    const api = stateless.toJSON().Resources[webhookApiId()] as Resource;
    expect(api.Properties.BinaryMediaTypes).toBeUndefined();
  });
});

describe('review API', () => {
  const reviewApiId = () =>
    Object.keys(
      stateless.findResources('AWS::ApiGateway::RestApi', {
        Properties: { Description: Match.stringLikeRegexp('review') },
      }),
    )[0];

  it('requires a Cognito token of the staff pool on every method', () => {
    const reviewApi = reviewApiId();
    const methods = resourcesOf(stateless, 'AWS::ApiGateway::Method').filter(
      ([, m]) => (m.Properties.RestApiId as { Ref: string }).Ref === reviewApi,
    );
    expect(methods).toHaveLength(10);
    const authorizers = resourcesOf(stateless, 'AWS::ApiGateway::Authorizer').filter(
      ([, a]) => (a.Properties.RestApiId as { Ref: string }).Ref === reviewApi,
    );
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, Resource];
    expect(authorizer.Properties.Type).toBe('COGNITO_USER_POOLS');
    expect(authorizer.Properties.IdentitySource).toBe('method.request.header.Authorization');
    const pools = authorizer.Properties.ProviderARNs as unknown[];
    expect(pools.map(statefulIdOf)).toEqual([expect.stringMatching(/^StaffUsersPool/)]);
    for (const [id, m] of methods) {
      expect(m.Properties.AuthorizationType, id).toBe('COGNITO_USER_POOLS');
      expect(m.Properties.AuthorizerId, id).toEqual({ Ref: authorizerId });
    }
  });

  it('lets the function count queue messages for the health page, and nothing more on them', () => {
    const f = fn('ReviewApiFunction');
    const statements = statementsOf(roleIdOf(f));
    const depth = statements.filter((s) => s.Action === 'sqs:GetQueueAttributes');
    expect(depth).toHaveLength(2);
    expect(actionsOf(statements).filter((a) => a.startsWith('sqs:'))).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:SendMessage',
    ]);
    const env = envOf(f);
    for (const name of [ENV.commentsQueueUrl, ENV.commentsDlqUrl, ENV.actionsDlqUrl]) {
      expect(env[name], name).toBeDefined();
    }
    expect(env[ENV.actionsEnabled]).toBe('false');
  });
});

describe('daily digest', () => {
  it('runs at 08:50 JST on weekdays, Rumoi’s opening time', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(50 23 ? * SUN,MON,TUE,WED,THU *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('DailyDigestFunction'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('keeps failed invocations in a dead-letter queue', () => {
    const queues = resourcesOf(stateless, 'AWS::SQS::Queue').filter(([id]) =>
      id.startsWith('DailyDigest'),
    );
    expect(queues).toHaveLength(1);
    const queueArn = { 'Fn::GetAtt': [(queues[0] as [string, Resource])[0], 'Arn'] };
    expect(fn('DailyDigestFunction').Properties.DeadLetterConfig).toEqual({ TargetArn: queueArn });
    stateless.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: queueArn } })],
    });
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOf(stateless, 'AWS::CloudWatch::Alarm');
  const alarmsOn = (metricName: string) =>
    alarms().filter(([, a]) => a.Properties.MetricName === metricName);

  it('fire on the first message in every dead-letter queue', () => {
    const dlq = alarmsOn('ApproximateNumberOfMessagesVisible');
    // The work queues' DLQs, and the failed-invocation queues of digest, sweep and token refresh.
    expect(dlq).toHaveLength(Object.keys(QUEUES).length + 3);
    for (const [id, a] of dlq) {
      expect(a.Properties.Threshold, id).toBe(1);
      expect(a.Properties.ComparisonOperator, id).toBe('GreaterThanOrEqualToThreshold');
    }
  });

  it('watch the age of the oldest message in each work queue, and of each dead letter', () => {
    const ages = alarmsOn('ApproximateAgeOfOldestMessage');
    expect(ages.filter(([, a]) => a.Properties.Threshold === 900)).toHaveLength(
      Object.keys(QUEUES).length,
    );
    expect(ages.filter(([, a]) => a.Properties.Threshold === 86_400)).toHaveLength(
      Object.keys(QUEUES).length + 3,
    );
  });

  it('watch errors of every function', () => {
    const errors = alarmsOn('Errors').map(
      ([, a]) => (a.Properties.Dimensions as [{ Value: { Ref: string } }])[0].Value.Ref,
    );
    expect(errors.sort()).toEqual(
      functions()
        .map(([id]) => id)
        .sort(),
    );
  });

  it('watch throttled and permanently failed Graph calls', () => {
    for (const { metricName } of FIRST_ONE_COUNTS) {
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: POWERTOOLS_METRIC_IDENTITY.namespace,
        Dimensions: [{ Name: 'service', Value: 'instagram-policy-guard' }],
        Threshold: 1,
      });
    }
    expect(FIRST_ONE_COUNTS.map((a) => a.metricName)).toContain('GraphThrottled');
  });

  it('all notify the alarm topic', () => {
    const topic = Object.keys(stateless.findResources('AWS::SNS::Topic'))[0];
    for (const [id, a] of alarms()) {
      expect(a.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
    }
  });

  it('come with a dashboard', () => {
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
