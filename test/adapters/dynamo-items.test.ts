import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem, putItem, updateItem } from '../../lambdas/adapters/dynamo-items';
import { type Embedded, startEmbedded } from '../../local/embedded';

/**
 * The per-comment adapters write with the plain client (`dynamo-items.ts`), while the read API,
 * the review store and the digest read the same items with the document client. Against dynalite
 * through the real SDK: whatever the shape of an item, both clients must see the same item,
 * whichever wrote it, and a failed condition must be an answer, not an error.
 */

let embedded: Embedded;
let table: string;
beforeAll(async () => {
  embedded = await startEmbedded({ prefix: 'items' });
  table = embedded.tableNames.decisions;
});
afterAll(async () => {
  await embedded.stop();
});

// Numbers as the records hold them (epoch seconds, offsets, counts, scores). DynamoDB has no -0
// and refuses magnitudes below 1e-130, so both become 0 here.
const number = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => (Math.abs(n) < 1e-9 ? 0 : n)),
);
// Attribute names as records have them. The SDK's marshalling (both clients share it) treats an
// object as a plain map by its `constructor` and builds maps by assignment, so names of
// Object.prototype (`constructor`, `__proto__`, which fast-check likes to try) break or vanish in
// either client alike; no record has such a field.
const name = (maxLength: number) =>
  fc.string({ minLength: 1, maxLength }).filter((k) => !(k in Object.prototype));
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('氏名', '😀', ''),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(name(8), tie('value'), { maxKeys: 4 }),
  ),
}));
/** Top-level attributes may be absent (`undefined`), as optional record fields are. */
const attributes = fc.dictionary(
  name(12).filter((k) => k !== 'commentId'),
  fc.option(value, { nil: undefined }),
  { maxKeys: 8 },
);

/** What an item reads back as: absent attributes are not stored. */
const stored = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));

let ids = 0;
const nextId = () => `item-${ids++}`;

describe('items written by one client read the same through the other', () => {
  it('plain put → document get', async () => {
    await fc.assert(
      fc.asyncProperty(attributes, async (attrs) => {
        const item = { ...attrs, commentId: nextId() };
        expect(await putItem(embedded.dynamo, table, item)).toBe(true);
        const out = await embedded.doc.send(
          new GetCommand({ TableName: table, Key: { commentId: item.commentId } }),
        );
        expect(out.Item).toEqual(stored(item));
      }),
      { numRuns: 150 },
    );
  });

  it('document put → plain get', async () => {
    await fc.assert(
      fc.asyncProperty(attributes, async (attrs) => {
        const item = { ...attrs, commentId: nextId() };
        await embedded.doc.send(new PutCommand({ TableName: table, Item: item }));
        expect(await getItem(embedded.dynamo, table, { commentId: item.commentId })).toEqual(
          stored(item),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('conditions', () => {
  it('a put whose condition fails answers false and leaves the item as it was', async () => {
    const commentId = nextId();
    const free = { condition: 'attribute_not_exists(commentId)' };
    expect(await putItem(embedded.dynamo, table, { commentId, n: 1 }, free)).toBe(true);
    expect(await putItem(embedded.dynamo, table, { commentId, n: 2 }, free)).toBe(false);
    expect(await getItem(embedded.dynamo, table, { commentId })).toEqual({ commentId, n: 1 });
  });

  it('an update answers the new values asked for, and undefined when its condition fails', async () => {
    const commentId = nextId();
    await putItem(embedded.dynamo, table, { commentId, n: 1, stage: 'decided' });
    const bump = {
      key: { commentId },
      update: 'SET n = n + :one',
      condition: '#stage = :decided',
      names: { '#stage': 'stage' },
      values: { ':one': 1, ':decided': 'decided' },
    };
    expect(await updateItem(embedded.dynamo, table, { ...bump, returnNew: true })).toEqual({
      n: 2,
    });
    expect(await updateItem(embedded.dynamo, table, bump)).toEqual({});
    await updateItem(embedded.dynamo, table, {
      key: { commentId },
      update: 'SET #stage = :complete',
      names: { '#stage': 'stage' },
      values: { ':complete': 'complete' },
    });
    expect(await updateItem(embedded.dynamo, table, bump)).toBeUndefined();
    expect(await getItem(embedded.dynamo, table, { commentId })).toEqual({
      commentId,
      n: 3,
      stage: 'complete',
    });
  });

  it('a missing item reads as undefined; other errors are thrown, not taken for a condition', async () => {
    expect(await getItem(embedded.dynamo, table, { commentId: nextId() })).toBeUndefined();
    await expect(
      updateItem(embedded.dynamo, table, { key: { commentId: nextId() }, update: 'SET = broken' }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      putItem(embedded.dynamo, 'no-such-table', { commentId: nextId() }),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
