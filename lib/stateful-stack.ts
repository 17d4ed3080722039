import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DataKey } from './constructs/data-key';
import { PipelineSecret } from './constructs/pipeline-secret';
import { PipelineTable } from './constructs/pipeline-table';
import { StaffUserPool } from './constructs/staff-user-pool';
import { WorkQueue } from './constructs/work-queue';
import { QUEUES, TABLES } from './resources';

type TableName = keyof typeof TABLES;
type QueueName = keyof typeof QUEUES;

interface PipelineSecrets {
  /** `{ "appSecrets": string[], "verifyToken": string }`; set by an operator. */
  readonly webhook: PipelineSecret;
  /** `{ "accessToken": string }`; set by an operator. */
  readonly graphToken: PipelineSecret;
  /** `{ "pseudonymKey": string }`; generated at creation. */
  readonly pseudonym: PipelineSecret;
}

/**
 * Everything that holds data: the customer-managed key, the tables, the queues, the secrets and the
 * digest topic (its subscriptions).
 * The stateless stack (functions, API, alarms) can be destroyed and redeployed freely; this one
 * keeps its tables, key and secrets even when the stack itself is deleted.
 */
interface StatefulStackProps extends StackProps {
  /** Managed-login domain prefix of the staff user pool (`-c staffAuthDomainPrefix=...`). */
  readonly staffAuthDomainPrefix?: string;
  /** IAM ARNs named as the data key's administrators (context `keyAdminArns`). */
  readonly keyAdminArns?: readonly string[];
}

class StatefulStack extends Stack {
  readonly key: DataKey;
  readonly tables: Readonly<Record<TableName, PipelineTable>>;
  readonly queues: Readonly<Record<QueueName, WorkQueue>>;
  readonly secrets: PipelineSecrets;
  /** Staff subscribe to the daily digest here; kept with the data so subscriptions survive. */
  readonly digestTopic: Topic;
  /** Staff accounts for the console and the review API (users are data: kept here). */
  readonly staff: StaffUserPool;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    const { staffAuthDomainPrefix, keyAdminArns, ...stackProps } = props;
    super(scope, id, {
      description: 'instagram-policy-guard: key, tables, queues, secrets and staff accounts',
      ...stackProps,
    });
    // Its policy names its users; the function roles are added once the other stack is built.
    this.key = new DataKey(this, 'DataKey', {
      ...(keyAdminArns ? { adminArns: keyAdminArns } : {}),
    });

    const tables = {} as Record<TableName, PipelineTable>;
    for (const [name, definition] of Object.entries(TABLES) as [
      TableName,
      (typeof TABLES)[TableName],
    ][]) {
      tables[name] = new PipelineTable(this, `${capitalise(name)}Table`, {
        definition,
        encryptionKey: this.key,
      });
    }
    this.tables = tables;

    const queues = {} as Record<QueueName, WorkQueue>;
    for (const [name, definition] of Object.entries(QUEUES) as [
      QueueName,
      (typeof QUEUES)[QueueName],
    ][]) {
      queues[name] = new WorkQueue(this, `${capitalise(name)}Queue`, {
        definition,
        encryptionKey: this.key,
      });
    }
    this.queues = queues;

    this.digestTopic = new Topic(this, 'DigestTopic', {
      displayName: 'instagram-policy-guard daily digest',
      masterKey: this.key,
      enforceSSL: true,
    });

    const metaRotation =
      'The value is issued by Meta and cannot be rotated by a Lambda here; rotation is a documented manual step (the webhook accepts the old and new app secret together).';
    this.secrets = {
      webhook: new PipelineSecret(this, 'WebhookSecret', {
        description:
          'Instagram webhook: {"appSecrets": ["<Meta app secret>", ...], "verifyToken": "<token typed in the Meta dashboard>"}',
        encryptionKey: this.key,
        rotationReason: metaRotation,
      }),
      graphToken: new PipelineSecret(this, 'GraphTokenSecret', {
        description: 'Instagram Graph API: {"accessToken": "<long-lived token>"}',
        encryptionKey: this.key,
        rotationReason: metaRotation,
      }),
      pseudonym: new PipelineSecret(this, 'PseudonymSecret', {
        description:
          'Keyed pseudonyms for user ids and personal data: {"pseudonymKey": "<random>"}',
        encryptionKey: this.key,
        generatedField: 'pseudonymKey',
        rotationReason:
          'Rotating the pseudonym key would unlink every stored authorRef/valueRef from new ones and break erasure requests; it is only replaced together with a re-keying of the tables.',
      }),
    };

    this.staff = new StaffUserPool(this, 'StaffUsers', {
      ...(staffAuthDomainPrefix ? { domainPrefix: staffAuthDomainPrefix } : {}),
    });

    // What an operator needs after the first deploy (README "Deploying to AWS").
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.secrets.webhook.secret.secretArn,
      description: 'Put {"appSecrets": ["..."], "verifyToken": "..."} here',
    });
    new CfnOutput(this, 'GraphTokenSecretArn', {
      value: this.secrets.graphToken.secret.secretArn,
      description: 'Put {"accessToken": "..."} here',
    });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.staff.userPool.userPoolId,
      description: 'Create staff users here (README "Staff console")',
    });
    new CfnOutput(this, 'DigestTopicArn', {
      value: this.digestTopic.topicArn,
      description: 'Subscribe staff addresses for the daily digest',
    });
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export type { PipelineSecrets, QueueName, StatefulStackProps, TableName };
export { StatefulStack };
