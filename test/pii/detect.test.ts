import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii, resolve } from '../../lambdas/core/pii/detect';
import { redact } from '../../lambdas/core/pii/redact';
import type { PiiSpan, PiiType } from '../../lambdas/core/pii/types';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

// Every value below is made up; check digits are computed, not copied from anyone.
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const found = (text: string): Array<[PiiType, string]> =>
  detectPii(text, tokenizer).map((s) => [s.type, text.slice(s.start, s.end)]);
const typesIn = (text: string): PiiType[] => detectPii(text, tokenizer).map((s) => s.type);

describe('detectPii: phone', () => {
  it.each([
    ['連絡は090-1234-5678まで', '090-1234-5678'],
    ['電話 0164 42 1234 です', '0164 42 1234'],
    ['０８０－２２２２－３３３３に電話して', '０８０－２２２２－３３３３'],
    ['０９０ー１１１１ー２２２２', '０９０ー１１１１ー２２２２'],
    ['携帯07012345678', '07012345678'],
    ['問い合わせ 0120-123-456', '0120-123-456'],
    ['(0164)42-1234へ', '(0164)42-1234'],
    ['+81 90-1234-5678 call me', '+81 90-1234-5678'],
    ['〇九〇ー一二三四ー五六七八に', '〇九〇ー一二三四ー五六七八'],
  ])('finds %s', (text, value) => {
    expect(found(text)).toContainEqual(['phone', value]);
  });

  it.each(['注文番号 0123456789 の件', '入場者数 12345678 人', '8時50分から17時20分まで'])(
    'ignores the look-alike in %s',
    (text) => {
      expect(typesIn(text)).not.toContain('phone');
    },
  );
});

describe('detectPii: e-mail', () => {
  it.each([
    ['メールはtaro.yamada@example.jp', 'taro.yamada@example.jp'],
    ['ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍまで', 'ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ'],
    ['taro アットマーク example.com', 'taro アットマーク example.com'],
    ['taro(at)example.ne.jp へ', 'taro(at)example.ne.jp'],
    ['mail: taro at example dot com', 'taro at example dot com'],
  ])('finds %s', (text, value) => {
    expect(found(text)).toContainEqual(['email', value]);
  });

  it('ignores a handle and a plain "at" in prose', () => {
    expect(typesIn('@rumoi_daisuki_ お花見しよ')).toEqual([]);
    expect(typesIn('see you at the station.')).not.toContain('email');
  });
});

describe('detectPii: postal code', () => {
  it.each([
    ['〒077-0032 留萌市', '〒077-0032'],
    ['〒0770032', '〒0770032'],
    ['郵便番号は077-8601です', '077-8601'],
    ['住所は077-0044 留萌市大町2丁目', '077-0044'],
  ])('finds %s', (text, value) => {
    expect(found(text)).toContainEqual(['postal_code', value]);
  });

  it('needs a 〒, a word or the hyphen form', () => {
    expect(typesIn('来場者は0770032人')).not.toContain('postal_code');
  });
});

describe('detectPii: address', () => {
  it.each([
    ['家は北海道留萌市港町2丁目4番8号です', '北海道留萌市港町2丁目4番8号'],
    ['留萌市見晴町1丁目12-3に住んでる', '留萌市見晴町1丁目12-3'],
    ['札幌市中央区北1条西2丁目1-1の', '札幌市中央区北1条西2丁目1-1'],
    ['小樽市大町3-11-38 コーポ大町201号室', '小樽市大町3-11-38 コーポ大町201号室'],
    ['増毛町弁天町３丁目１２番地', '増毛町弁天町３丁目１２番地'],
    ['住所 明元町6丁目12番地の4です', '明元町6丁目12番地の4'],
  ])('finds %s', (text, value) => {
    expect(found(text)).toContainEqual(['address', value]);
  });

  it.each([
    '国道231号線きれいになってた',
    'ゼッケン1024番の子',
    '試合は3-1で勝ちました',
    '2024-12-01に開催',
    '市役所3階の窓口',
  ])('ignores %s', (text) => {
    expect(typesIn(text)).not.toContain('address');
  });
});

