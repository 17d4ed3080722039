import { Aws, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** Managing the key, never using it: what the account's administrators (and CloudFormation) get. */
const ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

const DATA_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

interface DataKeyProps {
  /**
   * IAM roles or users named as the key's administrators: they manage the key and, through SQS,
   * Secrets Manager and DynamoDB only, use it (inspect and redrive dead letters, put the Meta
   * secrets, read decisions in the console). From the `keyAdminArns` context.
   */
  readonly adminArns?: readonly string[];
}

/**
 * The customer-managed key of every table, queue, secret, topic and log group, with a key policy
 * that names who may use it, instead of the default that lets any IAM principal of the account use
 * it through its IAM policies:
 *
 * - the account (CloudFormation, administrators) may manage the key, not use it;
 * - the named administrators may manage it, and use it through SQS, Secrets Manager and DynamoDB;
 * - the pipeline's function roles, each by name (`allowFunctionRoles`), may use it; their IAM
 *   policies narrow that further to the services they call (`kms:ViaService`);
 * - CloudWatch Logs may use it for this account's log groups (encrypted log groups);
 * - Secrets Manager, for the account: the secrets construct adds that statement itself, since
 *   setting a secret value (an operator, or CloudFormation generating the pseudonym key) needs it.
 *
 * The function roles are named through `aws:PrincipalArn` on the account principal: a key policy
 * that names a role which does not exist yet (the functions' stack is deployed after this one) is
 * refused, a condition is not, and it survives a role being replaced.
 */
class DataKey extends Key {
  readonly #roleNames: string[] = [];

  constructor(scope: Construct, id: string, props: DataKeyProps = {}) {
    const admins = (props.adminArns ?? []).map((arn) => new ArnPrincipal(arn));
    const statements = [
      new PolicyStatement({
        sid: 'AccountManagesTheKeyOnly',
        principals: [new AccountRootPrincipal()],
        actions: ADMIN_ACTIONS,
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    ];
    if (admins.length > 0) {
      statements.push(
        new PolicyStatement({
          sid: 'NamedAdministratorsManageTheKey',
          principals: admins,
          actions: ADMIN_ACTIONS,
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'NamedAdministratorsUseItThroughTheDataServices',
          principals: admins,
          actions: [...DATA_ACTIONS, 'kms:DescribeKey'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:ViaService': ['sqs', 'secretsmanager', 'dynamodb'].map(
                (service) => `${service}.${Aws.REGION}.amazonaws.com`,
              ),
            },
          },
        }),
      );
    }
    super(scope, id, {
      description: 'instagram-policy-guard data: tables, queues, secrets, topics, log groups',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
      // Replaces CDK's default policy (the account may do anything with the key).
      policy: new PolicyDocument({ statements }),
    });
  }

  /** Names these roles (physical names, no references) in the key policy as its users. */
  allowFunctionRoles(roleNames: readonly string[]): void {
    if (this.#roleNames.length === 0 && roleNames.length > 0) {
      this.addToResourcePolicy(
        new PolicyStatement({
          sid: 'PipelineFunctionRolesUseTheKey',
          principals: [new AccountRootPrincipal()],
          actions: [...DATA_ACTIONS, 'kms:DescribeKey'],
          resources: ['*'],
          conditions: {
            ArnEquals: {
              'aws:PrincipalArn': Lazy.list({
                produce: () =>
                  this.#roleNames.map(
                    (name) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${name}`,
                  ),
              }),
            },
          },
        }),
      );
    }
    for (const name of roleNames) if (!this.#roleNames.includes(name)) this.#roleNames.push(name);
  }
}

export type { DataKeyProps };
export { ADMIN_ACTIONS, DataKey };
