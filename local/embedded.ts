import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { interceptLocalhostDns } from 'fauxqs';
import { QUEUES, TABLES, type TableDefinition } from '../lib/resources';
import { cacheDynaliteParses } from './dynalite-parse-cache';
import { startEmbeddedSqs } from './runtime/embedded-sqs';
import { isLoopbackHost, LOOPBACK_ADDRESS } from './runtime/loopback';
import type { ReplaySummary } from './runtime/queue-journal';
import { addMissingIndexes } from './table-migration';

/**
 * The embedded, real-protocol AWS stand-ins: dynalite (DynamoDB wire protocol) and fauxqs (SQS JSON
 * protocol), in-process, on loopback ports, reached through the real AWS SDK. Used by `npm start`
 * and by the integration tests. Tables and queues are created from `lib/resources.ts`, the same
 * definitions the CDK stack uses. Both answer only requests addressed to a loopback host name.
 */

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

type TableKey = keyof typeof TABLES;
type QueueKey = keyof typeof QUEUES;

interface QueueUrls {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
}

interface EmbeddedOptions {
  /** LevelDB folder for DynamoDB data; omit for in-memory. */
  readonly dataPath?: string;
  /**
   * Journal file of the queues (`runtime/queue-journal.ts`): what they held when the last run
   * stopped, cleanly or not, is put back at start. Omit for queues in memory only.
   */
  readonly queueJournalPath?: string;
  /** Table name prefix, so several runs can share one store. */
  readonly prefix?: string;
  /** Overrides per queue, e.g. a short visibility timeout in tests. */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueKey, number>>;
}

interface Embedded {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  /** Plain client with `cacheMiddleware`, for the per-comment adapters (`dynamo-items.ts`). */
  readonly dynamo: DynamoDBClient;
  /** Document client on a client of its own (it refuses `cacheMiddleware`). */
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly tableNames: Record<TableKey, string>;
  readonly queues: Record<QueueKey, QueueUrls>;
  /** Environment variables a handler reads, pointing at these resources. */
  readonly env: Record<string, string>;
  /** Messages the queue journal put back at start (none without a journal). */
  readonly recovered: ReplaySummary;
  stop(): Promise<void>;
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: CREDENTIALS,
  maxAttempts: 1,
});

type Clients = Pick<Embedded, 'dynamo' | 'doc' | 'sqs'> & {
  /** Closes every client's sockets, the document client's own included. */
  destroy(): void;
};

/** The SDK clients for a pair of embedded endpoints, configured as every local caller needs. */
/**
 * The pipeline's clients retry like the SDK's default in Lambda (three attempts): a keep-alive
 * socket the server closes just as a request reuses it (ECONNRESET, reported as TimeoutError) is
 * retried at once instead of failing its record, whose message would then wait out the 180 s
 * visibility timeout before it is decided.
 */
const PIPELINE_ATTEMPTS = 3;

const createClients = (dynamoEndpoint: string, sqsEndpoint: string): Clients => {
  const config = (endpoint: string) => ({
    ...clientConfig(endpoint),
    maxAttempts: PIPELINE_ATTEMPTS,
  });
  // Resolving the middleware stack once per command class cut ~25% of this thread's CPU per SQS
  // call. The document client refuses the option, so it gets a client of its own.
  const dynamo = new DynamoDBClient({ ...config(dynamoEndpoint), cacheMiddleware: true });
  const docClient = new DynamoDBClient(config(dynamoEndpoint));
  const doc = DynamoDBDocumentClient.from(docClient, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient({ ...config(sqsEndpoint), cacheMiddleware: true });
  return {
    dynamo,
    doc,
    sqs,
    destroy() {
      dynamo.destroy();
      docClient.destroy();
      sqs.destroy();
    },
  };
};

const attributeDefinitions = (table: TableDefinition): AttributeDefinition[] => {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) {
    if (key) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  }
  return [...byName.values()];
};