describe('detectPii: My Number, driver licence, passport', () => {
  it('finds a My Number with a valid check digit, with or without words', () => {
    expect(found('番号 1234 5678 9018 です')).toContainEqual(['my_number', '1234 5678 9018']);
    expect(found('マイナンバーは123456789018')).toContainEqual(['my_number', '123456789018']);
  });

  it('takes 12 digits with a wrong check digit only next to the word', () => {
    expect(typesIn('番号123456789012です')).toEqual([]);
    expect(found('マイナンバー123456789012')).toContainEqual(['my_number', '123456789012']);
  });

  it('reads 12 digits next to 免許 as a driving licence', () => {
    expect(found('免許証番号 123456789012 です')).toContainEqual([
      'drivers_license',
      '123456789012',
    ]);
  });

  it('finds passports with the word, or in the Japanese T?/M? form', () => {
    expect(found('旅券番号はAB1234567')).toContainEqual(['passport', 'AB1234567']);
    expect(found('TK1234567 を落とした')).toContainEqual(['passport', 'TK1234567']);
    expect(typesIn('型番AB1234567の部品')).not.toContain('passport');
  });
});

describe('detectPii: payment cards and bank accounts', () => {
  it.each([
    ['カード 4111 1111 1111 1111', '4111 1111 1111 1111'],
    ['4111-1111-1111-1111で払った', '4111-1111-1111-1111'],
    ['４１１１１１１１１１１１１１１１', '４１１１１１１１１１１１１１１１'],
    ['JCB 3530111333300000', '3530111333300000'],
  ])('finds the Luhn-valid card in %s', (text, value) => {
    expect(found(text)).toContainEqual(['credit_card', value]);
  });

  it('ignores Luhn-invalid runs, ISBNs and tracking numbers', () => {
    expect(typesIn('4111 1111 1111 1112 を入力')).not.toContain('credit_card');
    expect(typesIn('ISBN 9784003101018')).not.toContain('credit_card');
    expect(typesIn('追跡番号 4111111111111111')).not.toContain('credit_card');
  });

  it('finds an account from the bank name to the number', () => {
    expect(found('振込先は北洋銀行 留萌支店 普通 1234567 です')).toContainEqual([
      'bank_account',
      '北洋銀行 留萌支店 普通 1234567',
    ]);
    expect(found('ゆうちょ銀行 記号12345 番号12345678')).toContainEqual([
      'bank_account',
      'ゆうちょ銀行 記号12345 番号12345678',
    ]);
    expect(typesIn('会員は1234567人')).toEqual([]);
  });
});

describe('detectPii: birth dates and plates', () => {
  it.each([
    ['1985年7月22日生まれです', '1985年7月22日'],
    ['生年月日：1990/01/02', '1990/01/02'],
    ['誕生日は２０１４年２月１１日', '２０１４年２月１１日'],
    ['（昭和60年7月22日生）', '昭和60年7月22日'],
  ])('finds the birth date in %s', (text, value) => {
    expect(found(text)).toContainEqual(['birth_date', value]);
  });

  it('ignores event dates', () => {
    expect(typesIn('まつりは2025年8月2日です')).toEqual([]);
    expect(typesIn('2023年3月31日で廃止')).toEqual([]);
  });

  it.each([
    ['札幌 300 あ 12-34の車', '札幌 300 あ 12-34'],
    ['品川500さ・・・1', '品川500さ・・・1'],
    ['旭川１００は２３－０１', '旭川１００は２３－０１'],
  ])('finds the plate in %s', (text, value) => {
    expect(found(text)).toContainEqual(['license_plate', value]);
  });
});

