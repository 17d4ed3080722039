import type { CommentMessage } from '../contracts/comment-message';

/** What the webhook needs from the outside world, implemented in `lambdas/adapters/`. */

interface EnqueueReport {
  /** Messages accepted by the queue (always all of them when `enqueue` resolves). */
  readonly accepted: number;
  /** Send requests made, retries included. */
  readonly requests: number;
  /** Entries the queue refused at first and accepted on a retry. */
  readonly retriedEntries: number;
}

interface CommentQueue {
  /**
   * Resolves only once the queue has accepted every message; rejects otherwise (some may have been
   * accepted: the delivery is then retried by Meta and duplicates are absorbed downstream).
   */
  enqueue(messages: readonly CommentMessage[]): Promise<EnqueueReport>;
}

interface WebhookSecrets {
  /** Every app secret currently valid: two during a rotation. */
  readonly appSecrets: readonly string[];
  readonly verifyToken: string;
}

interface WebhookSecretsProvider {
  get(): Promise<WebhookSecrets>;
}

export type { CommentQueue, EnqueueReport, WebhookSecrets, WebhookSecretsProvider };
