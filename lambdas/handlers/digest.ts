import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { ENV } from '../../lib/resources';
import { createAuditStore } from '../adapters/audit-store';
import { createSnsDigestPublisher } from '../adapters/digest-publisher';
import { type Env, requireEnv } from '../adapters/env';
import { loadOfficeHours, policyPackFromEnv } from '../adapters/policy';
import { createReviewStore } from '../adapters/review-store';
import { traced } from '../adapters/tracing';
import { createBusinessCalendar } from '../core/calendar/calendar';
import { type DigestDeps, type DigestRun, runDigest } from '../core/review/service';

/**
 * The daily digest, scheduled at 08:50 JST on weekdays (EventBridge). Holidays and the year-end
 * break are not in the schedule: the function checks the business calendar and skips closed days.
 * The scheduled time of the event is the digest's instant, so a retried invocation covers the same
 * period (and is recognised as already sent).
 */

/** Name of the environment variable with the digest topic ARN (to move into `ENV`). */
const DIGEST_TOPIC_ENV = 'DIGEST_TOPIC_ARN';

type DigestHandler = (event: Pick<ScheduledEvent, 'time'>) => Promise<DigestRun>;

interface DigestHandlerDeps extends DigestDeps {
  readonly now?: () => Date;
  readonly logger?: Logger;
}

const createDigestHandler = (deps: DigestHandlerDeps): DigestHandler => {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? new Logger({ serviceName: 'digest' });
  return async (event) => {
    const scheduled = Date.parse(event.time ?? '');
    const at = Number.isFinite(scheduled) ? new Date(scheduled) : now();
    const run = await runDigest(deps, at);
    if (run.status === 'published') {
      logger.info('digest published', {
        day: run.digest.day,
        decisions: run.digest.decisions,
        pending: run.digest.pending.length,
        inquiries: run.digest.inquiries.length,
      });
    } else {
      logger.info('digest skipped', { status: run.status });
    }
    return run;
  };
};

const buildDigestHandlerFromEnv = (env: Env): DigestHandler => {
  const officeHours = loadOfficeHours(policyPackFromEnv(env));
  const doc = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createDigestHandler({
    store: createReviewStore(doc, requireEnv(env, ENV.decisionsTable)),
    audit: createAuditStore(doc, requireEnv(env, ENV.auditTable)),
    publisher: createSnsDigestPublisher(
      traced(new SNSClient({})),
      requireEnv(env, DIGEST_TOPIC_ENV),
    ),
    calendar: createBusinessCalendar(officeHours),
    auditRetentionDays: officeHours.review.auditRetentionDays,
    policyVersion: officeHours.version,
  });
};

let digest: DigestHandler | undefined;

const handler: DigestHandler = (event) => {
  digest ??= buildDigestHandlerFromEnv(process.env);
  return digest(event);
};

export type { DigestHandler, DigestHandlerDeps };
export { buildDigestHandlerFromEnv, createDigestHandler, DIGEST_TOPIC_ENV, handler };
