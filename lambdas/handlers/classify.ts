import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '../../lib/resources';
import { createActionQueue } from '../adapters/action-queue';
import { createAuditStore } from '../adapters/audit-store';
import { createDecisionStore } from '../adapters/decision-store';
import { type Env, requireEnv } from '../adapters/env';
import { loadTokenizer } from '../adapters/kuromoji-tokenizer';
import { createPiiLedger } from '../adapters/pii-ledger';
import { loadPolicyPack, policyPackFromEnv } from '../adapters/policy';
import { loadPseudonymKey } from '../adapters/pseudonym-key';
import { analyzeDeps } from '../adapters/text-model';
import { traced } from '../adapters/tracing';
import { analyze } from '../core/analyze';
import { createBusinessCalendar } from '../core/calendar/calendar';
import type { ClassifyPorts } from '../core/classify-stage/ports';
import { processComment } from '../core/classify-stage/process-comment';
import type { OffHoursPolicy } from '../core/classify-stage/records';
import { type CommentMessage, commentMessageSchema } from '../core/contracts/comment-message';

/**
 * Classify stage: comments queue → decision + personal-data ledger + action message. Thin on
 * purpose: parse and validate each record, hand it to `processComment`, report partial failures.
 * A failed record stays on the queue and comes back after its visibility timeout; after
 * maxReceiveCount receives SQS moves it to the DLQ. Its batch-mates are unaffected either way.
 */

/** The core's ports, with the clock optional (wall clock by default) and a logger. */
type ClassifyHandlerDeps = Omit<ClassifyPorts, 'now'> & {
  readonly now?: () => Date;
  readonly logger?: Logger;
};

type ClassifyHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** The record can never succeed (not JSON, or not a comment message): it is bound for the DLQ. */
class InvalidCommentMessageError extends Error {
  override readonly name = 'InvalidCommentMessageError';
  /** Paths and zod issue codes only: the offending values may be personal data. */
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid comment message: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

const parseRecord = (record: SQSRecord): CommentMessage => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new InvalidCommentMessageError(['body: not JSON']);
  }
  const parsed = commentMessageSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidCommentMessageError(
      parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`),
    );
  }
  return parsed.data;
};

const receiveCount = (record: SQSRecord): number =>
  Number(record.attributes?.ApproximateReceiveCount ?? '0');

const createClassifyHandler = (deps: ClassifyHandlerDeps): ClassifyHandler => {
  const logger = deps.logger ?? new Logger({ serviceName: 'classify' });
  const { logger: _logger, now, ...rest } = deps;
  const ports: ClassifyPorts = { ...rest, now: now ?? (() => new Date()) };

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let commentId: string | undefined;
    try {
      const message = parseRecord(record);
      commentId = message.commentId;
      const result = await processComment(message, ports, { deliveryId: record.messageId });
      logger.info('comment handled', {
        commentId,
        messageId: record.messageId,
        outcome: result.outcome,
        action: result.decision.action,
        ...(result.decision.interimAction !== undefined
          ? { interimAction: result.decision.interimAction }
          : {}),
        categories: result.decision.categories.map((c) => c.id),
        piiTypes: result.decision.piiTypes,
        pendingFetch: result.decision.pendingFetch === true,
        ledgerRows: result.ledgerRows,
        actionEnqueued: result.actionEnqueued,
      });
    } catch (error) {
      // Error names and ids only: SDK and validation messages can echo item or message values.
      logger.warn('comment failed', {
        commentId,
        messageId: record.messageId,
        receiveCount: receiveCount(record),
        errorName: error instanceof Error ? error.name : 'unknown',
        ...(error instanceof InvalidCommentMessageError ? { issues: error.issues } : {}),
      });
      throw error;
    }
  };

  return async (event, context) => {
    // One processor per invocation: its state is per batch, and a local runtime may run batches
    // concurrently in one process.
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, recordHandler, processor, {
      ...(context ? { context } : {}),
      // A batch where every record failed is reported like any other partial failure: each
      // record takes its own path to the DLQ instead of an invocation error retrying the batch.
      throwOnFullBatchFailure: false,
    });
    logger.info('batch handled', {
      records: event.Records.length,
      failed: response.batchItemFailures.length,
    });
    return response;
  };
};

/** A pack's office hours as the classify stage applies them (article 5). */
const offHoursFor = (policyPack: string): OffHoursPolicy => {
  const hours = loadPolicyPack(policyPack).officeHours;
  return {
    calendar: createBusinessCalendar(hours),
    rule: hours.offHours,
    auditRetentionDays: hours.review.auditRetentionDays,
  };
};

/** Everything the deployed function needs, read once per process; fails fast when incomplete. */
const buildClassifyHandlerFromEnv = async (env: Env): Promise<ClassifyHandler> => {
  const decisionsTable = requireEnv(env, ENV.decisionsTable);
  const ledgerTable = requireEnv(env, ENV.piiLedgerTable);
  const actionsQueueUrl = requireEnv(env, ENV.actionsQueueUrl);
  const auditTable = requireEnv(env, ENV.auditTable);
  const pack = policyPackFromEnv(env);
  const pseudonymKey = await loadPseudonymKey({
    env,
    secretsClient: () => traced(new SecretsManagerClient({})),
  });
  const { policy } = loadPolicyPack(pack);
  const offHours = offHoursFor(pack);
  const tokenizer = await loadTokenizer();
  const deps = analyzeDeps(policy, tokenizer);
  // The per-comment adapters take the plain client with its middleware stack resolved once per
  // command class (see dynamo-items.ts); the document client refuses that option.
  const dynamo = traced(new DynamoDBClient({ cacheMiddleware: true }));
  const doc = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = traced(new SQSClient({ cacheMiddleware: true }));
  return createClassifyHandler({
    decisions: createDecisionStore(dynamo, decisionsTable),
    ledger: createPiiLedger(dynamo, ledgerTable),
    actions: createActionQueue(sqs, actionsQueueUrl),
    audit: createAuditStore(doc, auditTable),
    analyze: (text) => analyze(text, deps),
    policy,
    offHours,
    pseudonymKey,
  });
};

let ready: Promise<ClassifyHandler> | undefined;

/** Lambda entry point. */
const handler: ClassifyHandler = async (event, context) => {
  ready ??= buildClassifyHandlerFromEnv(process.env).catch((error: unknown) => {
    // A transient start-up failure (Secrets Manager) must not poison the warm container.
    ready = undefined;
    throw error;
  });
  return (await ready)(event, context);
};

export type { ClassifyHandler, ClassifyHandlerDeps };
export {
  buildClassifyHandlerFromEnv,
  createClassifyHandler,
  handler,
  InvalidCommentMessageError,
  offHoursFor,
};
