// Worker-thread entry: registers tsx on this thread, then loads the TypeScript module named in
// `workerData.entry` (relative to this folder). Plain JavaScript because a worker thread does not
// inherit the parent's loader.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.entry, import.meta.url).href);
