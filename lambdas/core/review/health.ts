import type { ReviewItem } from './record';

/**
 * What the health page tells staff at a glance: are comments flowing (queue depths, the last
 * delivery), is anything stuck (dead-letter queues), is the act stage live or a dry run, and which
 * policy and classifier versions decided last.
 */

interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly deadLetters: number;
}

type QueueDepths = Readonly<Record<'comments' | 'actions', QueueDepth>>;

/** Reasons for attention, as codes the console words in Japanese. */
type HealthProblem =
  | 'comments_dead_letters'
  | 'actions_dead_letters'
  | 'comments_backlog'
  | 'actions_backlog';

interface Health {
  readonly status: 'ok' | 'attention';
  readonly problems: readonly HealthProblem[];
  readonly queues: QueueDepths;
  readonly actMode: 'live' | 'dry_run';
  /** When the newest decided comment was received by the webhook. */
  readonly lastReceivedAt?: string;
  readonly lastDecidedAt?: string;
  readonly policyVersion?: string;
  readonly classifierVersion?: string;
  readonly checkedAt: string;
}

/** More waiting than a few minutes of normal traffic: worth a look, not an alarm. */
const BACKLOG = 100;

const assessHealth = (input: {
  readonly queues: QueueDepths;
  readonly newest?: ReviewItem;
  readonly actionsEnabled: boolean;
  readonly now: Date;
}): Health => {
  const problems: HealthProblem[] = [];
  const { comments, actions } = input.queues;
  if (comments.deadLetters > 0) problems.push('comments_dead_letters');
  if (actions.deadLetters > 0) problems.push('actions_dead_letters');
  if (comments.visible + comments.delayed > BACKLOG) problems.push('comments_backlog');
  if (actions.visible + actions.delayed > BACKLOG) problems.push('actions_backlog');
  const newest = input.newest;
  return {
    status: problems.length > 0 ? 'attention' : 'ok',
    problems,
    queues: input.queues,
    actMode: input.actionsEnabled ? 'live' : 'dry_run',
    ...(newest?.receivedAt ? { lastReceivedAt: newest.receivedAt } : {}),
    ...(newest ? { lastDecidedAt: newest.decidedAt, policyVersion: newest.policyVersion } : {}),
    ...(newest?.classifierVersion ? { classifierVersion: newest.classifierVersion } : {}),
    checkedAt: input.now.toISOString(),
  };
};

export type { Health, HealthProblem, QueueDepth, QueueDepths };
export { assessHealth, BACKLOG };
