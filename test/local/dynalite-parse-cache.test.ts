import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { memoize, type PegParser } from '../../local/dynalite-parse-cache';

/**
 * The cache must be invisible: for any request, dynalite's own validation (which runs every parser
 * and checks unused names and values) gives the same error or the same parsed expressions with and
 * without it, including on the requests that hit an entry another request created.
 */

const require = createRequire(import.meta.url);
const conditionParser = require('dynalite/db/conditionParser') as PegParser;
const updateParser = require('dynalite/db/updateParser') as PegParser;
const { validateExpressions } = require('dynalite/validations') as {
  validateExpressions(data: Record<string, unknown>): string | undefined;
};

const originals = { condition: conditionParser.parse, update: updateParser.parse };
afterEach(() => {
  conditionParser.parse = originals.condition;
  updateParser.parse = originals.update;
});

type Parse = PegParser['parse'];
interface Parsers {
  readonly condition: Parse;
  readonly update: Parse;
}

interface Request {
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, Record<string, unknown>>;
}

/** What dynalite keeps from validating a request: its error, or the parsed expressions. */
const validate = (parsers: Parsers, request: Request) => {
  conditionParser.parse = parsers.condition;
  updateParser.parse = parsers.update;
  const data = structuredClone(request) as Record<string, unknown>;
  let error: string | undefined;
  try {
    error = validateExpressions(data);
  } catch (thrown) {
    error = `threw ${(thrown as Error).message}`;
  }
  return error ?? [data._condition, data._keyCondition, data._filter, data._updates];
};

const counting = (parse: Parse) => {
  const counter = { calls: 0 };
  const wrapped: Parse = (input, options) => {
    counter.calls++;
    return parse.call(conditionParser, input, options);
  };
  return { counter, wrapped };
};

const path = fc.constantFrom('a', 'b', 'c.d', 'a[0]', 'status', '#x', '#y', '#x.#y', '#z');
const value = fc.constantFrom(':p', ':q', ':r');
const operand = fc.oneof(
  path,
  value,
  path.map((p) => `size(${p})`),
);
const comparison = fc
  .tuple(operand, fc.constantFrom('=', '<>', '<', '<=', '>', '>='), operand)
  .map(([x, op, y]) => `${x} ${op} ${y}`);
const leaf = fc.oneof(
  comparison,
  path.map((p) => `attribute_exists(${p})`),
  path.map((p) => `attribute_not_exists(${p})`),
  fc.tuple(path, operand).map(([p, o]) => `begins_with(${p}, ${o})`),
  fc.tuple(path, operand).map(([p, o]) => `contains(${p}, ${o})`),
  fc.tuple(path, value).map(([p, v]) => `attribute_type(${p}, ${v})`),
  fc.tuple(operand, value, value).map(([o, v, w]) => `${o} BETWEEN ${v} AND ${w}`),
  fc.tuple(path, value, value).map(([p, v, w]) => `${p} IN (${v}, ${w})`),
);
const { condition } = fc.letrec<{ condition: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('condition'), tie('condition')).map(([x, y]) => `${x} AND ${y}`),
    fc.tuple(tie('condition'), tie('condition')).map(([x, y]) => `${x} OR ${y}`),
    tie('condition').map((x) => `NOT ${x}`),
    tie('condition').map((x) => `(${x})`),
  ),
}));
const setAction = fc.oneof(
  fc.tuple(path, operand).map(([p, o]) => `${p} = ${o}`),
  fc.tuple(path, operand, value).map(([p, o, v]) => `${p} = ${o} + ${v}`),
  fc.tuple(path, path, value).map(([p, q, v]) => `${p} = if_not_exists(${q}, ${v})`),
  fc.tuple(path, value, value).map(([p, v, w]) => `${p} = list_append(${v}, ${w})`),
);
const update = fc.oneof(
  fc.array(setAction, { minLength: 1, maxLength: 3 }).map((s) => `SET ${s.join(', ')}`),
  fc
    .tuple(setAction, fc.array(path, { minLength: 1, maxLength: 2 }))
    .map(([s, r]) => `SET ${s} REMOVE ${r.join(', ')}`),
  fc.tuple(path, value).map(([p, v]) => `ADD ${p} ${v}`),
  fc.tuple(path, value).map(([p, v]) => `DELETE ${p} ${v}`),
);
const attributeValue = fc.oneof(
  fc.string({ maxLength: 4 }).map((S) => ({ S })),
  fc.integer({ min: -99, max: 99 }).map((n) => ({ N: String(n) })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 2 }).map((SS) => ({ SS })),
  fc.constant({ L: [{ S: 'x' }] }),
  fc.constant({ M: { k: { N: '1' } } }),
);
const names = fc.option(
  fc.subarray([
    ['#x', 'stage'],
    ['#y', 'claimedBy'],
    ['#z', 'status'],
  ] as const),
  { nil: undefined },
);
const values = fc.option(
  fc.dictionary(fc.constantFrom(':p', ':q', ':r', ':unused'), attributeValue, { maxKeys: 4 }),
  { nil: undefined },
);