describe('detectPii: person names', () => {
  it.each([
    ['市役所の木村由美さん、留萌', '木村由美'],
    ['佐藤 太郎です', '佐藤 太郎'],
    ['清水　陽菜は詐欺師', '清水　陽菜'],
    ['佐々木ゆうとくんでしょ', '佐々木ゆうと'],
    ['課長の阿部課長は無能', '阿部'],
    ['英会話教室のジョン・スミスが来た', 'ジョン・スミス'],
    ['ジョン・スミスは昨年来日した。', 'ジョン・スミス'],
  ])('finds the name in %s', (text, value) => {
    expect(found(text)).toContainEqual(['person_name', value]);
  });

  it.each([
    '留萌の海はきれい',
    '北浜中の野球部',
    '店員さんが優しくて好き',
    'フォロワー様限定プレゼント',
    'ニューヨーク・ヤンキースの試合',
    'インスタが有料になるらしい',
  ])('does not take %s for a name', (text) => {
    expect(typesIn(text)).not.toContain('person_name');
  });

  it('accepts tokens the caller already has', () => {
    const text = '担当の山田花子さんに電話した';
    const tokens = tokenizer.tokenize(text);
    expect(detectPii(text, tokenizer, { tokens })).toEqual(detectPii(text, tokenizer));
  });
});

describe('detectPii: look-alikes and output shape', () => {
  it.each([
    '入場料500円、駐車場は200台',
    '2024年は来場者12,345人',
    '夕日の時間は18時32分ごろ',
    '人口は約1万9千人',
    'かずの子1kg 3,980円は安い！',
    '平成30年の台風以来',
    '背番号10の子が活躍',
    '気温マイナス12度',
  ])('reports nothing in %s', (text) => {
    expect(detectPii(text, tokenizer)).toEqual([]);
  });

  it('returns sorted, non-overlapping spans in original offsets with rule ids', () => {
    const text =
      '山田太郎 ０９０－１２３４－５６７８ taro@example.jp 〒077-0032 留萌市港町1丁目2-3';
    const spans = detectPii(text, tokenizer);
    expect(spans.map((s) => s.type)).toEqual([
      'person_name',
      'phone',
      'email',
      'postal_code',
      'address',
    ]);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      expect(s?.rule).toMatch(/^pii\.[a-z_]+\.[a-z_]+$/);
      expect(s?.score).toBeGreaterThanOrEqual(0.5);
      if (i > 0) expect(s?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? 0);
    }
    expect(redact(text, spans)).toBe('[氏名] [電話番号] [メール] [郵便番号] [住所]');
  });

  it('survives text the analyser cannot take (NUL, a lone surrogate)', () => {
    const text = '\u0000山田太郎さん\ud83d 090-1234-5678';
    expect(detectPii(text, tokenizer).map((s) => s.type)).toEqual(['person_name', 'phone']);
  });

  it('handles the empty string', () => {
    expect(detectPii('', tokenizer)).toEqual([]);
  });
});

