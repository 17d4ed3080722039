import { createHash } from 'node:crypto';

/**
 * The project's one way to split a labelled file into folds: the first four bytes of SHA-256 of the
 * row's `id`, big-endian, modulo 5. A row's fold depends on its id alone, never on file order, so
 * rules, cues and model features can be written from folds 1-4 while fold 0 stays unread and gives
 * the honest figures.
 */
const FOLDS = 5;

const foldOf = (id: string): number =>
  createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % FOLDS;

/** Parses `--fold` values such as `0`, `1-4` or `1,3`; throws on anything else. */
const parseFolds = (spec: string): ReadonlySet<number> => {
  const folds = new Set<number>();
  for (const part of spec.split(',')) {
    const range = /^\s*([0-4])\s*(?:-\s*([0-4]))?\s*$/.exec(part);
    if (!range) throw new Error(`--fold takes fold numbers 0-${FOLDS - 1} such as 0, 1-4 or 1,3`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new Error(`--fold range ${part.trim()} runs backwards`);
    for (let f = from; f <= to; f++) folds.add(f);
  }
  return folds;
};

export { FOLDS, foldOf, parseFolds };
