/**
 * Secrets Manager cannot run on this machine: a stand-in at the SDK client's `send`, following the
 * documented behaviour of the two calls the project makes. `GetSecretValue` returns the current
 * (`AWSCURRENT`) version with its `CreatedDate`; `PutSecretValue` stores a new version that becomes
 * current, idempotent on `ClientRequestToken` (the same token with another value is refused);
 * an unknown secret answers `ResourceNotFoundException`. Failures can be injected per call.
 */
import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

interface Version {
  readonly versionId: string;
  readonly value: string;
  readonly createdAt: Date;
}

class FakeSecretsError extends Error {
  readonly $fault: 'client' | 'server';
  constructor(name: string, fault: 'client' | 'server' = 'client') {
    super(name);
    this.name = name;
    this.$fault = fault;
  }
}

interface FakeSecretsManager extends Pick<SecretsManagerClient, 'send'> {
  /** Creates or replaces a secret with one current version written at `createdAt`. */
  seed(arn: string, value: string, createdAt: Date): void;
  current(arn: string): Version | undefined;
  versions(arn: string): readonly Version[];
  /** The next calls of this command fail with this error name. */
  failNext(command: 'GetSecretValue' | 'PutSecretValue', errorName: string): void;
  setClock(now: () => number): void;
}

const createFakeSecretsManager = (): FakeSecretsManager => {
  const secrets = new Map<string, Version[]>();
  const failures: { command: string; errorName: string }[] = [];
  let clock = Date.now;
  const injected = (command: string) => {
    const i = failures.findIndex((f) => f.command === command);
    if (i < 0) return;
    const [failure] = failures.splice(i, 1);
    throw new FakeSecretsError(failure?.errorName ?? 'InternalServiceError', 'server');
  };
  const versionsOf = (arn: string | undefined): Version[] => {
    const found = arn === undefined ? undefined : secrets.get(arn);
    if (!found) throw new FakeSecretsError('ResourceNotFoundException');
    return found;
  };
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof GetSecretValueCommand) {
      injected('GetSecretValue');
      const current = versionsOf(command.input.SecretId).at(-1);
      if (!current) throw new FakeSecretsError('ResourceNotFoundException');
      return {
        ARN: command.input.SecretId,
        VersionId: current.versionId,
        SecretString: current.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: current.createdAt,
      };
    }
    if (command instanceof PutSecretValueCommand) {
      injected('PutSecretValue');
      const versions = versionsOf(command.input.SecretId);
      const token = command.input.ClientRequestToken ?? randomUUID();
      const value = command.input.SecretString ?? '';
      const same = versions.find((v) => v.versionId === token);
      if (same && same.value !== value) throw new FakeSecretsError('ResourceExistsException');
      if (!same) versions.push({ versionId: token, value, createdAt: new Date(clock()) });
      return { ARN: command.input.SecretId, VersionId: token, VersionStages: ['AWSCURRENT'] };
    }
    throw new FakeSecretsError('UnsupportedCommand');
  };
  return {
    send: send as SecretsManagerClient['send'],
    seed(arn, value, createdAt) {
      secrets.set(arn, [{ versionId: randomUUID(), value, createdAt }]);
    },
    current: (arn) => secrets.get(arn)?.at(-1),
    versions: (arn) => secrets.get(arn) ?? [],
    failNext(command, errorName) {
      failures.push({ command, errorName });
    },
    setClock(now) {
      clock = now;
    },
  };
};

export type { FakeSecretsManager };
export { createFakeSecretsManager };
