import { namesTrainer } from './names';
import type { Trainer } from './trainer';

/** Every trainer `npm run train` knows, by name. */
const TRAINERS: readonly Trainer[] = [namesTrainer];

export { TRAINERS };
