/**
 * kuromoji 0.1.2 spends most of its time building the word lattice, and much of that in work it
 * repeats: for every character of a sentence it copies the rest of the sentence into a new
 * code-point index (SurrogateAwareString) and re-encodes it as UTF-8 before a dictionary lookup that
 * rarely reads more than a few characters of it, and it decodes a word's features from bytes every
 * time the word is seen. This module replaces those two steps on a loaded tokenizer with versions
 * that give the same lattice and the same features without the repeated work:
 *
 * - the lattice builder walks the double-array trie while encoding each character once, stops as
 *   soon as the trie has no branch, and computes the unknown-word grouping from one pass of
 *   character classes;
 * - known words' features are remembered by id (bounded).
 *
 * The result is checked against kuromoji's own code on many inputs (test/adapters/kuromoji-fast).
 * Anything unexpected (a malformed surrogate, a dictionary key ending inside a character) falls back
 * to kuromoji's own implementation for that call.
 */

interface LatticeNodeCtor {
  new (
    name: number,
    cost: number,
    start: number,
    length: number,
    type: string,
    left: number,
    right: number,
    surface: string,
  ): unknown;
}

interface Lattice {
  readonly nodes_end_at: unknown[][];
  append(node: unknown): void;
  appendEos(): void;
}

interface ShortBuffer {
  getShort(index: number): number;
}

interface TokenDictionary {
  readonly target_map: Record<number, ArrayLike<number | string> | undefined>;
  readonly dictionary: ShortBuffer;
  getFeatures(id: string | number): string;
}

interface CharClass {
  readonly class_id: number;
  readonly class_name: string;
  readonly is_always_invoke: number | boolean;
  readonly is_grouping: number | boolean;
}

interface UnknownDictionary {
  readonly target_map: Record<number, ArrayLike<number | string> | undefined>;
  readonly dictionary: ShortBuffer;
  lookup(ch: string): CharClass;
}

interface DoubleArray {
  readonly bc: { getBase(index: number): number; getCheck(index: number): number };
  commonPrefixSearch(key: string): Array<{ k: string; v?: number }>;
}

interface ViterbiBuilder {
  readonly trie: DoubleArray;
  readonly token_info_dictionary: TokenDictionary;
  readonly unknown_dictionary: UnknownDictionary;
  build(sentence: string): Lattice;
}

interface KuromojiInternals {
  readonly viterbi_builder: ViterbiBuilder;
  readonly token_info_dictionary: TokenDictionary;
  readonly unknown_dictionary: TokenDictionary;
  readonly viterbi_searcher: { readonly connection_costs: ConnectionCosts };
}

interface ConnectionCosts {
  readonly buffer: ArrayLike<number>;
  readonly backward_dimension: number;
}