describe('overlap resolution', () => {
  /** The rule as written: best first, each kept unless it overlaps one already kept. */
  const plainResolve = (spans: readonly PiiSpan[]): PiiSpan[] => {
    const ranked = [...spans].sort(
      (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
    );
    const kept: PiiSpan[] = [];
    for (const c of ranked) {
      if (c.end <= c.start) continue;
      if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
      kept.push(c);
    }
    return kept.sort((a, b) => a.start - b.start);
  };
  const span = fc
    .record({
      start: fc.nat(60),
      length: fc.integer({ min: -1, max: 12 }),
      score: fc.constantFrom(0.5, 0.6, 0.7, 0.85, 1),
      type: fc.constantFrom<PiiType>('phone', 'person_name', 'address'),
    })
    .map(({ start, length, score, type }) => ({
      type,
      start,
      end: start + length,
      score,
      rule: `r${start}`,
    }));

  it('keeps exactly what the plain rule keeps, sorted and without overlaps', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 40 }), (spans) => {
        const kept = resolve(spans);
        expect(kept).toEqual(plainResolve(spans));
        kept.forEach((k, i) => {
          const next = kept[i + 1];
          if (next) expect(k.end).toBeLessThanOrEqual(next.start);
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('detectPii: number families written apart from the seeded set', () => {
  it.each([
    [
      '携帯 ゼロハチゼロ ニーサンヨンゴ ロクナナハチキュー 夜なら',
      'ゼロハチゼロ ニーサンヨンゴ ロクナナハチキュー',
    ],
    [
      'でんわは ぜろきゅうぜろ いちにさんよん ごろくななはち',
      'ぜろきゅうぜろ いちにさんよん ごろくななはち',
    ],
    ['0 9 0 - 4 4 1 2 - 7 7 3 0 ←ここに電話', '0 9 0 - 4 4 1 2 - 7 7 3 0'],
    ['090・1234・5678に', '090・1234・5678'],
    ['電話 090の1234の5678まで', '090の1234の5678'],
    ['携帯は０８０の２２２２の３３３３', '０８０の２２２２の３３３３'],
    ['ＬＩＮＥより早い ０８０･２２２２･３３３３', '０８０･２２２２･３３３３'],
    ['contact him on WhatsApp +1 302-555-0147, he', '+1 302-555-0147'],
    ["Send 'JOB' to +44 7700 900123 on WhatsApp", '+44 7700 900123'],
  ])('finds the phone in %s', (text, value) => {
    expect(found(text)).toContainEqual(['phone', value]);
  });

  it('reads の between digits as a phone separator only where the digits make a phone', () => {
    expect(found('住所は大町2の3の4です')).toContainEqual(['address', '大町2の3の4']);
    expect(typesIn('電話で聞いたら3の倍数と5の倍数だって')).toEqual([]);
    expect(typesIn('2024の3の5月号、電話で注文した')).not.toContain('phone');
  });

  it('leaves a city office line and a short kana word alone', () => {
    expect(typesIn('問い合わせ先、市役所代表の0164-42-1801って広報に')).not.toContain('phone');
    expect(typesIn('イチゴとゴマとサンマ')).toEqual([]);
  });

  it('keeps a mobile number even next to the office', () => {
    expect(found('市役所の担当 090-1234-5678')).toContainEqual(['phone', '090-1234-5678']);
  });

  it('finds My Number, card and passport in formats the seeded set does not show', () => {
    expect(found('通知カードの番号は５５０１ ２８４７ ６３９０です')).toContainEqual([
      'my_number',
      '５５０１ ２８４７ ６３９０',
    ]);
    expect(found('CVV fullz 💳 fresh 4532 7718 0934 2261 09/27 ✅')).toContainEqual([
      'credit_card',
      '4532 7718 0934 2261',
    ]);
    expect(found('Passport no. X48210937. Has anyone')).toContainEqual(['passport', 'X48210937']);
  });

  it('leaves a product barcode and a whole-town postal code alone', () => {
    expect(typesIn('商品コード、4901234567894で検索')).toEqual([]);
    expect(typesIn('JAN 4512345678901')).not.toContain('credit_card');
    expect(typesIn('郵便番号077-0000って以下に掲載がない場合')).not.toContain('postal_code');
    expect(typesIn('市役所の郵便番号は077-8601です')).not.toContain('postal_code');
  });
});

describe('detectPii: address families written apart from the seeded set', () => {
  it.each([
    ['家って留萌市高砂町のあのでっかい家', '留萌市高砂町'],
    ['錦町5の12の3に住んでる', '錦町5の12の3'],
    ['住所は留萌市\n錦町3-4-5です', '留萌市\n錦町3-4-5'],
    ['留萌市錦町 3丁目4-5', '留萌市錦町 3丁目4-5'],
    ['ジュウショ ルモイシ ミナミマチ 2-5-8 ミンナデ', 'ルモイシ ミナミマチ 2-5-8'],
    ['おとこのこ。すえひろちょうの みどりの やねの いえの こ', 'すえひろちょう'],
  ])('finds %s', (text, value) => {
    expect(found(text)).toContainEqual(['address', value]);
  });

  it.each(['留萌市町内会の集まり', '留萌市の市長', 'こうちょうのはなし', 'しちょうのいえ'])(
    'ignores %s',
    (text) => {
      expect(typesIn(text)).not.toContain('address');
    },
  );
});

describe('detectPii: more formats of the same families', () => {
  it('takes a valid number in any grouping, a passport with a dash, kanji block numbers', () => {
    expect(found('電話 090-12-34-5678 まで')).toContainEqual(['phone', '090-12-34-5678']);
    expect(found('TK-1234567を落とした')).toContainEqual(['passport', 'TK-1234567']);
    expect(found('錦町五の十二の三に住む')).toContainEqual(['address', '錦町五の十二の三']);
  });

  it('leaves a spaced date and time alone', () => {
    expect(typesIn('2024 05 03 12 30 集合')).toEqual([]);
  });
});
