import fc from 'fast-check';
import { COMMENT_FIELDS } from '../../lambdas/core/contracts/comment-message';
import type { ChangeSpec, DeliverySpec, EntrySpec } from '../support/webhook-fixtures';

/** fast-check generators of valid Meta deliveries, every variant and optional field mixed. */

const graphIdArb = fc.stringMatching(/^[1-9]\d{14,18}$/);

/** Japanese, ASCII with JSON-sensitive characters, emoji (surrogate pairs), and anything at all. */
const commentTextArb = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...'留萌市の夕日がきれい。ありがとう！ＡＢＣｱｲｳ〒077-0000'),
    maxLength: 80,
  }),
  fc.string({ unit: fc.constantFrom(...'abc XYZ/"\\\n\t<>&\'{}[]:,'), maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\uFFFF\uFFFE', '😀👍🏽', 'https://example.com/a?b=c'),
);

const fromArb = fc.record(
  {
    id: graphIdArb,
    username: fc.stringMatching(/^[a-z0-9._]{1,30}$/),
  },
  { requiredKeys: ['id'] },
);

const changeSpecArb: fc.Arbitrary<ChangeSpec> = fc.record(
  {
    field: fc.constantFrom(...COMMENT_FIELDS),
    commentId: graphIdArb,
    idKey: fc.constantFrom('id' as const, 'comment_id' as const),
    mediaId: graphIdArb,
    mediaProductType: fc.constantFrom('FEED', 'REELS', 'STORY', 'AD'),
    parentId: graphIdArb,
    text: commentTextArb,
    from: fromArb,
  },
  { requiredKeys: ['field', 'commentId'] },
);

const entryStyleArb = fc.constantFrom('changes' as const, 'entry' as const);

/** Splits `changes` into entries at `cuts`, spread over a few accounts and both entry styles. */
const spread = (
  changes: readonly ChangeSpec[],
  cuts: readonly number[],
  accounts: readonly string[],
  times: readonly number[],
  styles: readonly ('changes' | 'entry')[],
): EntrySpec[] => {
  const positions = [...new Set(cuts.map((c) => c % (changes.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...positions.filter((p) => p > 0 && p < changes.length), changes.length];
  const entries: EntrySpec[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const group = changes.slice(bounds[i], bounds[i + 1]);
    entries.push({
      accountId: accounts[i % accounts.length] ?? '17841400000000001',
      time: times[i % times.length] ?? 1_764_150_000,
      style: styles[i % styles.length] ?? 'changes',
      changes: group,
    });
  }
  return entries;
};

/** A valid delivery with between `minChanges` and `maxChanges` comment changes. */
const deliverySpecArb = (maxChanges: number, minChanges = 0): fc.Arbitrary<DeliverySpec> =>
  fc
    .record({
      // An explicit count: fast-check's default sizing would keep arrays near 10 entries.
      changes: fc
        .integer({ min: minChanges, max: maxChanges })
        .chain((n) => fc.array(changeSpecArb, { minLength: n, maxLength: n })),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
      accounts: fc.array(graphIdArb, { minLength: 1, maxLength: 3 }),
      times: fc.array(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), {
        minLength: 1,
        maxLength: 3,
      }),
      styles: fc.array(entryStyleArb, { minLength: 1, maxLength: 3 }),
      wrap: fc.oneof(fc.constant(false), fc.constant(true), fc.integer({ min: 2, max: 4 })),
    })
    .map(({ changes, cuts, accounts, times, styles, wrap }) => ({
      entries: spread(changes, cuts, accounts, times, styles),
      wrap,
    }));

export { changeSpecArb, commentTextArb, deliverySpecArb, graphIdArb };
