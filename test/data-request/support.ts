import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createAuditStore } from '../../lambdas/adapters/audit-store';
import { createDataRequestStore } from '../../lambdas/adapters/data-request-store';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicyPack } from '../../lambdas/adapters/policy';
import { createQueueSweeper } from '../../lambdas/adapters/queue-sweeper';
import { createReviewStore } from '../../lambdas/adapters/review-store';
import { analyze } from '../../lambdas/core/analyze';
import { createBusinessCalendar } from '../../lambdas/core/calendar/calendar';
import type { DataRequestPorts } from '../../lambdas/core/data-request/ports';
import type { Policy } from '../../lambdas/core/policy/schema';
import type { ReviewDeps } from '../../lambdas/core/review/service';
import type { Tokenizer } from '../../lambdas/core/tokenizer';
import {
  createDataRequestApi,
  type DataRequestApi,
  localOfficerIdentity,
} from '../../lambdas/handlers/data-request';
import { createSqsReviewActions } from '../../lambdas/handlers/review-api';
import { QUEUES, TABLES } from '../../lib/resources';
import { type Embedded, type QueueKey, startEmbedded } from '../../local/embedded';
import { TEST_KEY } from '../classify-stage/support/fixtures';
import { type ReliableClients, reliableClients } from '../classify-stage/support/harness';

/**
 * Embedded DynamoDB and SQS with every table and queue, the real analyzer, and the data-request
 * API wired the way the local runtime wires it; plus the test's own views of the whole store.
 */

interface DataRequestStage {
  readonly embedded: Embedded;
  readonly clients: ReliableClients;
  readonly policy: Policy;
  readonly tokenizer: Tokenizer;
  readonly analyze: (text: string) => ReturnType<typeof analyze>;
  readonly ports: DataRequestPorts;
  readonly api: DataRequestApi;
  readonly review: ReviewDeps;
  stop(): Promise<void>;
}

const startDataRequestStage = async (
  prefix: string,
  overrides: Partial<DataRequestPorts> = {},
): Promise<DataRequestStage> => {
  const [embedded, tokenizer] = await Promise.all([
    startEmbedded({ prefix, visibilityTimeoutSeconds: { comments: 30 } }),
    loadTokenizer(),
  ]);
  const clients = reliableClients(embedded);
  const { policy, officeHours: hours } = loadPolicyPack('rumoi');
  const { doc, sqs } = clients;
  const ports: DataRequestPorts = {
    store: createDataRequestStore(doc, embedded.tableNames),
    queues: createQueueSweeper({
      sqs,
      queues: [
        { url: embedded.queues.comments.url, maxReceiveCount: QUEUES.comments.maxReceiveCount },
        { url: embedded.queues.comments.deadLetterUrl },
        { url: embedded.queues.actions.url, maxReceiveCount: QUEUES.actions.maxReceiveCount },
        { url: embedded.queues.actions.deadLetterUrl },
      ],
      waitSeconds: 0,
    }),
    audit: createAuditStore(doc, embedded.tableNames.audit),
    findPii: (text) => analyze(text, { policy, tokenizer }).pii,
    pseudonymKey: TEST_KEY,
    policyVersion: policy.version,
    auditRetentionDays: hours.review.auditRetentionDays,
    now: () => new Date(),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...overrides,
  };
  return {
    embedded,
    clients,
    policy,
    tokenizer,
    analyze: (text) => analyze(text, { policy, tokenizer }),
    ports,
    api: createDataRequestApi({ ports, identify: localOfficerIdentity }),
    review: {
      store: createReviewStore(doc, embedded.tableNames.decisions),
      audit: createAuditStore(doc, embedded.tableNames.audit),
      actions: createSqsReviewActions(sqs, embedded.queues.actions.url),
      calendar: createBusinessCalendar(hours),
      auditRetentionDays: hours.review.auditRetentionDays,
    },
    stop: () => embedded.stop(),
  };
};

type Item = Record<string, unknown>;
type TableKey = keyof typeof TABLES;

interface QueuedMessage {
  /** `comments` or `actions`: a message may move from a work queue to its DLQ between looks. */
  readonly family: QueueKey;
  readonly dlq: boolean;
  readonly body: string;
}

interface Snapshot {
  readonly tables: Record<TableKey, Item[]>;
  readonly queues: QueuedMessage[];
}

const scanTable = async (clients: ReliableClients, table: string): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await clients.doc.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** Every visible message, each looked at once and then made visible again. */
const peekAll = async (sqs: SQSClient, queueUrl: string): Promise<Message[]> => {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    all.push(...messages);
  }
  for (let i = 0; i < all.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: all.slice(i, i + 10).map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
  return all;
};

const snapshot = async (stage: DataRequestStage): Promise<Snapshot> => {
  const { embedded, clients } = stage;
  const tables = {} as Record<TableKey, Item[]>;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    tables[key] = await scanTable(clients, embedded.tableNames[key]);
  }
  const queues: QueuedMessage[] = [];
  for (const family of ['comments', 'actions'] as const) {
    const q = embedded.queues[family];
    for (const [url, dlq] of [
      [q.url, false],
      [q.deadLetterUrl, true],
    ] as const) {
      for (const m of await peekAll(clients.sqs, url)) {
        queues.push({ family, dlq, body: m.Body ?? '' });
      }
    }
  }
  return { tables, queues };
};

/** Empties every table and queue between property runs. */
const resetStage = async (stage: DataRequestStage): Promise<void> => {
  const { embedded, clients } = stage;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const table = TABLES[key];
    const name = embedded.tableNames[key];
    const items = await scanTable(clients, name);
    for (let i = 0; i < items.length; i += 25) {
      await clients.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [name]: items.slice(i, i + 25).map((item) => ({
              DeleteRequest: {
                Key: {
                  [table.partitionKey.name]: item[table.partitionKey.name],
                  ...('sortKey' in table && table.sortKey
                    ? { [table.sortKey.name]: item[table.sortKey.name] }
                    : {}),
                },
              },
            })),
          },
        }),
      );
    }
  }
  for (const q of Object.values(embedded.queues)) {
    for (const url of [q.url, q.deadLetterUrl]) {
      await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    }
  }
};

interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

let requestSequence = 0;

/** The REST proxy event API Gateway would give the data-request function. */
const dataRequestEvent = (
  body: string,
  options: { readonly headers?: Record<string, string>; readonly method?: string } = {},
): APIGatewayProxyEvent => {
  requestSequence += 1;
  return {
    resource: '/data-requests',
    path: '/api/data-requests',
    httpMethod: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: `test-${process.pid}-${requestSequence}`,
    } as APIGatewayProxyEvent['requestContext'],
  };
};

const callApi = async (
  api: DataRequestApi,
  operation: 'disclose' | 'erase',
  subject: Record<string, string>,
): Promise<ApiAnswer> => {
  const out = await api(
    dataRequestEvent(JSON.stringify({ operation, subject }), {
      headers: { 'x-data-officer': 'officer.test' },
    }),
  );
  return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, unknown> };
};

export type { ApiAnswer, DataRequestStage, Item, QueuedMessage, Snapshot, TableKey };
export { callApi, dataRequestEvent, resetStage, scanTable, snapshot, startDataRequestStage };
