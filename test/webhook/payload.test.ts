import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentMessageSchema } from '../../lambdas/core/contracts/comment-message';
import { openDelivery } from '../../lambdas/core/webhook/delivery';
import {
  MalformedPayloadError,
  PayloadTooLargeError,
  SignatureError,
} from '../../lambdas/core/webhook/errors';
import { encodeCommentMessage } from '../../lambdas/core/webhook/message-body';
import { formatLocation, parseDelivery } from '../../lambdas/core/webhook/payload';
import {
  commentChange,
  deliveryBody,
  deliveryObject,
  expectedMessages,
  signBody,
  withUnknownChange,
} from '../support/webhook-fixtures';
import { deliverySpecArb } from './arbitraries';

const receivedAt = new Date('2026-11-26T01:02:03.456Z');
const ACCOUNT = '17841400000000001';

describe('parseDelivery', () => {
  it('reads every documented variant into one message per change', () => {
    const spec = {
      entries: [
        {
          accountId: ACCOUNT,
          time: 1_764_150_000,
          changes: [
            commentChange({ idKey: 'id' }),
            commentChange({ idKey: 'comment_id', parentId: '18000000000000999' }),
            commentChange({ field: 'live_comments', mediaProductType: 'LIVE' }),
            {
              field: 'mentions' as const,
              commentId: '18000000000000777',
              mediaId: '18000000000000778',
            },
          ],
        },
        {
          accountId: ACCOUNT,
          time: 1_764_150_001,
          style: 'entry' as const,
          changes: [commentChange(), commentChange({ from: { id: '42' } })],
        },
      ],
    };
    for (const wrap of [false, true, 2]) {
      const parsed = parseDelivery(JSON.parse(deliveryBody({ ...spec, wrap })), { receivedAt });
      expect(parsed.messages).toEqual(expectedMessages(spec, receivedAt));
      expect(parsed.counts).toMatchObject({
        changes: 6,
        messages: 6,
        malformed: 0,
        unknownField: 0,
      });
    }
  });

  it('maps a mention to the comment id and media id only (no text: fetched later)', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: ACCOUNT,
          time: 1_764_150_000,
          changes: [{ field: 'mentions', value: { media_id: '1801', comment_id: '1802' } }],
        },
      ],
    };
    expect(parseDelivery(body, { receivedAt }).messages).toEqual([
      {
        accountId: ACCOUNT,
        field: 'mentions',
        commentId: '1802',
        mediaId: '1801',
        receivedAt: receivedAt.toISOString(),
        deliveryTime: '2025-11-26T09:40:00.000Z',
      },
    ]);
  });

  it('ignores a mention in a caption (media only, no comment) without calling it malformed', () => {
    const body = {
      entry: [
        {
          id: ACCOUNT,
          time: 1_764_150_000,
          changes: [
            { field: 'mentions', value: { media_id: '1801' } },
            { field: 'mentions', value: {} },
          ],
        },
      ],
    };
    const parsed = parseDelivery(body, { receivedAt });
    expect(parsed.counts).toMatchObject({ messages: 0, captionMentions: 1, malformed: 1 });
  });

  it('skips a malformed change by index, keeps its batch-mates, counts unknown fields', () => {
    const body = deliveryObject({
      entries: [
        { accountId: ACCOUNT, time: 1_764_150_000, changes: [commentChange(), commentChange()] },
      ],
    }) as { entry: { changes: unknown[] }[] };
    const changes = body.entry[0]?.changes ?? [];
    changes.splice(1, 0, { field: 'comments', value: { id: 'not-a-number', text: '秘密の本文' } });
    changes.push({ field: 'comments', value: { text: 'no id at all' } });
    changes.push({ field: 'comments', value: 'a string' });
    changes.push({ nofield: true });
    changes.push(null);
    changes.push({ field: 'comments', value: { id: '1', comment_id: '2' } });
    withUnknownChange(body, 'story_insights');
    withUnknownChange(body, 'Weird Field <script>');

    const parsed = parseDelivery(body, { receivedAt });
    expect(parsed.messages).toHaveLength(2);
    expect(parsed.counts).toMatchObject({ malformed: 6, unknownField: 2, messages: 2 });
    expect(parsed.malformed.map((m) => formatLocation(m.at))).toEqual([
      '0/0/1',
      '0/0/3',
      '0/0/4',
      '0/0/5',
      '0/0/6',
      '0/0/7',
    ]);
    expect(parsed.unknownFields).toEqual(['story_insights']);
    // Issues name schema paths and codes, never the values.
    const issues = JSON.stringify(parsed.malformed);
    expect(issues).not.toContain('秘密');
    expect(issues).not.toContain('not-a-number');
    expect(issues).not.toContain('no id at all');
  });

  it('rejects a body that is not a delivery, accepts an empty one', () => {
    for (const body of [42, 'x', null, {}, { entry: 'x' }, [1, 2]]) {
      expect(() => parseDelivery(body, { receivedAt })).toThrow(MalformedPayloadError);
    }
    expect(parseDelivery([], { receivedAt }).messages).toEqual([]);
    expect(parseDelivery({ object: 'instagram', entry: [] }, { receivedAt }).counts.changes).toBe(
      0,
    );
  });

  it('treats null optional values as absent and ignores entries of other products', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: ACCOUNT,
          time: 1_764_150_000,
          changes: [
            {
              field: 'comments',
              value: { id: '1803', parent_id: null, text: null, from: null, media: null },
            },
          ],
        },
        { id: ACCOUNT, time: 1_764_150_000, messaging: [{ sender: { id: '1' } }] },
      ],
    };
    const parsed = parseDelivery(body, { receivedAt });
    expect(parsed.messages).toEqual([
      expect.objectContaining({ commentId: '1803', accountId: ACCOUNT }),
    ]);
    expect(Object.keys(parsed.messages[0] ?? {}).sort()).toEqual(
      ['accountId', 'commentId', 'deliveryTime', 'field', 'receivedAt'].sort(),
    );
    expect(parsed.counts.ignoredEntries).toBe(1);
  });

  it('reads entry.time in seconds, tolerates milliseconds, falls back to receivedAt', () => {
    const at = (time: unknown) =>
      parseDelivery(
        { entry: [{ id: ACCOUNT, time, changes: [{ field: 'comments', value: { id: '1' } }] }] },
        { receivedAt },
      );
    expect(at(1_764_150_000).messages[0]?.deliveryTime).toBe('2025-11-26T09:40:00.000Z');
    expect(at(1_764_150_000_123).messages[0]?.deliveryTime).toBe('2025-11-26T09:40:00.123Z');
    for (const bad of [undefined, 'yesterday', -1, 1e20, Number.NaN]) {
      const parsed = at(bad);
      expect(parsed.messages[0]?.deliveryTime).toBe(receivedAt.toISOString());
      expect(parsed.counts.deliveryTimeFallback).toBe(1);
    }
  });

  it('a change on an entry with an unusable account id is malformed, not misfiled', () => {
    const parsed = parseDelivery(
      { entry: [{ id: 'abc', time: 1, changes: [{ field: 'comments', value: { id: '1' } }] }] },
      { receivedAt },
    );
    expect(parsed.counts).toMatchObject({ messages: 0, malformed: 1 });
    expect(parsed.malformed[0]?.issues).toEqual(['accountId:invalid_format']);
  });

  it('property: every generated delivery parses to exactly its expected messages', () => {
    fc.assert(
      fc.property(deliverySpecArb(30), (spec) => {
        const parsed = parseDelivery(JSON.parse(deliveryBody(spec)), { receivedAt });
        expect(parsed.messages).toEqual(expectedMessages(spec, receivedAt));
        expect(parsed.counts.malformed).toBe(0);
        for (const message of parsed.messages) {
          // What the queue carries parses back, on the consumer side, to the same message.
          const decoded = commentMessageSchema.parse(JSON.parse(encodeCommentMessage(message)));
          expect(decoded).toEqual(message);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeCommentMessage', () => {
  it('emits printable ASCII only (nothing any SQS refuses) that parses back to the same text', () => {
    const printableAscii = (s: string) =>
      [...s].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0x7e);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const message = {
          accountId: '1',
          field: 'comments' as const,
          commentId: '2',
          text,
          receivedAt: receivedAt.toISOString(),
          deliveryTime: receivedAt.toISOString(),
        };
        const body = encodeCommentMessage(message);
        expect(printableAscii(body)).toBe(true);
        expect(JSON.parse(body).text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('openDelivery', () => {
  const secret = 's3cret';
  const body = deliveryBody({
    entries: [{ accountId: ACCOUNT, time: 1_764_150_000, changes: [commentChange()] }],
  });

  it('checks size, then signature, then JSON', () => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 1, 0x20);
    expect(() => openDelivery({ body: big, signatures: [] }, [secret], receivedAt)).toThrow(
      PayloadTooLargeError,
    );
    expect(() =>
      openDelivery({ body: Buffer.from('not json'), signatures: [] }, [secret], receivedAt),
    ).toThrow(SignatureError);
    expect(() =>
      openDelivery(
        { body: Buffer.from('not json'), signatures: [signBody('not json', secret)] },
        [secret],
        receivedAt,
      ),
    ).toThrow(MalformedPayloadError);
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(() =>
      openDelivery(
        { body: invalidUtf8, signatures: [signBody(invalidUtf8, secret)] },
        [secret],
        receivedAt,
      ),
    ).toThrow(MalformedPayloadError);
    const parsed = openDelivery(
      { body: Buffer.from(body), signatures: [signBody(body, secret)] },
      [secret],
      receivedAt,
    );
    expect(parsed.messages).toHaveLength(1);
  });
});
