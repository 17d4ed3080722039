import { rmSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, TABLES } from '../../lib/resources';
import { type Json, resourcesOf, synthesizePipeline } from './support/pipeline';

let stateful: Template;
let keyId: string;
let outdir: string;

beforeAll(() => {
  ({ stateful, outdir } = synthesizePipeline());
  const keys = Object.keys(stateful.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  keyId = keys[0] as string;
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const tables = () => resourcesOf(stateful, 'AWS::DynamoDB::Table');
/** Work queues carry a redrive policy; their DLQs do not. */
const workQueues = () =>
  resourcesOf(stateful, 'AWS::SQS::Queue').filter(([, q]) => q.Properties.RedrivePolicy);
const keyArn = () => ({ 'Fn::GetAtt': [keyId, 'Arn'] });

describe('data key', () => {
  it('is a customer-managed key with yearly rotation', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
    });
  });

  it('outlives the stack', () => {
    stateful.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });
});

describe('tables', () => {
  it('are one per definition in lib/resources.ts', () => {
    expect(tables()).toHaveLength(Object.keys(TABLES).length);
  });

  it('are all encrypted with the customer-managed key', () => {
    for (const [id, table] of tables()) {
      expect(table.Properties.SSESpecification, id).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: keyArn(),
      });
    }
  });

  it('all have point-in-time recovery, whose copies expire after 35 days', () => {
    for (const [id, table] of tables()) {
      expect(table.Properties.PointInTimeRecoverySpecification, id).toEqual({
        PointInTimeRecoveryEnabled: true,
        RecoveryPeriodInDays: 35,
      });
    }
  });

  it('expire items on the TTL attribute their definition names', () => {
    for (const definition of Object.values(TABLES)) {
      if (!('ttlAttribute' in definition)) continue;
      stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: Match.arrayWith([
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ]),
        TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true },
      });
    }
  });

  it('give every table that stores comment-derived data a TTL', () => {
    // The circuit breaker holds one state row per breaker and no personal data.
    const withTtl = tables().filter(([, t]) => t.Properties.TimeToLiveSpecification);
    expect(withTtl).toHaveLength(Object.keys(TABLES).length - 1);
    for (const name of ['decisions', 'piiLedger', 'audit'] as const) {
      expect(TABLES[name].ttlAttribute, name).toBeTruthy();
    }
  });

  it('are protected from deletion and kept when the stack goes', () => {
    for (const [id, table] of tables()) {
      expect(table.Properties.DeletionProtectionEnabled, id).toBe(true);
      expect(table.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('carry the indexes the read paths need, as defined', () => {
    for (const definition of Object.values(TABLES)) {
      for (const index of definition.indexes) {
        stateful.hasResourceProperties('AWS::DynamoDB::Table', {
          GlobalSecondaryIndexes: Match.arrayWith([
            Match.objectLike({
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
              ],
            }),
          ]),
        });
      }
    }
  });
});

describe('queues', () => {
  it('are one work queue per definition, each with its own DLQ', () => {
    expect(workQueues()).toHaveLength(Object.keys(QUEUES).length);
    expect(resourcesOf(stateful, 'AWS::SQS::Queue')).toHaveLength(2 * Object.keys(QUEUES).length);
  });

  it('redrive to the DLQ after exactly 5 receives', () => {
    for (const [id, queue] of workQueues()) {
      expect((queue.Properties.RedrivePolicy as Json).maxReceiveCount, id).toBe(5);
    }
  });

  it('keep raw text 3 days in a work queue and 4 in its DLQ, longer than the source queue', () => {
    for (const [id, queue] of workQueues()) {
      const dlqId = ((queue.Properties.RedrivePolicy as Json).deadLetterTargetArn as Json)[
        'Fn::GetAtt'
      ] as [string, string];
      const dlq = stateful.toJSON().Resources[dlqId[0]] as { Properties: Json };
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(3 * 24 * 3600);
      expect(dlq.Properties.MessageRetentionPeriod, id).toBe(4 * 24 * 3600);
      expect(queue.Properties.MessageRetentionPeriod as number, id).toBeLessThan(
        dlq.Properties.MessageRetentionPeriod as number,
      );
    }
  });

  it('are all encrypted with the customer-managed key', () => {
    for (const [id, queue] of resourcesOf(stateful, 'AWS::SQS::Queue')) {
      expect(queue.Properties.KmsMasterKeyId, id).toEqual(keyArn());
    }
  });

  it('all refuse requests without TLS', () => {
    const policies = resourcesOf(stateful, 'AWS::SQS::QueuePolicy');
    const covered = new Set<string>();
    for (const [, policy] of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement;
      const denyPlainHttp = statements.some(
        (s) =>
          s.Effect === 'Deny' &&
          JSON.stringify(s.Condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      );
      if (!denyPlainHttp) continue;
      for (const q of policy.Properties.Queues as { Ref: string }[]) covered.add(q.Ref);
    }
    const queueIds = resourcesOf(stateful, 'AWS::SQS::Queue').map(([id]) => id);
    expect([...covered].sort()).toEqual(queueIds.sort());
  });
});

describe('secrets', () => {
  it('are encrypted with the customer-managed key', () => {
    for (const [id, secret] of resourcesOf(stateful, 'AWS::SecretsManager::Secret')) {
      expect(secret.Properties.KmsKeyId, id).toEqual(keyArn());
    }
  });

  it('carry no value in the template', () => {
    for (const [id, secret] of resourcesOf(stateful, 'AWS::SecretsManager::Secret')) {
      expect(secret.Properties, id).not.toHaveProperty('SecretString');
      const generated = secret.Properties.GenerateSecretString as Json | undefined;
      // A template with fields would put (placeholder) values in the template.
      if (generated) expect(generated.SecretStringTemplate, id).toBe('{}');
    }
  });

  it('leave the Meta-issued secrets empty for an operator to set', () => {
    const empty = resourcesOf(stateful, 'AWS::SecretsManager::Secret').filter(
      ([, s]) => !s.Properties.GenerateSecretString,
    );
    expect(empty.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^GraphTokenSecret/),
      expect.stringMatching(/^WebhookSecret/),
    ]);
  });

  it('generate the pseudonym key at creation, never in the template', () => {
    stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: 'pseudonymKey',
        PasswordLength: 64,
        ExcludePunctuation: true,
      },
    });
  });

  it('are kept when the stack goes', () => {
    for (const [id, secret] of resourcesOf(stateful, 'AWS::SecretsManager::Secret')) {
      expect(secret.DeletionPolicy, id).toBe('Retain');
    }
  });
});

describe('digest topic', () => {
  it('is encrypted with the customer-managed key', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn() });
  });
});
