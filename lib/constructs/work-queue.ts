import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../resources';

interface WorkQueueProps {
  /** Settings from `lib/resources.ts` QUEUES: the local runtime builds the same queue from them. */
  readonly definition: QueueDefinition;
  /** Customer-managed key for both queues: raw comment text lives only here. */
  readonly encryptionKey: IKey;
}

/**
 * A work queue and its dead-letter queue, secure by default: both encrypted with the customer key,
 * TLS-only, redrive after `maxReceiveCount` receives, the DLQ kept longer than the source so a
 * poison message outlives the source retention and can be redriven.
 */
class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly definition: QueueDefinition;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { definition, encryptionKey } = props;
    if (definition.maxReceiveCount < 5) {
      // Throttled Lambda receives count too: fewer than five sends healthy messages to the DLQ.
      throw new Error(`${definition.id}: maxReceiveCount must be at least 5`);
    }
    if (definition.deadLetterRetentionDays <= definition.retentionDays) {
      throw new Error(`${definition.id}: the DLQ must keep messages longer than the source queue`);
    }
    this.definition = definition;
    this.encryptionKey = encryptionKey;

    // Queues hold raw comment text for days at most: deleting the stack deletes them (unlike tables).
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(definition.deadLetterRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the dead-letter queue: it is the end of the redrive chain, emptied by a person.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(definition.retentionDays),
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}

export type { WorkQueueProps };
export { WorkQueue };
