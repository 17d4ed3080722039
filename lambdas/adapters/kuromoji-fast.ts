/**
 * kuromoji 0.1.2's tokenizer, walked without the work it repeats. For every character of a
 * sentence kuromoji copies the rest of the sentence into a new code-point index and re-encodes it as
 * UTF-8 before a dictionary lookup that rarely reads more than a few characters; it allocates an
 * object per lattice node, formats a token object per word and splits the word's features from
 * a string every time the word is seen. The walker here gives the same words for the same text:
 *
 * - the dictionary's double-array trie is walked while each character is encoded once, and the
 *   walk stops as soon as the trie has no branch;
 * - the lattice lives in typed arrays reused from sentence to sentence (no object per node);
 * - the Viterbi search is kuromoji's, sum for sum and tie for tie;
 * - a known word's morpheme (its features, split once) is remembered by id (bounded).
 *
 * It is checked against kuromoji's own tokens on many inputs (test/adapters/kuromoji-fast).
 * Anything unexpected (a malformed surrogate, a dictionary key ending inside a character) takes
 * kuromoji's own prefix search for that position.
 */

/** kuromoji's ByteBuffer: the dictionary's bytes (read with `shortAt`). */
interface ByteBuffer {
  readonly buffer: Uint8Array;
}

interface TokenDictionary {
  readonly target_map: Record<number, ArrayLike<number | string> | undefined>;
  readonly dictionary: ByteBuffer;
  getFeatures(id: string | number): string;
}

interface CharClass {
  readonly class_id: number;
  readonly class_name: string;
  readonly is_always_invoke: number | boolean;
  readonly is_grouping: number | boolean;
}

interface UnknownDictionary extends TokenDictionary {
  lookup(ch: string): CharClass;
}

interface DoubleArray {
  readonly bc: { getBase(index: number): number; getCheck(index: number): number };
  commonPrefixSearch(key: string): Array<{ k: string; v?: number }>;
}

interface ViterbiBuilder {
  readonly trie: DoubleArray;
}

interface KuromojiInternals {
  readonly viterbi_builder: ViterbiBuilder;
  readonly token_info_dictionary: TokenDictionary;
  readonly unknown_dictionary: UnknownDictionary;
  readonly viterbi_searcher: { readonly connection_costs: ConnectionCosts };
}

interface ConnectionCosts {
  readonly buffer: ArrayLike<number>;
  readonly backward_dimension: number;
}

/**
 * What a word of the dictionary says about itself (IPADIC features), apart from where it stands.
 * Field for field what kuromoji's IpadicFormatter gives; `reading` is undefined for unknown words.
 */
interface Morpheme {
  readonly surface: string;
  readonly pos: string;
  readonly posDetail1: string;
  readonly posDetail2: string;
  readonly posDetail3: string;
  readonly basicForm: string;
  readonly reading: string | undefined;
}

const ROOT_ID = 0;
const TERM_CODE = 0;
const NOT_FOUND = -1;
const FEATURE_CACHE_LIMIT = 50_000;

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** One step down the double-array trie (module level: this runs for every byte looked up). */
function traverse(bc: DoubleArray['bc'], parent: number, code: number): number {
  const child = bc.getBase(parent) + code;
  return bc.getCheck(child) === parent ? child : NOT_FOUND;
}

/**
 * Dictionary keys found at one position: where each ends (UTF-16 index) and its value (-1 where
 * the trie holds the key without one). Filled again at every position of every sentence, so the
 * arrays are kept and only the count starts over.
 */
class Keys {
  ends = new Int32Array(32);
  values = new Int32Array(32);
  count = 0;

  add(end: number, value: number): void {
    if (this.count === this.ends.length) {
      const ends = new Int32Array(this.count * 2);
      const values = new Int32Array(this.count * 2);
      ends.set(this.ends);
      values.set(this.values);
      this.ends = ends;
      this.values = values;
    }
    this.ends[this.count] = end;
    this.values[this.count] = value;
    this.count++;
  }
}

/** One character's UTF-8 bytes: scratch for `prefixSearch`, which runs once per position. */
const UTF8_UNITS = [0, 0, 0, 0];

/**
 * kuromoji's commonPrefixSearch over `text` from `from`: every dictionary key that is a prefix of
 * the rest of the text, shortest first, into `out`. False when this walk cannot tell the keys the
 * way kuromoji would (the caller then asks kuromoji).
 */