/** The fields of kuromoji's ViterbiNode that the search reads and writes. */
interface PathNode {
  readonly name: number;
  readonly cost: number;
  readonly start_pos: number;
  readonly left_id: number;
  readonly right_id: number;
  readonly type: string;
  readonly surface_form: string;
  prev: PathNode | null;
  shortest_cost: number;
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

/** Marks a lookup the fast path does not handle exactly like kuromoji: use kuromoji's. */
const FALL_BACK = Symbol('fall back');

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** One step down the double-array trie (module level: this runs for every byte looked up). */
function traverse(bc: DoubleArray['bc'], parent: number, code: number): number {
  const child = bc.getBase(parent) + code;
  return bc.getCheck(child) === parent ? child : NOT_FOUND;
}

/**
 * kuromoji's commonPrefixSearch over `text` from `from`: every dictionary key that is a prefix of
 * the rest of the text, shortest first, as `{ k, v }`.
 */
const prefixSearch = (
  trie: DoubleArray,
  text: string,
  from: number,
): Array<{ k: string; v?: number }> | typeof FALL_BACK => {
  const { bc } = trie;
  const result: Array<{ k: string; v?: number }> = [];
  const bytes = [0, 0, 0, 0];
  let parent = ROOT_ID;
  let i = from;
  while (i < text.length) {
    let code = text.charCodeAt(i);
    let next = i + 1;
    if (isHigh(code)) {
      const low = text.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return FALL_BACK;
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
      if (child === NOT_FOUND) return result;
      parent = child;
      const terminal = traverse(bc, child, TERM_CODE);
      if (terminal === NOT_FOUND) continue;
      // A key ending inside a character cannot be turned back into a string the same way.
      if (b !== count - 1) return FALL_BACK;
      const base = bc.getBase(terminal);
      result.push(
        base <= 0 ? { k: text.slice(from, next), v: -base - 1 } : { k: text.slice(from, next) },
      );
    }
    i = next;
  }
  return result;
};

const makeBuild = (builder: ViterbiBuilder, original: (sentence: string) => Lattice) => {
  // The lattice and node classes kuromoji itself uses, taken from a lattice it built.
  const sample = original.call(builder, 'あ');
  const LatticeCtor = sample.constructor as new () => Lattice;
  const bos = sample.nodes_end_at[0]?.[0];
  if (bos === undefined) throw new Error('kuromoji built a lattice without its start node');
  const NodeCtor = (bos as { constructor: LatticeNodeCtor }).constructor;
  const { trie, token_info_dictionary: known, unknown_dictionary: unknown } = builder;
  // A character's class depends on its first UTF-16 unit only (kuromoji puts every surrogate pair
  // in the default class): remembered per unit.
  const classByUnit: Array<CharClass | undefined> = new Array(0x10000);
  const classOf = (ch: string): CharClass => {
    const unit = ch.charCodeAt(0);
    let found = classByUnit[unit];
    if (found === undefined) {
      found = unknown.lookup(ch);
      classByUnit[unit] = found;
    }
    return found;
  };
  const idOf = (raw: number | string | undefined): number =>
    typeof raw === 'number' && Number.isInteger(raw) ? raw : Number.parseInt(String(raw), 10);

  return (sentence: string): Lattice => {
    // Code points as kuromoji counts them: a high surrogate takes the next unit with it.
    const starts: number[] = [];
    for (let i = 0; i < sentence.length; i++) {
      starts.push(i);
      if (isHigh(sentence.charCodeAt(i))) i++;
    }
    const n = starts.length;
    const classes: CharClass[] = new Array(n);
    for (let j = 0; j < n; j++) {
      classes[j] = classOf(sentence.slice(starts[j], starts[j + 1] ?? sentence.length));
    }
    // runEnd[j]: first position after j whose class name differs (grouping of unknown words).
    const runEnd = new Array<number>(n);
    for (let j = n - 1; j >= 0; j--) {
      const next = j + 1;
      runEnd[j] =
        next < n && classes[next]?.class_name === classes[j]?.class_name
          ? (runEnd[next] ?? n)
          : next;
    }

    const lattice = new LatticeCtor();
    for (let pos = 0; pos < n; pos++) {
      const from = starts[pos] ?? 0;
      const found = prefixSearch(trie, sentence, from);
      const vocabulary =
        found === FALL_BACK ? trie.commonPrefixSearch(sentence.slice(from)) : found;
      for (const word of vocabulary) {
        const ids = known.target_map[word.v as number] as ArrayLike<number | string>;
        for (let t = 0; t < ids.length; t++) {
          const id = idOf(ids[t]);
          lattice.append(
            new NodeCtor(
              id,
              known.dictionary.getShort(id + 4),
              pos + 1,
              word.k.length,
              'KNOWN',
              known.dictionary.getShort(id),
              known.dictionary.getShort(id + 2),
              word.k,
            ),
          );
        }
      }
      const head = classes[pos] as CharClass;
      if (vocabulary.length > 0 && head.is_always_invoke !== 1) continue;
      // kuromoji's key stays one character (length 1) unless grouping appends to it, after which
      // its length is counted in UTF-16 units: kept as it is, so the lattice is the same.
      let surface = sentence.slice(from, starts[pos + 1] ?? sentence.length);
      let length = 1;
      if (head.is_grouping === 1) {
        const end = runEnd[pos] ?? pos + 1;
        if (end > pos + 1) {
          surface = sentence.slice(from, starts[end] ?? sentence.length);
          length = surface.length;
        }
      }
      const ids = unknown.target_map[head.class_id] as ArrayLike<number | string>;
      for (let t = 0; t < ids.length; t++) {
        const id = idOf(ids[t]);
        lattice.append(
          new NodeCtor(
            id,
            unknown.dictionary.getShort(id + 4),
            pos + 1,
            length,
            'UNKNOWN',
            unknown.dictionary.getShort(id),
            unknown.dictionary.getShort(id + 2),
            surface,
          ),
        );
      }
    }
    lattice.appendEos();
    return lattice;
  };
};

/**
 * Speeds up a built kuromoji tokenizer in place; returns a function that puts kuromoji's own
 * implementation back (tests compare the two).
 */
const accelerateKuromoji = (tokenizer: unknown): (() => void) => {
  const inner = tokenizer as KuromojiInternals;
  const builder = inner.viterbi_builder;
  const dictionary = inner.token_info_dictionary;
  const originalBuild = builder.build;
  const originalFeatures = dictionary.getFeatures;
  builder.build = makeBuild(builder, originalBuild);
  // Keyed by the id as kuromoji passes it (a number from the lattice); a string id is kept apart
  // rather than converted, so a lookup never allocates.
  const features = new Map<string | number, string>();
  dictionary.getFeatures = function (this: TokenDictionary, id: string | number): string {
    let value = features.get(id);
    if (value === undefined) {
      value = originalFeatures.call(this, id);
      if (features.size >= FEATURE_CACHE_LIMIT) features.clear();
      features.set(id, value);
    }
    return value;
  };
  return () => {
    builder.build = originalBuild;
    dictionary.getFeatures = originalFeatures;
  };
};

const IDEOGRAPHIC_COMMA = 0x3001;
const IDEOGRAPHIC_FULL_STOP = 0x3002;

/** kuromoji's ViterbiSearcher.forward then backward, with the connection matrix read directly. */
const bestPath = (lattice: Lattice & { eos_pos: number }, costs: ConnectionCosts): PathNode[] => {
  const ends = lattice.nodes_end_at as Array<PathNode[] | undefined>;
  const matrix = costs.buffer;
  const width = costs.backward_dimension;
  // kuromoji declares its best-previous-node with `var`: when no previous node beats
  // Number.MAX_VALUE (after a word that could not be reached), a node inherits the one chosen for
  // the node before it. Kept outside the loops to give the very same path.
  let best: PathNode | undefined;
  for (let i = 1; i <= lattice.eos_pos; i++) {
    const nodes = ends[i];
    if (nodes === undefined || nodes === null) continue;
    for (let j = 0; j < nodes.length; j++) {
      const node = nodes[j] as PathNode;
      const before = ends[node.start_pos - 1];
      if (before === undefined || before === null) continue;
      let cost = Number.MAX_VALUE;
      const left = node.left_id + 2;
      for (let k = 0; k < before.length; k++) {
        const prev = before[k] as PathNode;
        // Same sum in the same order as kuromoji, so ties break the same way.
        const total = prev.shortest_cost + (matrix[prev.right_id * width + left] ?? 0) + node.cost;
        if (total < cost) {
          best = prev;
          cost = total;
        }
      }
      node.prev = best ?? null;
      node.shortest_cost = cost;
    }
  }
  const eos = ends[ends.length - 1]?.[0];
  const path: PathNode[] = [];
  let back = eos?.prev ?? null;
  if (back === null) return path;
  while (back.type !== 'BOS') {
    path.push(back);
    if (back.prev === null) return [];
    back = back.prev;
  }
  return path.reverse();
};

const morphemeOf = (features: readonly string[], surface: string, known: boolean): Morpheme => ({
  surface,
  pos: features[1] as string,
  posDetail1: features[2] as string,
  posDetail2: features[3] as string,
  posDetail3: features[4] as string,
  basicForm: features[7] as string,
  reading: known ? features[8] : undefined,
});

/**
 * kuromoji's `tokenize` (split after 、 and 。, a lattice per sentence, the best path, a token per
 * node) without the token objects it formats and the features it splits again for every word:
 * calls `visit` with each word's morpheme, in order. A known word's morpheme is the same object
 * every time it is seen (read-only); an unknown word's is built for its surface.
 * Call on an accelerated tokenizer (the lattice builder is shared).
 */
const morphemeWalker = (
  tokenizer: unknown,
): ((text: string, visit: (m: Morpheme) => void) => void) => {
  const inner = tokenizer as KuromojiInternals;
  const builder = inner.viterbi_builder;
  const known = inner.token_info_dictionary;
  const unknown = inner.unknown_dictionary;
  const costs = inner.viterbi_searcher.connection_costs;
  const knownMorphemes = new Map<number, Morpheme>();
  const unknownFeatures = new Map<number, readonly string[]>();
  const split = (line: string | null | undefined): readonly string[] =>
    line === null || line === undefined ? [] : line.split(',');

  const sentence = (text: string, visit: (m: Morpheme) => void): void => {
    const lattice = builder.build(text) as Lattice & { eos_pos: number };
    for (const node of bestPath(lattice, costs)) {
      if (node.type === 'KNOWN') {
        let m = knownMorphemes.get(node.name);
        if (m === undefined) {
          const features = split(known.getFeatures(node.name));
          m = morphemeOf(features, features[0] as string, true);
          if (knownMorphemes.size >= FEATURE_CACHE_LIMIT) knownMorphemes.clear();
          knownMorphemes.set(node.name, m);
        }
        visit(m);
      } else {
        let features = unknownFeatures.get(node.name);
        if (features === undefined) {
          features = split(unknown.getFeatures(node.name));
          unknownFeatures.set(node.name, features);
        }
        visit(morphemeOf(features, node.surface_form, false));
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
    if (from < text.length) sentence(from === 0 ? text : text.slice(from), visit);
  };
};

export type { Morpheme };
export { accelerateKuromoji, morphemeWalker };
