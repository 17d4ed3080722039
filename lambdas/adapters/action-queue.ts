import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ActionQueue } from '../core/classify-stage/ports';
import { actionMessageSchema } from '../core/contracts/decision';

/**
 * The actions queue. The body is derived from the stored decision, so a re-enqueue after a crash is
 * the same bytes, and the act stage is idempotent on `commentId`. On a FIFO queue the comment id is
 * also the deduplication id, letting SQS drop the repeat within its five-minute window.
 */
const createActionQueue = (sqs: SQSClient, queueUrl: string): ActionQueue => {
  const fifo = queueUrl.endsWith('.fifo');
  return {
    async enqueue(message) {
      const body = actionMessageSchema.parse(message);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(body),
          ...(fifo
            ? { MessageGroupId: body.commentId, MessageDeduplicationId: body.commentId }
            : {}),
        }),
      );
    },
  };
};

export { createActionQueue };