const prefixSearch = (trie: DoubleArray, text: string, from: number, out: Keys): boolean => {
  const { bc } = trie;
  out.count = 0;
  const bytes = UTF8_UNITS;
  let parent = ROOT_ID;
  let i = from;
  while (i < text.length) {
    let code = text.charCodeAt(i);
    let next = i + 1;
    if (isHigh(code)) {
      const low = text.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      code = (code - 0xd800) * 0x400 + 0x10000 + (low - 0xdc00);
      next = i + 2;
    }
    let count: number;
    if (code < 0x80) {
      bytes[0] = code;
      count = 1;
    } else if (code < 0x800) {
      bytes[0] = (code >>> 6) | 0xc0;
      bytes[1] = (code & 0x3f) | 0x80;
      count = 2;
    } else if (code < 0x10000) {
      bytes[0] = (code >>> 12) | 0xe0;
      bytes[1] = ((code >> 6) & 0x3f) | 0x80;
      bytes[2] = (code & 0x3f) | 0x80;
      count = 3;
    } else {
      bytes[0] = (code >>> 18) | 0xf0;
      bytes[1] = ((code >> 12) & 0x3f) | 0x80;
      bytes[2] = ((code >> 6) & 0x3f) | 0x80;
      bytes[3] = (code & 0x3f) | 0x80;
      count = 4;
    }
    for (let b = 0; b < count; b++) {
      const child = traverse(bc, parent, bytes[b] ?? 0);
      if (child === NOT_FOUND) return true;
      parent = child;
      const terminal = traverse(bc, child, TERM_CODE);
      if (terminal === NOT_FOUND) continue;
      // A key ending inside a character cannot be turned back into a string the same way.
      if (b !== count - 1) return false;
      const base = bc.getBase(terminal);
      out.add(next, base <= 0 ? -base - 1 : -1);
    }
    i = next;
  }
  return true;
};

/** Reads a little-endian signed 16-bit value as kuromoji's ByteBuffer.getShort does. */
const shortAt = (bytes: Uint8Array, index: number): number => {
  if (bytes.length < index + 2) return 0;
  const value = ((bytes[index + 1] ?? 0) << 8) + (bytes[index] ?? 0);
  return value & 0x8000 ? -((value - 1) ^ 0xffff) : value;
};

/** Growable typed arrays for the lattice, kept from one sentence to the next. */
class Lattice {
  size = 0;
  capacity = 0;
  name = new Int32Array(0);
  cost = new Int32Array(0);
  start = new Int32Array(0);
  left = new Int32Array(0);
  right = new Int32Array(0);
  known = new Uint8Array(0);
  /** Unknown words: their surface is sentence[from, to). */
  from = new Int32Array(0);
  to = new Int32Array(0);
  prev = new Int32Array(0);
  best = new Float64Array(0);
  /** Nodes ending at a position, in the order they were added (kuromoji's nodes_end_at). */
  next = new Int32Array(0);
  firstAt = new Int32Array(0);
  lastAt = new Int32Array(0);

  reset(positions: number): void {
    this.size = 0;
    if (this.firstAt.length < positions) {
      this.firstAt = new Int32Array(positions * 2);
      this.lastAt = new Int32Array(positions * 2);
    }
    this.firstAt.fill(-1, 0, positions);
  }

  add(
    name: number,
    cost: number,
    start: number,
    end: number,
    left: number,
    right: number,
    known: boolean,
  ): number {
    if (this.size === this.capacity) this.grow();
    const k = this.size++;
    this.name[k] = name;
    this.cost[k] = cost;
    this.start[k] = start;
    this.left[k] = left;
    this.right[k] = right;
    this.known[k] = known ? 1 : 0;
    this.prev[k] = -1;
    this.best[k] = Number.MAX_VALUE;
    this.next[k] = -1;
    if (this.firstAt[end] === -1) this.firstAt[end] = k;
    else this.next[this.lastAt[end] as number] = k;
    this.lastAt[end] = k;
    return k;
  }

  private grow(): void {
    const capacity = Math.max(256, this.capacity * 2);
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const fresh = make(capacity);
      fresh.set(old);
      return fresh;
    };
    this.name = widen(this.name, (n) => new Int32Array(n));
    this.cost = widen(this.cost, (n) => new Int32Array(n));
    this.start = widen(this.start, (n) => new Int32Array(n));
    this.left = widen(this.left, (n) => new Int32Array(n));
    this.right = widen(this.right, (n) => new Int32Array(n));
    this.known = widen(this.known, (n) => new Uint8Array(n));
    this.from = widen(this.from, (n) => new Int32Array(n));
    this.to = widen(this.to, (n) => new Int32Array(n));
    this.prev = widen(this.prev, (n) => new Int32Array(n));
    this.best = widen(this.best, (n) => new Float64Array(n));
    this.next = widen(this.next, (n) => new Int32Array(n));
    this.capacity = capacity;
  }
}

const BOS = 0;
const IDEOGRAPHIC_COMMA = 0x3001;
const IDEOGRAPHIC_FULL_STOP = 0x3002;

