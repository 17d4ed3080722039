import { parentPort, workerData } from 'node:worker_threads';
import { type EmbeddedOptions, startEmbedded } from '../embedded';

/**
 * Runs the embedded DynamoDB and SQS servers on their own thread (see `embedded-thread.ts`): their
 * request handling then uses a second core instead of competing with the handlers.
 */

interface WorkerInput {
  readonly options: EmbeddedOptions;
}

const port = parentPort;
if (!port) throw new Error('embedded-worker runs as a worker thread only');

const { options } = workerData as WorkerInput;
startEmbedded(options).then(
  (embedded) => {
    port.on('message', (message: unknown) => {
      if (message !== 'stop') return;
      embedded.stop().then(
        () => port.postMessage({ type: 'stopped' }),
        (error: unknown) =>
          port.postMessage({
            type: 'stopped',
            error: error instanceof Error ? error.name : 'Error',
          }),
      );
    });
    port.postMessage({
      type: 'ready',
      dynamoEndpoint: embedded.dynamoEndpoint,
      sqsEndpoint: embedded.sqsEndpoint,
      tableNames: embedded.tableNames,
      queues: embedded.queues,
      env: embedded.env,
      recovered: embedded.recovered,
    });
  },
  (error: unknown) => {
    port.postMessage({
      type: 'failed',
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
      code: (error as { code?: unknown } | undefined)?.code,
    });
  },
);
