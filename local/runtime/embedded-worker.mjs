// Worker-thread entry for `embedded-thread.ts`: registers tsx on this thread, then loads the
// TypeScript worker. Plain JavaScript because a worker thread does not inherit the parent's loader.
import { register } from 'tsx/esm/api';

register();
await import('./embedded-worker.ts');
