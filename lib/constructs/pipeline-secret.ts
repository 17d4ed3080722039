import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

interface PipelineSecretProps {
  /** What the secret holds and its JSON shape: shown in the console to whoever sets it. */
  readonly description: string;
  readonly encryptionKey: IKey;
  /**
   * When set, CloudFormation generates a random value for this JSON field at creation
   * (`{ "<field>": "<random>" }`). When absent the secret is created empty: an operator puts the real
   * value, which comes from outside AWS (Meta), so the template never carries a value or a placeholder.
   */
  readonly generatedField?: string;
  /** Why the secret is not rotated by Secrets Manager (AwsSolutions-SMG4). */
  readonly rotationReason: string;
}

/**
 * A Secrets Manager secret under the customer-managed key whose value never appears in the template,
 * the environment or the logs: functions get its ARN and read it at run time.
 */
class PipelineSecret extends Construct {
  readonly secret: Secret;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: PipelineSecretProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.secret = new Secret(this, 'Secret', {
      description: props.description,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.generatedField
        ? {
            generateSecretString: {
              secretStringTemplate: '{}',
              generateStringKey: props.generatedField,
              passwordLength: 64,
              excludePunctuation: true,
            },
          }
        : {}),
    });
    if (!props.generatedField) {
      // The L2 construct always asks CloudFormation for a random password; without either property
      // CloudFormation creates the secret with no value, so nothing can mistake it for a real one.
      (this.secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride(
        'GenerateSecretString',
      );
    }
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: props.rotationReason,
    });
  }
}

export type { PipelineSecretProps };
export { PipelineSecret };
