import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCommentLike } from '../../lambdas/core/pii/names-privacy';
import { personNames as names } from '../support/person-names';

// Every name below is made up: common family names joined to common given names at random.

const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '健一', '美咲', '大輔', '陽菜', '直樹', '由美', '誠', '愛子'];
const surname = fc.constantFrom(...SURNAMES);
const fullName = fc.tuple(surname, fc.constantFrom(...GIVEN)).map(([s, g]) => `${s}${g}`);

describe('isCommentLike', () => {
  it.each([
    '除雪まだですか？',
    '夕日きれい🌅',
    '市役所の対応が遅い',
    'この前行ったけど混んでたよ',
    '#留萌 の海',
    'いいね\nまた行きたい',
  ])('reads %s as a comment', (text) => {
    expect(isCommentLike(text)).toBe(true);
  });

  it.each([
    '浅野高弘は、日本の作詞家。',
    'スパイダーマンは「Amazing Fantasy」#15に初登場した。',
    '2008年に「ありがとう!!ベースボールフェスタ」を開催することが発表された。',
    '佐藤のほか、西尾維新が小説を寄稿した。',
  ])('reads %s as encyclopedic prose', (text) => {
    expect(isCommentLike(text)).toBe(false);
  });
});

describe('names in comments: whose name it is', () => {
  // How people speak of the famous: by full name, next to their works and their fans.
  const PUBLIC_TAILS = [
    'の新曲いいよね',
    '主演のドラマ見た？',
    'の試合見てた！',
    'みたいになりたい',
    'のライブ当たった人いる？',
    'の小説読んだ',
    'さんもこの景色好きそう笑',
  ];

  it('leaves a full name spoken of with works, fans or likeness, and finds it in prose', () => {
    fc.assert(
      fc.property(fullName, fc.constantFrom(...PUBLIC_TAILS), (name, tail) => {
        expect(names(`${name}${tail}`)).toEqual([]);
        // The same name in a sentence that defines a person is found: the comment, not the
        // analyser, is what leaves it alone.
        expect(names(`${name}は、日本の歌手。`)).toContain(name);
      }),
      { numRuns: 40 },
    );
  });

  // How residents speak of each other: a relation or a workplace, an honorific on a family name,
  // what belongs to them, "a person called".
  const PRIVATE = [
    (n: string) => `隣の${n}さん、ゴミの日守らない`,
    (n: string) => `市役所税務課の${n}、態度最悪`,
    (n: string) => `${n}さんちの犬また逃げてた`,
    (n: string) => `${n}さんの奥さん、いつも挨拶してくれる`,
    (n: string) => `${n}って人、町内会費払ってないらしい`,
    (n: string) => `少年団の${n}コーチ、怒鳴りすぎ`,
    (n: string) => `${n}の携帯 090-1234-5678`,
    (n: string) => `同級生の${n}、今札幌にいるって`,
  ];

  it('finds a family name named the way residents name each other', () => {
    fc.assert(
      fc.property(surname, fc.integer({ min: 0, max: PRIVATE.length - 1 }), (name, k) => {
        const text = (PRIVATE[k] as (n: string) => string)(name);
        expect(names(text)).toContain(name);
      }),
      { numRuns: 60 },
    );
  });

  it('finds a family name with zero-width characters typed inside it', () => {
    fc.assert(
      fc.property(
        surname,
        fc.integer({ min: 0, max: PRIVATE.length - 1 }),
        fc.constantFrom('\u200b', '\u200c', '\u2060', '\ufeff'),
        (name, k, invisible) => {
          const disguised = [...name].join(invisible);
          const text = (PRIVATE[k] as (n: string) => string)(disguised);
          expect(names(text)).toContain(disguised);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('finds a full name with a child-like honorific or beside personal data', () => {
    fc.assert(
      fc.property(fullName, (name) => {
        expect(names(`あの写真の子、${name}くんじゃない？`)).toContain(name);
        expect(names(`${name}、留萌市元町2丁目4-9に住んでる`)).toContain(name);
      }),
      { numRuns: 30 },
    );
  });

  it('tells a chain shop named after a family from that family', () => {
    fc.assert(
      fc.property(surname, (name) => {
        expect(names(`${name}家のラーメン食べてから帰る`)).toEqual([]);
        expect(names(`${name}さん家の前、除雪されてない`)).toContain(name);
      }),
      { numRuns: 20 },
    );
  });

  it('finds a bare family name the writer has dealt with, unless works and fans surround it', () => {
    const dealt = [
      'から聞いたんだけど、本当？',
      'が教えてくれたけど祭りは中止？',
      'に頼まれて来ました',
      'と一緒に行ったよ',
      'から聞きました',
      'に怒られた笑',
    ];
    fc.assert(
      fc.property(surname, fc.constantFrom(...dealt), (name, tail) => {
        expect(names(`昨日${name}${tail}`)).toContain(name);
        // A star quoted from television: the works or the news around the name still say who it is.
        expect(names(`昨日のドラマで${name}${tail}`)).toEqual([]);
        expect(names(`昨日のニュースで${name}${tail}`)).toEqual([]);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fullName, fc.constantFrom(...dealt), (name, tail) => {
        // A full name is how people speak of the famous, whom fans also meet.
        expect(names(`昨日${name}${tail}`)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('finds every name of a list in which one is a private person', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(surname, { minLength: 2, maxLength: 4 }),
        fc.constantFrom('、', 'と', 'や', 'さん、', 'くんと'),
        fc.constantFrom('隣の', '同級生の', '出席者：'),
        (list, join, before) => {
          const text = `${before}${list.join(join)}がうるさい`;
          const found = names(text);
          for (const name of list) expect(found.join(' ')).toContain(name);
          // With no private person among them, a list is as public as its names.
          expect(names(`昨日のドラマ、${list.join(join)}がすごかった`)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('finds a given name called out at the start and a family name with のやつ after it', () => {
    fc.assert(
      fc.property(surname, fc.constantFrom('健太郎', '直樹', '美咲', '大輔'), (name, given) => {
        expect(names(`${given}、見てるか？`)).toContain(given);
        expect(names(`${name}のやつ、また飲酒運転してた`)).toContain(name);
      }),
      { numRuns: 20 },
    );
    // Everyday words called out are not given names.
    for (const text of ['大地、素晴らしい景色ですね', '真実、知りたいです', '青空、最高'])
      expect(names(text)).toEqual([]);
  });

  it('finds a resident introduced by where they live or work', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('市内在住の', '留萌在住の', '大町在勤の', '市内在住の '),
        surname,
        fc.constantFrom('です。質問があります', 'ですが、除雪は？', 'と申します'),
        (where, name, tail) => {
          expect(names(`${where}${name}${tail}`)).toContain(name);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('leaves the words that are not people before the same verbs', () => {
    for (const text of [
      '市役所から聞いたんだけど、本当？',
      '先生が言ってたけど祭りは中止？',
      '友達と一緒に行ったよ',
      '市内在住の者です。質問があります',
      '町内会に頼まれて来ました',
      // A star's words are quoted by bare family name as often as a neighbour's.
      '大谷が言ってたけど、やっぱり練習だよね',
      '市議会議員の田中が言ってたけど本当？',
      '迷子の猫を探しています',
      // A comma before a family name makes it the next item of a list, not a name called out.
      '昨日の試合、佐藤、田中がすごかった',
    ])
      expect(names(text)).toEqual([]);
  });

  it('finds a name after a job ending in 員, a name before the word for an old neighbour, and a name called about a lost thing', () => {
    fc.assert(
      fc.property(surname, fullName, (name, full) => {
        expect(names(`さっき監視員の${name}にどなられた`)).toContain(name);
        expect(names(`${name}のおじさん、最近見ないね`)).toContain(name);
        expect(names(`${full}さん、落とし物を預かっています`)).toContain(full);
        // An assembly member is a public person (市議会議員), and a full name with さん alone is
        // how people speak of the famous.
        expect(names(`市議会議員の${name}、いつも文句ばかり`)).toEqual([]);
        expect(names(`${full}さん、いつも見てます`)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('finds a name after a role in a club or a council, or after the building someone lives in', () => {
    const roles = [
      '町内会の会計の',
      '高校の教頭の',
      '隣のアパートの',
      '野球部のマネージャーの',
      '少年団の会計やってる',
      '塾の講師の',
      '民生委員の',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...roles),
        fc.oneof(surname, fullName),
        fc.constantFrom('、いつも文句ばかり', 'が毎晩うるさい', 'さんにお世話になった'),
        (role, name, tail) => {
          expect(names(`${role}${name}${tail}`)).toContain(name);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds a family name and a hiragana given name the analyser cuts, up to the particle', () => {
    const kanaGiven = ['ここな', 'みゆう', 'ひなの', 'ゆうき', 'えりな', 'あんず', 'すず'];
    fc.assert(
      fc.property(
        fc.constantFrom('同級生の', '隣の', '職場の', '担任の'),
        surname,
        fc.constantFrom(...kanaGiven),
        fc.constantFrom(
          'が毎晩うるさい',
          'に会った',
          'って人、仕事しない',
          'は、いつも挨拶してくれる',
          '先生に感謝',
        ),
        (relation, family, given, tail) => {
          expect(names(`${relation}${family}${given}${tail}`)).toContain(`${family}${given}`);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each([
    [
      'a kanji given name the analyser shatters, before ちゃん',
      '陽菜ちゃんのママ、連絡ください',
      '陽菜',
    ],
    ['a hiragana child name naming the parent', 'ゆうとくんママ、昨日はありがとう', 'ゆうと'],
    ['a family name told in kanji as a name', '留萌小の教頭、川村って言うんだけど最悪', '川村'],
    ['a family name read off a name tag', '病院の受付の若い子、名札に本田って書いてた', '本田'],
    ['a family name told by a name tag', '配達の兄ちゃん、成田って名札つけてた', '成田'],
    ['a family name before the さ of speech', '隣の家の藤原さ、車の停め方おかしいよね', '藤原'],
    [
      'a family name the dictionary knows as a word, before よ',
      '同じ町内の青木よ、回覧板止めてるの',
      '青木',
    ],
    ['a family name before ったら', 'うちのクラスの原田ったら、また遅刻', '原田'],
    ['a family name before ね', '近所の村田ね、あの人噂好きだから', '村田'],
    [
      'a hiragana given name before だ, without it',
      '隣の藤田ひろしだけど、ゴミの日守らない',
      '藤田ひろし',
    ],
    [
      'a name introduced by a relation before an honorific',
      '保育園のみお先生、異動しちゃう',
      'みお',
    ],
    ['a given name after a relation', '同級生の翔が結婚した', '翔'],
    ['a shattered given name after a relation', '職場の後輩の優斗くんが', '優斗'],
    ['a common word called a person after a workplace', '病院の受付の東って人、感じ悪い', '東'],
    ['a given name read into a verb before くん', '木下陽向くんじゃない？', '木下陽向'],
    ['two children joined by と', '上田くんとゆうきくん、仲良しだね', 'ゆうき'],
    [
      'a self-introduction in the middle of a sentence',
      '貿易の仕事をしているリン・ハオと申します',
      'リン・ハオ',
    ],
    ['a name accused of a crime', '清水陽菜は泥棒', '清水陽菜'],
    ['a child named in katakana', 'ミズキちゃんのママ、LINE教えて', 'ミズキ'],
    [
      'a name in katakana beside an address',
      'ヤマダ タロウの住所は留萌市大町2丁目',
      'ヤマダ タロウ',
    ],
    ['a full name pinned down by an age', '山田太郎（45）が捕まったらしい', '山田太郎'],
    ['a full name seen in the photo', '写ってるの佐藤健一だよね', '佐藤健一'],
    ['a family name after a manager', 'あのコンビニの店長の岩井、態度悪い', '岩井'],
    ['a family name with a scornful め', '市役所の佐藤め、覚えてろ', '佐藤'],
    [
      'a katakana given name after a family name, told as a name',
      'うちの隣のおばあちゃん、佐々木ハツさんっていうの',
      '佐々木ハツ',
    ],
  ])('finds %s', (_case, text, name) => {
    expect(names(text)).toContain(name);
  });

  it.each([
    ['a role before an honorific', '会社の社長さんが来た'],
    ['a role before the よ of speech', '町内の会長よ、しっかりして'],
    ['a pet before the よ of speech', 'うちの犬よ、おいで'],
    [
      'animals and babies before ちゃん or くん',
      '子猫ちゃんかわいい、赤ちゃん生まれた、白熊くんのぬいぐるみ',
    ],
    ['a role before くん', '新人くん頑張ってる、店長くんが来た'],
    ['a town before みたいな', '留萌みたいな地方に住んでる人こそチャンス'],
    ['a relative before a family word', '近所のおばちゃんが'],
    ['a relative before an ordinary word', '娘の友達が来た'],
    ['a loanword before an honorific', '友達のママさんが'],
    ['a masked name', 'Y岡先生のピアノ教室、高いだけ'],
    ['a placeholder for a name', '受付の〇〇さん、愛想悪い'],
    ['a star praised by family name', '呪術廻戦の五条先生かっこいい'],
    ['a full name and an honorific with nothing else', '大泉洋さんもこういう景色好きそう笑'],
    ['a word before the adverb ちゃんと', '祭りのゴミちゃんと持ち帰れよ〜'],
    ['a loanword before ちゃん', 'ケーキちゃんと食べた？'],
    ['a thing called ってやつ after a place', '漁師町の気質ってやつ'],
    ['a foreign public figure in a quarrel', 'スティーブ・バノンはクズだ'],
  ])('leaves %s', (_case, text) => {
    expect(names(text)).toEqual([]);
  });
});
