import { deliveryBody, deliveryHeaders, type LocalComment } from './meta-delivery';

/** HTTP calls the local CLIs make against a running local server. */

interface PostResult {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** POSTs a body to `/webhook`, signed with `secret` (a wrong secret makes a forged request). */
const postDelivery = async (baseUrl: string, body: string, secret: string): Promise<PostResult> => {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/webhook`, {
    method: 'POST',
    headers: deliveryHeaders(body, secret),
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
};

const postComments = (
  baseUrl: string,
  comments: readonly LocalComment[],
  secret: string,
): Promise<PostResult> => postDelivery(baseUrl, deliveryBody(comments), secret);

/** The stored decision, or undefined while there is none. */
const getDecision = async (
  baseUrl: string,
  commentId: string,
): Promise<Record<string, unknown> | undefined> => {
  const response = await fetch(`${baseUrl}/api/decisions/${encodeURIComponent(commentId)}`);
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) throw new Error(`read API answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
};

/**
 * Polls the read API until every id has a decision (and, with `settled`, no action is still
 * pending in the act stage) or `timeoutMs` passes. Returns what was found.
 */
const waitForDecisions = async (
  baseUrl: string,
  commentIds: readonly string[],
  options: { readonly timeoutMs: number; readonly settled?: boolean },
): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    for (const id of commentIds) {
      const prior = found.get(id);
      if (prior && !(options.settled && prior.actionStatus === 'pending')) continue;
      const decision = await getDecision(baseUrl, id);
      if (decision) found.set(id, decision);
    }
    const done = commentIds.every((id) => {
      const d = found.get(id);
      return d !== undefined && !(options.settled && d.actionStatus === 'pending');
    });
    if (done || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
};

export type { PostResult };
export { getDecision, postComments, postDelivery, waitForDecisions };