const createTable = async (client: DynamoDBClient, name: string, table: TableDefinition) => {
  const indexes: GlobalSecondaryIndex[] = table.indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
      ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: [
          { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
          ...(table.sortKey
            ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }]
            : []),
        ],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
      }),
    );
  } catch (error) {
    // A persistent store already holds the table from an earlier run.
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client, name, table, () => createTable(client, name, table));
  }
  for (let i = 0; i < 100; i++) {
    const described = await client.send(new DescribeTableCommand({ TableName: name }));
    if (described.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${name} did not become active`);
};

const createQueue = async (
  sqs: SQSClient,
  name: string,
  deadLetterName: string,
  maxReceiveCount: number,
  visibilityTimeoutSeconds: number,
  retentionDays: number,
  deadLetterRetentionDays: number,
): Promise<QueueUrls> => {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: deadLetterName,
      Attributes: { MessageRetentionPeriod: String(deadLetterRetentionDays * 86_400) },
    }),
  );
  const dlqUrl = dlq.QueueUrl ?? '';
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
          maxReceiveCount,
        }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: queueUrl, arn: attributes.Attributes?.QueueArn ?? '', deadLetterUrl: dlqUrl };
};

/** dynalite's own request handler behind a loopback Host check (DNS rebinding). */
const guardHost = (server: ReturnType<typeof dynalite>): void => {
  const handlers = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const port = (server.address() as AddressInfo | null)?.port ?? 0;
    if (isLoopbackHost(req.headers.host, port)) {
      for (const handler of handlers) handler(req, res);
      return;
    }
    req.resume();
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end('{"error":"forbidden","message":"Only loopback host names are served."}');
  });
};

let dnsIntercepted = false;

const startEmbedded = async (options: EmbeddedOptions = {}): Promise<Embedded> => {
  if (!dnsIntercepted) {
    // fauxqs queue URLs are `sqs.<region>.localhost`: resolve them to loopback, never the network.
    interceptLocalhostDns();
    dnsIntercepted = true;
  }
  cacheDynaliteParses();
  const dynamoServer = dynalite({
    ...(options.dataPath ? { path: options.dataPath } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  guardHost(dynamoServer);
  await new Promise<void>((resolve, reject) => {
    dynamoServer.once('error', reject);
    dynamoServer.listen(0, LOOPBACK_ADDRESS, () => resolve());
  });
  const dynamoEndpoint = `http://${LOOPBACK_ADDRESS}:${(dynamoServer.address() as AddressInfo).port}`;
  const sqsServer = await startEmbeddedSqs(
    options.queueJournalPath ? { journalPath: options.queueJournalPath } : {},
  );
  const sqsEndpoint = sqsServer.endpoint;

  const clients = createClients(dynamoEndpoint, sqsEndpoint);
  const { dynamo, doc, sqs } = clients;

  const prefix = options.prefix ?? 'local';
  const tableNames = Object.fromEntries(
    (Object.keys(TABLES) as TableKey[]).map((key) => [key, `${prefix}-${TABLES[key].id}`]),
  ) as Record<TableKey, string>;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    await createTable(dynamo, tableNames[key], TABLES[key]);
  }

  const queues = {} as Record<QueueKey, QueueUrls>;
  for (const key of Object.keys(QUEUES) as QueueKey[]) {
    const q = QUEUES[key];
    queues[key] = await createQueue(
      sqs,
      `${prefix}-${q.id}`,
      `${prefix}-${q.deadLetterId}`,
      q.maxReceiveCount,
      options.visibilityTimeoutSeconds?.[key] ?? q.visibilityTimeoutSeconds,
      q.retentionDays,
      q.deadLetterRetentionDays,
    );
  }
  const recovered = sqsServer.restore();

  const env: Record<string, string> = {
    COMMENTS_QUEUE_URL: queues.comments.url,
    ACTIONS_QUEUE_URL: queues.actions.url,
    DECISIONS_TABLE: tableNames.decisions,
    PII_LEDGER_TABLE: tableNames.piiLedger,
    AUDIT_TABLE: tableNames.audit,
    BREAKER_TABLE: tableNames.circuitBreaker,
  };

  return {
    dynamoEndpoint,
    sqsEndpoint,
    dynamo,
    doc,
    sqs,
    tableNames,
    queues,
    env,
    recovered,
    async stop() {
      clients.destroy();
      await sqsServer.stop();
      await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
    },
  };
};

export type { Embedded, EmbeddedOptions, QueueKey, QueueUrls, TableKey };
export { clientConfig, createClients, REGION, startEmbedded };
