import { parentPort, workerData } from 'node:worker_threads';
import { interceptLocalhostDns } from 'fauxqs';
import { createClients } from '../embedded';
import { createActStage } from './act-stage';
import type { ActThreadInput, ActThreadMessage, ActThreadRequest } from './act-thread';

/** The act thread's side of `act-thread.ts`. */

const port = parentPort;
if (!port) throw new Error('act-worker runs as a worker thread only');
const post = (message: ActThreadMessage) => port.postMessage(message);

try {
  const { input } = workerData as { input: ActThreadInput };
  // Queue URLs are `sqs.<region>.localhost`: resolved to loopback on this thread too.
  interceptLocalhostDns();
  const { dynamoEndpoint, sqsEndpoint, tableNames, queues } = input.endpoints;
  const { dynamo, doc, sqs } = createClients(dynamoEndpoint, sqsEndpoint);
  const poller = createActStage({
    embedded: { dynamo, doc, sqs, tableNames, queues },
    concurrency: input.concurrency,
    logLevel: input.logLevel,
    onError: (stage, name) => post({ type: 'error', stage, name }),
  });
  let pushed = '';
  // Pushed only when they change: `drain()` on the other side reads them between its polls.
  setInterval(() => {
    const stats = poller.stats();
    const json = JSON.stringify(stats);
    if (json === pushed) return;
    pushed = json;
    post({ type: 'stats', stats });
  }, 20).unref();
  port.on('message', (request: ActThreadRequest) => {
    if (request.type === 'start') poller.start();
    else if (request.type === 'stop') {
      poller.stop().then(
        () => post({ type: 'stopped', stats: poller.stats() }),
        (error: unknown) => {
          post({
            type: 'error',
            stage: 'stop',
            name: error instanceof Error ? error.name : 'Error',
          });
          post({ type: 'stopped', stats: poller.stats() });
        },
      );
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({
    type: 'failed',
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  });
}
