import type { IAspect } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * Encrypts every CloudWatch log group of the scope it is applied to with the data key: function
 * logs, API access logs, and any log group a later construct adds, so none is left on the default
 * service key by omission. A log group that already names a key keeps it. The key's policy lets
 * CloudWatch Logs use it for this account's log groups (see `DataKey`).
 */
class EncryptLogGroups implements IAspect {
  readonly #key: IKey;

  constructor(key: IKey) {
    this.#key = key;
  }

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup && node.kmsKeyId === undefined)
      node.kmsKeyId = this.#key.keyArn;
  }
}

export { EncryptLogGroups };
