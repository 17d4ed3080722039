import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../resources';

interface PipelineTableProps {
  /** Keys, indexes and TTL attribute from `lib/resources.ts` TABLES. */
  readonly definition: TableDefinition;
  readonly encryptionKey: IKey;
}

/** DynamoDB's longest recovery window; copies older than this are gone. */
const PITR_RECOVERY_DAYS = 35;

const toAttribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

/**
 * A DynamoDB table built from its plain definition, with the house defaults that are not optional:
 * customer-managed key, point-in-time recovery, TTL where the definition names an expiry attribute,
 * deletion protection and retain on stack deletion (records of decisions are evidence).
 */
class PipelineTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: PipelineTableProps) {
    super(scope, id);
    const { definition, encryptionKey } = props;
    this.definition = definition;
    this.encryptionKey = encryptionKey;
    this.table = new Table(this, 'Table', {
      partitionKey: toAttribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: toAttribute(definition.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey,
      // Stated, not defaulted: an erased item stays restorable for this long (README, "Retention").
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: PITR_RECOVERY_DAYS,
      },
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: toAttribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: toAttribute(index.sortKey) } : {}),
      });
    }
  }

  /** ARNs of the named indexes, so a policy can name exactly the indexes a reader queries. */
  indexArns(indexNames: readonly string[]): string[] {
    const known = new Set(this.definition.indexes.map((i) => i.indexName));
    return indexNames.map((name) => {
      if (!known.has(name)) throw new Error(`${this.definition.id} has no index ${name}`);
      return `${this.table.tableArn}/index/${name}`;
    });
  }
}

export type { PipelineTableProps };
export { PITR_RECOVERY_DAYS, PipelineTable };
