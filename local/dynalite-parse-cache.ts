import { createRequire } from 'node:module';

/**
 * dynalite re-runs its generated PEG parser on every expression of every request, and in the local
 * pipeline that is about a third of the embedded DynamoDB's CPU: the handlers send a handful of
 * expression shapes thousands of times. This keeps dynalite's own parse for the first request of
 * each shape and replays it for the next ones, so the server answers as it did, only sooner.
 *
 * A parse result embeds the request's attribute value objects (by reference) and resolved names,
 * and the parse deletes from the request's `unused…` sets the keys it used. The cache stores the
 * result with each value object replaced by a marker naming its key, and the keys the expression
 * used; a hit copies the result, puts the new request's value objects back in and deletes the same
 * keys. The key covers everything a successful parse depends on: the expression, the names map,
 * the type of every value, and whether it is a key condition. Expressions whose checks read a
 * value itself (BETWEEN bounds, `attribute_type`) are never cached, nor is any failed parse: errors
 * always come from dynalite's parser.
 */

type AttributeValue = Record<string, unknown>;

interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, AttributeValue>;
  unusedAttrNames: Record<string, boolean>;
  unusedAttrVals: Record<string, boolean>;
  isKeyCondition?: boolean;
  [other: string]: unknown;
}

interface PegParser {
  parse(input: string, options: { context: ParseContext }): unknown;
}

interface Entry {
  readonly template: unknown;
  readonly usedNames: readonly string[];
  readonly usedValues: readonly string[];
}

const VALUE_TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
const MAX_ENTRIES = 1_000;
const UNCACHEABLE = /between|attribute_type/i;

class ValueRef {
  constructor(readonly key: string) {}
}

const typeOf = (value: AttributeValue): string =>
  VALUE_TYPES.find((t) => value[t] !== undefined && value[t] !== null) ?? '?';

const cacheKey = (expression: string, context: ParseContext): string => {
  const values = context.attrVals ?? {};
  const types = Object.keys(values)
    .sort()
    .map((k) => `${k}:${typeOf(values[k] ?? {})}`);
  return JSON.stringify([
    expression,
    context.isKeyCondition === true,
    context.attrNames ?? null,
    types,
  ]);
};

/** Copies `node`, turning every value object of the request into a `ValueRef`. */
const toTemplate = (node: unknown, refs: ReadonlyMap<unknown, string>): unknown => {
  const ref = refs.get(node);
  if (ref !== undefined) return new ValueRef(ref);
  if (Array.isArray(node)) return node.map((n) => toTemplate(n, refs));
  if (node !== null && typeof node === 'object') {
    // dynalite keeps some path sets in prototype-less objects; a copy keeps the prototype.
    const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
    for (const [k, v] of Object.entries(node)) copy[k] = toTemplate(v, refs);
    return copy;
  }
  return node;
};

/** A fresh copy of `template` with this request's value objects in place of the refs. */
const instantiate = (template: unknown, values: Record<string, AttributeValue>): unknown => {
  if (template instanceof ValueRef) return values[template.key];
  if (Array.isArray(template)) return template.map((n) => instantiate(n, values));
  if (template !== null && typeof template === 'object') {
    const copy = Object.create(Object.getPrototypeOf(template)) as Record<string, unknown>;
    for (const [k, v] of Object.entries(template)) copy[k] = instantiate(v, values);
    return copy;
  }
  return template;
};

const memoize = (parser: PegParser): PegParser['parse'] => {
  const original = parser.parse.bind(parser);
  const entries = new Map<string, Entry>();
  return (input, options) => {
    const context = options.context;
    if (UNCACHEABLE.test(input)) return original(input, options);
    const key = cacheKey(input, context);
    let entry = entries.get(key);
    if (!entry) {
      const names = Object.keys(context.attrNames ?? {});
      const values = Object.keys(context.attrVals ?? {});
      // A private context, so the keys this expression uses are known whatever ran before it.
      const own: ParseContext = {
        ...context,
        unusedAttrNames: Object.fromEntries(names.map((n) => [n, true])),
        unusedAttrVals: Object.fromEntries(values.map((v) => [v, true])),
      };
      const result = original(input, { context: own });
      // dynalite reports a bad expression by returning its message (or throwing): not cached, and
      // the request's own context goes through the parse so that nothing else differs.
      if (typeof result === 'string') return original(input, options);
      const refs = new Map<unknown, string>(
        Object.entries(context.attrVals ?? {}).map(([k, v]) => [v, k]),
      );
      entry = {
        template: toTemplate(result, refs),
        usedNames: names.filter((n) => !(n in own.unusedAttrNames)),
        usedValues: values.filter((v) => !(v in own.unusedAttrVals)),
      };
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, entry);
    }
    for (const n of entry.usedNames) delete context.unusedAttrNames[n];
    for (const v of entry.usedValues) delete context.unusedAttrVals[v];
    return instantiate(entry.template, context.attrVals ?? {});
  };
};

let installed = false;

/** Installs the cache on dynalite's condition and update parsers (once per thread). */
const cacheDynaliteParses = (): void => {
  if (installed) return;
  const require = createRequire(import.meta.url);
  for (const path of ['dynalite/db/conditionParser', 'dynalite/db/updateParser']) {
    const parser = require(path) as PegParser;
    parser.parse = memoize(parser);
  }
  installed = true;
};

export type { ParseContext, PegParser };
export { cacheDynaliteParses, memoize };
