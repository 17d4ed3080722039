import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii } from '../../lambdas/core/pii/detect';
import { redact } from '../../lambdas/core/pii/redact';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

/**
 * Families of formats, generated: whatever grouping, separator, digit width or label a person
 * uses, a phone, My Number, card or address never survives redaction; dates, prices and times are
 * never taken for personal data. Every value is generated; check digits are computed.
 */

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const redacted = (text: string): string => redact(text, detectPii(text, tokenizer));

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) =>
  fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

const FULL_WIDTH_OFFSET = '０'.charCodeAt(0) - '0'.charCodeAt(0);
const fullWidth = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + FULL_WIDTH_OFFSET));
const KANA_DIGITS = [
  'ゼロ',
  'イチ',
  'ニー',
  'サン',
  'ヨン',
  'ゴー',
  'ロク',
  'ナナ',
  'ハチ',
  'キュー',
];
const kanaRead = (s: string): string =>
  s.replace(/[0-9]/g, (d) => KANA_DIGITS[Number(d)] as string).replaceAll('-', ' ');

/** Joins groups with a separator, in ASCII or full-width digits. */
const written = (groups: readonly string[], separator: string, wide: boolean): string => {
  const s = groups.join(separator);
  return wide ? fullWidth(s) : s;
};

const SEPARATORS = ['-', '－', ' ', '・', '.', '‐', '/', ''] as const;
// Words people put before a number, or nothing at all.
const PHONE_WORDS = [
  '電話',
  '携帯',
  'TEL:',
  'TEL',
  '℡',
  '連絡先は',
  'ここに',
  'LINEより早い',
  '',
] as const;
// Fillers that cannot merge with the value: kana, punctuation, emoji.
const filler = fc.string({
  unit: fc.constantFrom(...'あいうえおかきくけこよろしく、。！？ 😀'.split('')),
  maxLength: 10,
});

const phoneGroups = fc.oneof(
  fc
    .tuple(fc.constantFrom('090', '080', '070'), digits(4), digits(4))
    .filter(([, b]) => b[0] !== '0')
    .map((g) => [...g]),
  fc.tuple(fc.constant('0164'), fc.constantFrom('42', '43', '49'), digits(4)).map((g) => [...g]),
  fc
    .tuple(
      fc.constant('011'),
      digits(2).map((d) => `2${d}`),
      digits(4),
    )
    .map((g) => [...g]),
);

