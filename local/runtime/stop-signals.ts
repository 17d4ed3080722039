/**
 * How `npm start` reads Ctrl-C. One key press reaches the process more than once: the terminal
 * signals the whole process group (npm and node alike) and npm forwards its own copy to its child,
 * a few milliseconds to ~50 ms later (tsx, when it is the parent, adds another). Every signal that
 * arrives within `sameWithinMs` of the first is the same request; a signal after that pause is a
 * second, deliberate one.
 */

type StopRequest = 'drain' | 'repeat' | 'force';

interface StopSignalOptions {
  readonly sameWithinMs?: number;
  readonly now?: () => number;
}

/** Same press: under a second, well above the forwarding delays, well below a person's pause. */
const SAME_PRESS_MS = 1_000;

/** Classifies each stop signal: the first drains, echoes of it are ignored, a later one forces. */
const createStopSignals = (options: StopSignalOptions = {}) => {
  const sameWithinMs = options.sameWithinMs ?? SAME_PRESS_MS;
  const now = options.now ?? Date.now;
  let first: number | undefined;
  return (): StopRequest => {
    const at = now();
    if (first === undefined) {
      first = at;
      return 'drain';
    }
    return at - first < sameWithinMs ? 'repeat' : 'force';
  };
};

export type { StopRequest, StopSignalOptions };
export { createStopSignals, SAME_PRESS_MS };
