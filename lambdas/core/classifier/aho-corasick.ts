/**
 * Multi-pattern matcher: every word of every list in one pass over the text, whatever the number of
 * words. Built once per policy.
 */
interface AhoCorasick {
  /** Calls `onMatch(patternIndex, start, end)` for every occurrence, overlapping ones included. */
  scan(text: string, onMatch: (pattern: number, start: number, end: number) => void): void;
}

const buildAhoCorasick = (patterns: readonly string[]): AhoCorasick => {
  const next: Array<Map<number, number>> = [new Map()];
  const fail: number[] = [0];
  const outputs: number[][] = [[]];
  const lengths = patterns.map((p) => p.length);

  patterns.forEach((pattern, index) => {
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let child = next[node]?.get(code);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        fail.push(0);
        outputs.push([]);
        next[node]?.set(code, child);
      }
      node = child;
    }
    if (pattern.length > 0) outputs[node]?.push(index);
  });

  const queue: number[] = [];
  for (const child of next[0]?.values() ?? []) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? 0;
    for (const [code, child] of next[node] ?? []) {
      let f = fail[node] ?? 0;
      while (f !== 0 && !next[f]?.has(code)) f = fail[f] ?? 0;
      const target = next[f]?.get(code);
      fail[child] = target !== undefined && target !== child ? target : 0;
      outputs[child]?.push(...(outputs[fail[child] ?? 0] ?? []));
      queue.push(child);
    }
  }

  // Most characters of a comment start no word: the root's moves are a flat table (0 = stay at
  // the root), one array read instead of a hash lookup per character.
  const fromRoot = new Int32Array(0x10000);
  for (const [code, child] of next[0] ?? []) fromRoot[code] = child;

  return {
    scan(text, onMatch) {
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        while (node !== 0) {
          const child = next[node]?.get(code);
          if (child !== undefined) {
            node = child;
            break;
          }
          node = fail[node] ?? 0;
        }
        if (node === 0) node = fromRoot[code] ?? 0;
        const out = outputs[node];
        if (out === undefined || out.length === 0) continue;
        for (const p of out) onMatch(p, i + 1 - (lengths[p] ?? 0), i + 1);
      }
    },
  };
};

export type { AhoCorasick };
export { buildAhoCorasick };
