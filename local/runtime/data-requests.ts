import type { Logger } from '@aws-lambda-powertools/logger';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDataRequestStore } from '../../lambdas/adapters/data-request-store';
import { createQueueSweeper } from '../../lambdas/adapters/queue-sweeper';
import { analyze } from '../../lambdas/core/analyze';
import type { Policy } from '../../lambdas/core/policy/schema';
import type { Tokenizer } from '../../lambdas/core/tokenizer';
import { createDataRequestApi, localOfficerIdentity } from '../../lambdas/handlers/data-request';
import { QUEUES } from '../../lib/resources';
import type { Embedded } from '../embedded';
import { DATA_REQUESTS_PREFIX } from './data-request-route';
import type { ProxyMount } from './http-server';

/**
 * `POST /api/data-requests` on the local server: the same handler and core use case as the AWS
 * route, wired to the embedded tables and queues. Nobody signs local requests, so the
 * `x-data-officer` header names the officer (`npm run data-request` sends it).
 */

interface DataRequestRouteOptions {
  readonly embedded: Pick<Embedded, 'doc' | 'sqs' | 'tableNames' | 'queues'>;
  readonly pseudonymKey: string;
  readonly policy: Policy;
  readonly tokenizer: Tokenizer;
  readonly auditRetentionDays: number;
  readonly logger: Logger;
}

const dataRequestMount = (options: DataRequestRouteOptions): ProxyMount => {
  const { doc, sqs, tableNames, queues } = options.embedded;
  const { policy, tokenizer } = options;
  const handler = createDataRequestApi({
    identify: localOfficerIdentity,
    logger: options.logger,
    ports: {
      store: createDataRequestStore(doc, tableNames),
      queues: createQueueSweeper({
        sqs,
        queues: [
          { url: queues.comments.url, maxReceiveCount: QUEUES.comments.maxReceiveCount },
          { url: queues.comments.deadLetterUrl },
          { url: queues.actions.url, maxReceiveCount: QUEUES.actions.maxReceiveCount },
          { url: queues.actions.deadLetterUrl },
        ],
        // The embedded SQS is one server: a short poll sees every message.
        waitSeconds: 0,
      }),
      audit: createAuditStore(doc, tableNames.audit),
      findPii: (text) => analyze(text, { policy, tokenizer }).pii,
      pseudonymKey: options.pseudonymKey,
      policyVersion: policy.version,
      auditRetentionDays: options.auditRetentionDays,
      now: () => new Date(),
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  });
  return { prefix: DATA_REQUESTS_PREFIX, handler };
};

export type { DataRequestRouteOptions };
export { dataRequestMount };