describe('phone numbers in any format', () => {
  it('never survive redaction, whatever the grouping, separator, width or word before them', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom(...PHONE_WORDS),
        phoneGroups,
        fc.constantFrom(...SEPARATORS),
        fc.boolean(),
        filler,
        (left, word, groups, separator, wide, right) => {
          const value = written(groups, separator, wide);
          const text = `${left}${word}${value} ${right}`;
          expect(redacted(text)).not.toContain(value);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never survive with the exchange or the area code in brackets', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom(...PHONE_WORDS),
        phoneGroups,
        fc.boolean(),
        fc.boolean(),
        filler,
        (left, word, [a, b, c], areaFirst, wide, right) => {
          if (c === undefined) throw new Error('phone numbers are generated in three groups');
          const raw = areaFirst ? `(${a})${b}-${c}` : `${a}(${b})${c}`;
          const value = wide ? fullWidth(raw) : raw;
          // The last group alone: nothing else in the text holds a digit.
          expect(redacted(`${left}${word}${value} ${right}`)).not.toContain(
            wide ? fullWidth(c) : c,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never survive when read out in kana', () => {
    fc.assert(
      fc.property(filler, phoneGroups, filler, (left, groups, right) => {
        const value = kanaRead(groups.join('-'));
        const text = `${left}携帯 ${value} ${right}`;
        expect(redacted(text)).not.toContain(value);
      }),
      { numRuns: 60 },
    );
  });

  it('never survive with a foreign country code', () => {
    fc.assert(
      fc.property(
        // Each prefix with the digits its country's numbers still need.
        fc.constantFrom(
          { prefix: '+44 7700 9', length: 5 },
          { prefix: '+1 302-555-0', length: 3 },
          { prefix: '+82 10-2', length: 7 },
          { prefix: '+86 138 ', length: 8 },
        ),
        digits(8),
        ({ prefix, length }, rest) => {
          const value = `${prefix}${rest.slice(0, length)}`;
          expect(redacted(`call me on WhatsApp ${value} thanks`)).not.toContain(value);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** The My Number check digit (総務省令第85号), computed for the generator. */
const myNumberCheck = (eleven: string): string => {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(eleven[11 - n]);
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return String(r <= 1 ? 0 : 11 - r);
};

const luhnComplete = (body: string): string => {
  for (let c = 0; c <= 9; c++) {
    const candidate = `${body}${c}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one check digit always fits');
};

const groupsOf4 = (s: string): string[] => s.match(/.{1,4}/g) ?? [];

describe('My Number and payment cards in any format', () => {
  it('a My Number with a valid check digit never survives, with or without a label', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom('マイナンバー', '個人番号は', '通知カードの番号', '番号 ', ''),
        digits(11),
        fc.constantFrom('-', ' ', '', '　'),
        fc.boolean(),
        filler,
        (left, label, eleven, separator, wide, right) => {
          const value = written(groupsOf4(`${eleven}${myNumberCheck(eleven)}`), separator, wide);
          expect(redacted(`${left}${label}${value} ${right}`)).not.toContain(value);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a Luhn-valid card of a brand used in Japan never survives', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom('カード番号', 'クレカ ', 'VISA ', 'CVV fullz 💳 ', ''),
        fc.oneof(
          digits(14).map((d) => `4${d}`),
          fc.tuple(fc.integer({ min: 51, max: 55 }), digits(13)).map(([p, d]) => `${p}${d}`),
          fc.tuple(fc.integer({ min: 3528, max: 3589 }), digits(11)).map(([p, d]) => `${p}${d}`),
        ),
        fc.constantFrom('-', ' ', ''),
        fc.boolean(),
        filler,
        (left, label, body, separator, wide, right) => {
          const value = written(groupsOf4(luhnComplete(body)), separator, wide);
          expect(redacted(`${left}${label}${value} ${right}`)).not.toContain(value);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('addresses written the way residents write them', () => {
  const town = fc.constantFrom('錦町', '港町', '大町', '見晴町', '沖見町', '住之江町', '高砂町');
  const n = (max: number) => fc.integer({ min: 1, max }).map(String);

  it('never survive, with or without the city, numbers joined by の or -, or on the next line', () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom('留萌市', '北海道留萌市', '留萌市\n', '留萌市 ', ''),
        town,
        fc.tuple(n(9), n(30), n(40)),
        fc.constantFrom('の', '-'),
        fc.constantFrom('', '\n', ' '),
        filler,
        (left, city, name, [a, b, c], joiner, gap, right) => {
          const block = [a, b, c].join(joiner);
          const value = `${city}${name}${gap}${block}`;
          expect(redacted(`${left}住所は${value}です${right}`)).not.toContain(
            `${name}${gap}${block}`,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never survive with a 丁目 before the numbers, on the same line or the next, or in kanji', () => {
    const KANJI = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const kanji = (k: number): string => (k < 10 ? (KANJI[k] as string) : `十${KANJI[k - 10]}`);
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom('留萌市', '留萌市\n', ''),
        town,
        fc.tuple(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 19 }),
          fc.integer({ min: 1, max: 19 }),
        ),
        fc.constantFrom('dash', 'no', 'banchi', 'kanji'),
        fc.constantFrom('', '\n', ' '),
        filler,
        (left, city, name, [a, b, c], shape, gap, right) => {
          const block =
            shape === 'dash'
              ? `${a}丁目${gap}${b}-${c}`
              : shape === 'no'
                ? `${a}丁目の${b}の${c}`
                : shape === 'banchi'
                  ? `${a}丁目${gap}${b}番${c}号`
                  : `${kanji(a)}丁目${kanji(b)}番${kanji(c)}号`;
          const text = `${left}家は${city}${name}${block}です${right}`;
          const out = redacted(text);
          expect(out).not.toContain(`${name}${a}丁目`);
          expect(out).not.toContain(block.slice(block.indexOf('丁目') + 2).trim());
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('addresses of public buildings', () => {
  const n = (max: number) => fc.integer({ min: 1, max }).map(String);
  const building = fc.constantFrom(
    '留萌市役所',
    '船場公園',
    '市立病院',
    '中央公民館センター',
    '図書館',
  );
  const town = fc.constantFrom('幸町', '船場町', '東雲町', '錦町');

  it('are published, not personal: the address right after the building is left as written', () => {
    fc.assert(
      fc.property(
        building,
        fc.constantFrom('（', 'は', ' ', '：'),
        town,
        fc.tuple(n(9), n(30), n(40)),
        (place, joiner, name, [a, b, c]) => {
          const text = `${place}${joiner}留萌市${name}${a}丁目${b}-${c}`;
          expect(detectPii(text, tokenizer).filter((s) => s.type === 'address')).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('are published when the sentence says a place or a business stands there', () => {
    const said = fc.constantFrom(
      (a: string) => `留萌小学校は、${a}にある公立小学校です`,
      (a: string) => `株式会社るもいは、${a}に本社を置く会社`,
      (a: string) => `${a}に呉服店「大文字屋」を開業した`,
      (a: string) => `道の駅は${a}に所在する施設`,
      (a: string) => `新しいパン屋さんは、${a}にある店舗です`,
      (a: string) => `文化センターは、${a}にある多目的ホール`,
    );
    fc.assert(
      fc.property(said, town, fc.tuple(n(9), n(30), n(40)), (sentence, name, [a, b, c]) => {
        const text = sentence(`留萌市${name}${a}丁目${b}-${c}`);
        expect(detectPii(text, tokenizer).filter((s) => s.type === 'address')).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('still hides a home, even one said to stand there', () => {
    const home = fc.constantFrom(
      (a: string) => `田中さんの家は、${a}にある`,
      (a: string) => `実家は${a}にある古い一軒家です`,
      (a: string) => `あいつは${a}に住んでる`,
      (a: string) => `${a}のアパートに住む佐藤`,
      (a: string) => `犯人の家は${a}にある。学校の近く`,
    );
    fc.assert(
      fc.property(home, town, fc.tuple(n(9), n(30), n(40)), (sentence, name, [a, b, c]) => {
        const text = sentence(`留萌市${name}${a}丁目${b}-${c}`);
        expect(redacted(text)).not.toContain(`${b}-${c}`);
      }),
      { numRuns: 60 },
    );
  });

  it('still hides a resident who is only spoken of near one', () => {
    fc.assert(
      fc.property(building, town, fc.tuple(n(9), n(30), n(40)), (place, name, [a, b, c]) => {
        const value = `留萌市${name}${a}丁目${b}-${c}`;
        expect(redacted(`${place}の木村さん、${value}に住んでる`)).not.toContain(`${b}-${c}`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('look-alikes', () => {
  const lookAlike = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 2000, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .chain(([y, m, d]) =>
        fc.constantFrom(
          `${y}年${m}月${d}日`,
          `${y}/${m}/${d}`,
          `${y}/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`,
          `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`,
          `${y}-${m}-${d}`,
          `令和${y - 2018}年${m}月${d}日`,
        ),
      ),
    fc
      .integer({ min: 1, max: 999_999 })
      .chain((p) =>
        fc.constantFrom(`${p.toLocaleString('en-US')}円`, `¥${p}`, `${p}円`, `税込${p}円`),
      ),
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .chain(([h, m]) =>
        fc.constantFrom(
          `${h}時${m}分`,
          `${h}:${String(m).padStart(2, '0')}`,
          `${h}時${m}分から${(h + 1) % 24}時まで`,
        ),
      ),
    fc.integer({ min: 1, max: 99_999 }).map((k) => `来場者${k}人`),
  );
  const sentence = fc.constantFrom('イベントは', '開催日', 'お値段', '受付は', '今日の', '');

  it('dates, prices, times and counts are never redacted', () => {
    fc.assert(
      fc.property(sentence, fc.array(lookAlike, { minLength: 1, maxLength: 3 }), (head, parts) => {
        const text = `${head}${parts.join('、')}です`;
        expect(detectPii(text, tokenizer)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
