import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lib/resources';
import {
  importedLogicalId,
  type Json,
  type Resource,
  resourcesOf,
  synthesizeForSuite,
} from './support/pipeline';

/**
 * The AWS door of data-subject requests: one IAM-authorised route that only the data officer's
 * role may call, and a function whose role reads and deletes exactly what erasure needs.
 */

let stateful: Template;
let stateless: Template;
synthesizeForSuite((synthesized) => {
  ({ stateful, stateless } = synthesized);
});

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Principal?: unknown;
  Condition?: Json;
};

const resources = () => stateless.toJSON().Resources as Record<string, Resource>;
const only = (type: string, prefix: string): [string, Resource] => {
  const found = resourcesOf(stateless, type).filter(([id]) => id.startsWith(prefix));
  expect(
    found.map(([id]) => id),
    `${type} ${prefix}`,
  ).toHaveLength(1);
  return found[0] as [string, Resource];
};
const policyOf = (roleId: string): Statement[] =>
  resourcesOf(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const roleOf = (f: Resource): string =>
  (f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
/** The stateful resource a statement's resource (or one of its resources) points at. */
const targets = (resource: unknown): string[] =>
  (Array.isArray(resource) ? resource : [resource]).map((r) => {
    const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    const base = join ? join[1][0] : r;
    const suffix = join ? String(join[1].slice(1).join('')) : '';
    return `${importedLogicalId(stateful, base).replace(/[0-9A-F]{8}$/, '')}${suffix}`;
  });

/** `table/action` grants of a role, e.g. `DecisionsTable/dynamodb:DeleteItem`. */
const grants = (roleId: string, service: string): string[] =>
  policyOf(roleId)
    .filter((s) => actions(s).some((a) => a.startsWith(`${service}:`)))
    .flatMap((s) => targets(s.Resource).flatMap((t) => actions(s).map((a) => `${t}/${a}`)))
    .sort();

describe('data-request function', () => {
  const fn = () => only('AWS::Lambda::Function', 'DataRequestFunction')[1];

  it('reads and deletes in the decisions, ledger and audit tables only, and puts only its audit record', () => {
    expect(grants(roleOf(fn()), 'dynamodb')).toEqual(
      [
        'AuditTable/dynamodb:DeleteItem',
        'AuditTable/dynamodb:GetItem',
        'AuditTable/dynamodb:PutItem',
        'AuditTable/dynamodb:Query',
        'DecisionsTable/dynamodb:DeleteItem',
        'DecisionsTable/dynamodb:GetItem',
        'DecisionsTable/dynamodb:Query',
        'DecisionsTable/index/byAuthorRef/dynamodb:Query',
        'DecisionsTable/index/byUsernameRef/dynamodb:Query',
        'PiiLedgerTable/dynamodb:DeleteItem',
        'PiiLedgerTable/dynamodb:GetItem',
        'PiiLedgerTable/dynamodb:Query',
        'PiiLedgerTable/index/byValueRef/dynamodb:Query',
      ].sort(),
    );
  });

  it('sweeps the work queues and DLQs, and sends only to the work queues (fresh copies)', () => {
    const sqs = grants(roleOf(fn()), 'sqs');
    for (const family of ['CommentsQueue', 'ActionsQueue']) {
      for (const queue of [family, `${family}DeadLetterQueue`]) {
        for (const action of ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility']) {
          expect(sqs).toContain(`${queue}/sqs:${action}`);
        }
      }
      expect(sqs).toContain(`${family}/sqs:SendMessage`);
      expect(sqs).not.toContain(`${family}DeadLetterQueue/sqs:SendMessage`);
    }
    expect(sqs).toHaveLength(14);
  });

  it('reads the pseudonym key and no other secret', () => {
    const secrets = grants(roleOf(fn()), 'secretsmanager');
    expect(secrets).toEqual([expect.stringMatching(/^PseudonymSecret.*GetSecretValue$/)]);
  });

  it('is the only function that may delete anything', () => {
    for (const [id, f] of resourcesOf(stateless, 'AWS::Lambda::Function')) {
      const deletes = policyOf(roleOf(f)).some((s) => actions(s).includes('dynamodb:DeleteItem'));
      expect(deletes, id).toBe(id.startsWith('DataRequestFunction'));
    }
  });

  it('knows its tables, queues, DLQs and the officer role by name, and fits the API timeout', () => {
    const env = (fn().Properties.Environment as { Variables: Json }).Variables;
    for (const name of [
      ENV.decisionsTable,
      ENV.piiLedgerTable,
      ENV.auditTable,
      ENV.commentsQueueUrl,
      ENV.commentsDlqUrl,
      ENV.actionsQueueUrl,
      ENV.actionsDlqUrl,
      ENV.pseudonymSecretArn,
    ]) {
      expect(env[name], name).toBeDefined();
    }
    const [roleId] = only('AWS::IAM::Role', 'DataRequestApiDataOfficerRole');
    expect(env[ENV.dataOfficerRoleName]).toEqual({ Ref: roleId });
    expect(fn().Properties.Timeout as number).toBeLessThan(29);
    expect(fn().Properties.MemorySize as number).toBeGreaterThanOrEqual(1536);
  });
});

describe('data-request API', () => {
  const api = () => only('AWS::ApiGateway::RestApi', 'DataRequestApi');
  const officer = () => only('AWS::IAM::Role', 'DataRequestApiDataOfficerRole');

  it('has one route, POST /data-requests, IAM-authorised, proxied to the function', () => {
    const [apiId] = api();
    const methods = resourcesOf(stateless, 'AWS::ApiGateway::Method').filter(
      ([, m]) => (m.Properties.RestApiId as { Ref: string }).Ref === apiId,
    );
    expect(methods).toHaveLength(1);
    const method = (methods[0] as [string, Resource])[1];
    expect(method.Properties.HttpMethod).toBe('POST');
    expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    const resource = resources()[(method.Properties.ResourceId as { Ref: string }).Ref] as Resource;
    expect(resource.Properties.PathPart).toBe('data-requests');
    expect(JSON.stringify(method.Properties.Integration)).toContain('DataRequestFunction');
  });

  it('admits the data officer role alone: every other principal is denied by the resource policy', () => {
    const [, rest] = api();
    const [roleId] = officer();
    const roleArn = { 'Fn::GetAtt': [roleId, 'Arn'] };
    const statements = (rest.Properties.Policy as { Statement: Statement[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: roleArn } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn } },
      }),
    );
  });

  it('gives the officer role the right to call that route and nothing else', () => {
    const [roleId, role] = officer();
    const statements = policyOf(roleId);
    expect(statements).toHaveLength(1);
    const [statement] = statements as [Statement];
    expect(actions(statement)).toEqual(['execute-api:Invoke']);
    expect(JSON.stringify(statement.Resource)).toMatch(/"\/prod\/POST\/data-requests"/);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    // Assumable within this account only, by principals the city allows sts:AssumeRole on it.
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toMatch(/:root/);
  });

  it('is throttled hard and logs no bodies', () => {
    const [apiId] = api();
    stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      RestApiId: { Ref: apiId },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 1, DataTraceEnabled: false })],
    });
  });

  it('is given to the operator as outputs', () => {
    const outputs = stateless.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['DataRequestUrl', 'DataOfficerRoleArn']),
    );
  });
});

describe('tables', () => {
  it('let a request by @username find decisions through byUsernameRef', () => {
    const [, decisions] = resourcesOf(stateful, 'AWS::DynamoDB::Table').find(([id]) =>
      id.startsWith('DecisionsTable'),
    ) as [string, Resource];
    const indexes = decisions.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string }[];
    }[];
    const byUsername = indexes.find((i) => i.IndexName === 'byUsernameRef');
    expect(byUsername?.KeySchema.map((k) => k.AttributeName)).toEqual(['usernameRef', 'decidedAt']);
  });
});