/** A few expression shapes shared by many requests with their own names and values, as in use. */
const requests = fc
  .record({
    conditions: fc.array(condition, { minLength: 1, maxLength: 3 }),
    updates: fc.array(update, { minLength: 1, maxLength: 2 }),
    shapes: fc.array(
      fc.record({
        kind: fc.constantFrom('put', 'update', 'query'),
        c: fc.nat(2),
        u: fc.nat(1),
        names,
        values,
      }),
      { minLength: 1, maxLength: 25 },
    ),
  })
  .map(({ conditions, updates, shapes }) =>
    shapes.map((s): Request => {
      const cond = conditions[s.c % conditions.length] ?? 'a = :p';
      const request: Request = {};
      if (s.kind === 'update') request.UpdateExpression = updates[s.u % updates.length];
      if (s.kind === 'query') {
        request.KeyConditionExpression = 'a = :p';
        request.FilterExpression = cond;
      } else request.ConditionExpression = cond;
      if (s.names) request.ExpressionAttributeNames = Object.fromEntries(s.names);
      if (s.values) request.ExpressionAttributeValues = s.values;
      return request;
    }),
  );

describe('dynalite parse cache', () => {
  it('validates every request as dynalite does, hits included', () => {
    fc.assert(
      fc.property(requests, (batch) => {
        const cached: Parsers = {
          condition: memoize({ parse: originals.condition }),
          update: memoize({ parse: originals.update }),
        };
        for (const request of batch) {
          expect(validate(cached, request)).toStrictEqual(validate(originals, request));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parses a repeated shape once and gives each request its own values', () => {
    const { counter, wrapped } = counting(originals.condition);
    const cached: Parsers = { condition: memoize({ parse: wrapped }), update: originals.update };
    const request = (id: string, now: number): Request => ({
      ConditionExpression: 'attribute_not_exists(commentId) OR #e <= :now',
      ExpressionAttributeNames: { '#e': 'expiresAt' },
      ExpressionAttributeValues: { ':now': { N: String(now) }, ':id': { S: id } },
    });
    // `:id` is unused: dynalite's own error, on the miss and on the hit alike.
    expect(validate(cached, request('c1', 1))).toMatch(/unused in expressions/);
    expect(validate(cached, request('c2', 2))).toMatch(/unused in expressions/);
    const ok = (now: number): Request => {
      const { ExpressionAttributeValues, ...rest } = request('c', now);
      return {
        ...rest,
        ExpressionAttributeValues: { ':now': ExpressionAttributeValues?.[':now'] ?? {} },
      };
    };
    const first = validate(cached, ok(10));
    const second = validate(cached, ok(20));
    expect(second).toStrictEqual(validate(originals, ok(20)));
    expect(JSON.stringify(second)).toContain('"20"');
    expect(JSON.stringify(first)).toContain('"10"');
    // Two shapes (with and without `:id`), each parsed once.
    expect(counter.calls).toBe(2);
  });

  it('never caches an expression whose checks read a value', () => {
    const { counter, wrapped } = counting(originals.condition);
    const cached: Parsers = { condition: memoize({ parse: wrapped }), update: originals.update };
    const between = (lo: string, hi: string): Request => ({
      ConditionExpression: 'a BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':lo': { N: lo }, ':hi': { N: hi } },
    });
    expect(validate(cached, between('1', '2'))).not.toBeTypeOf('string');
    expect(validate(cached, between('3', '2'))).toMatch(/upper bound/);
    expect(counter.calls).toBe(2);
  });
});