const morphemeOf = (features: readonly string[], surface: string, known: boolean): Morpheme => ({
  surface,
  pos: features[1] as string,
  posDetail1: features[2] as string,
  posDetail2: features[3] as string,
  posDetail3: features[4] as string,
  basicForm: features[7] as string,
  reading: known ? features[8] : undefined,
});

const splitFeatures = (line: string | null | undefined): readonly string[] =>
  line === null || line === undefined ? [] : line.split(',');

/**
 * kuromoji's `tokenize` (split after 、 and 。, a lattice per sentence, the best path, a word per
 * node) for a built kuromoji tokenizer: calls `visit` with each word's morpheme, in order. A known
 * word's morpheme is the same (read-only) object every time it is seen.
 */
const morphemeWalker = (
  tokenizer: unknown,
): ((text: string, visit: (m: Morpheme) => void) => void) => {
  const inner = tokenizer as KuromojiInternals;
  const { trie } = inner.viterbi_builder;
  const known = inner.token_info_dictionary;
  const unknown = inner.unknown_dictionary;
  const knownBytes = known.dictionary.buffer;
  const unknownBytes = unknown.dictionary.buffer;
  const costs = inner.viterbi_searcher.connection_costs;
  const matrix = costs.buffer;
  const width = costs.backward_dimension;
  const knownMorphemes = new Map<number, Morpheme>();
  const unknownFeatures = new Map<number, readonly string[]>();
  const idOf = (raw: number | string | undefined): number =>
    typeof raw === 'number' && Number.isInteger(raw) ? raw : Number.parseInt(String(raw), 10);
  // A character's class depends on its first UTF-16 unit only (kuromoji puts every surrogate pair
  // in the default class): remembered per unit.
  const classByUnit: Array<CharClass | undefined> = new Array(0x10000);
  const classAt = (text: string, from: number, to: number): CharClass => {
    const unit = text.charCodeAt(from);
    let found = classByUnit[unit];
    if (found === undefined) {
      found = unknown.lookup(text.slice(from, to));
      classByUnit[unit] = found;
    }
    return found;
  };
  // The dictionary's words for a trie value, packed as [id, cost, left, right, ...]: kuromoji keeps
  // them in a hash of arrays and a 10 MB byte buffer, read at random for every position of every
  // sentence. The words of common keys are met again and again; packed, they stay in cache.
  const packed = new Map<number, Int32Array>();
  const wordsOf = (value: number): Int32Array => {
    let words = packed.get(value);
    if (words === undefined) {
      const ids = known.target_map[value] as ArrayLike<number | string>;
      words = new Int32Array(ids.length * 4);
      for (let t = 0; t < ids.length; t++) {
        const id = idOf(ids[t]);
        words[4 * t] = id;
        words[4 * t + 1] = shortAt(knownBytes, id + 4);
        words[4 * t + 2] = shortAt(knownBytes, id);
        words[4 * t + 3] = shortAt(knownBytes, id + 2);
      }
      if (packed.size >= FEATURE_CACHE_LIMIT) packed.clear();
      packed.set(value, words);
    }
    return words;
  };
  const lattice = new Lattice();
  const keys = new Keys();
  const starts: number[] = [];
  const classes: CharClass[] = [];
  const runEnd: number[] = [];
  const path: number[] = [];

  const build = (sentence: string): number => {
    // Code points as kuromoji counts them: a high surrogate takes the next unit with it.
    starts.length = 0;
    for (let i = 0; i < sentence.length; i++) {
      starts.push(i);
      if (isHigh(sentence.charCodeAt(i))) i++;
    }
    const n = starts.length;
    classes.length = n;
    for (let j = 0; j < n; j++) {
      classes[j] = classAt(sentence, starts[j] as number, starts[j + 1] ?? sentence.length);
    }
    // runEnd[j]: first position after j whose class name differs (grouping of unknown words).
    runEnd.length = n;
    for (let j = n - 1; j >= 0; j--) {
      const next = j + 1;
      runEnd[j] =
        next < n && classes[next]?.class_name === classes[j]?.class_name
          ? (runEnd[next] ?? n)
          : next;
    }
    // A known word's length is in UTF-16 units while positions count code points (kuromoji's own
    // quirk, kept so the lattice is the same): a node can end past the last code point.
    lattice.reset(sentence.length + n + 3);
    lattice.add(-1, 0, 0, 0, 0, 0, false);
    lattice.best[BOS] = 0;
    let eos = 1;
    for (let pos = 0; pos < n; pos++) {
      const from = starts[pos] ?? 0;
      if (!prefixSearch(trie, sentence, from, keys)) {
        keys.count = 0;
        for (const word of trie.commonPrefixSearch(sentence.slice(from))) {
          keys.add(from + word.k.length, word.v ?? -1);
        }
      }
      for (let w = 0; w < keys.count; w++) {
        const words = wordsOf(keys.values[w] as number);
        const end = pos + ((keys.ends[w] as number) - from);
        if (end > eos) eos = end;
        for (let t = 0; t < words.length; t += 4) {
          lattice.add(
            words[t] as number,
            words[t + 1] as number,
            pos + 1,
            end,
            words[t + 2] as number,
            words[t + 3] as number,
            true,
          );
        }
      }
      const head = classes[pos] as CharClass;
      if (keys.count > 0 && head.is_always_invoke !== 1) continue;
      // kuromoji's key stays one character (length 1) unless grouping appends to it, after which
      // its length is counted in UTF-16 units.
      let to = starts[pos + 1] ?? sentence.length;
      let length = 1;
      if (head.is_grouping === 1) {
        const end = runEnd[pos] ?? pos + 1;
        if (end > pos + 1) {
          to = starts[end] ?? sentence.length;
          length = to - from;
        }
      }
      const ids = unknown.target_map[head.class_id] as ArrayLike<number | string>;
      const end = pos + length;
      if (end > eos) eos = end;
      for (let t = 0; t < ids.length; t++) {
        const id = idOf(ids[t]);
        const k = lattice.add(
          id,
          shortAt(unknownBytes, id + 4),
          pos + 1,
          end,
          shortAt(unknownBytes, id),
          shortAt(unknownBytes, id + 2),
          false,
        );
        lattice.from[k] = from;
        lattice.to[k] = to;
      }
    }
    // kuromoji's appendEos: one past the furthest end.
    eos += 1;
    return lattice.add(-1, 0, eos, eos, 0, 0, false);
  };

  /** kuromoji's ViterbiSearcher.forward, with the connection matrix read directly. */
  const forward = (eosNode: number): void => {
    const L = lattice;
    const last = L.start[eosNode] as number;
    // kuromoji declares its best-previous-node with `var`: when no previous node beats
    // Number.MAX_VALUE (after a word that could not be reached), a node inherits the one chosen
    // for the node before it. Kept outside the loops to give the very same path.
    let chosen = -1;
    for (let i = 1; i <= last; i++) {
      for (let node = L.firstAt[i] as number; node !== -1; node = L.next[node] as number) {
        const before = L.firstAt[(L.start[node] as number) - 1] as number;
        if (before === -1) continue;
        let cost = Number.MAX_VALUE;
        const left = (L.left[node] as number) + 2;
        const own = L.cost[node] as number;
        for (let prev = before; prev !== -1; prev = L.next[prev] as number) {
          // Same sum in the same order as kuromoji, so ties break the same way.
          const total =
            (L.best[prev] as number) +
            (matrix[(L.right[prev] as number) * width + left] ?? 0) +
            own;
          if (total < cost) {
            chosen = prev;
            cost = total;
          }
        }
        L.prev[node] = chosen;
        L.best[node] = cost;
      }
    }
  };

  const sentence = (text: string, visit: (m: Morpheme) => void): void => {
    const eosNode = build(text);
    forward(eosNode);
    path.length = 0;
    let back = lattice.prev[eosNode] as number;
    if (back === -1) return;
    while (back !== BOS) {
      path.push(back);
      back = lattice.prev[back] as number;
      if (back === -1) return;
    }
    for (let p = path.length - 1; p >= 0; p--) {
      const node = path[p] as number;
      const name = lattice.name[node] as number;
      if (lattice.known[node] === 1) {
        let m = knownMorphemes.get(name);
        if (m === undefined) {
          const features = splitFeatures(known.getFeatures(name));
          m = morphemeOf(features, features[0] as string, true);
          if (knownMorphemes.size >= FEATURE_CACHE_LIMIT) knownMorphemes.clear();
          knownMorphemes.set(name, m);
        }
        visit(m);
      } else {
        let features = unknownFeatures.get(name);
        if (features === undefined) {
          features = splitFeatures(unknown.getFeatures(name));
          unknownFeatures.set(name, features);
        }
        visit(
          morphemeOf(
            features,
            text.slice(lattice.from[node] as number, lattice.to[node] as number),
            false,
          ),
        );
      }
    }
  };

  return (text, visit) => {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit === IDEOGRAPHIC_COMMA || unit === IDEOGRAPHIC_FULL_STOP) {
        sentence(text.slice(from, i + 1), visit);
        from = i + 1;
      }
    }
    if (from < text.length) sentence(text.slice(from), visit);
  };
};

export type { Morpheme };
export { morphemeWalker };
