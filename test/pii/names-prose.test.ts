import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personNameSpans as names, personNames as nameValues } from '../support/person-names';

// Issue #15, person names in encyclopedic prose, by family. Every name and sentence below is made
// up; the look-alikes are factions, firms, bands, battles, sports and counts that must stay as
// written.

describe('a faction or a school named after someone (X派) is a body, not a person', () => {
  it.each(['大野派は分裂した。', '党内の中川派が反対に回った。', '寺は浄土真宗の本田派に属する。'])(
    '%s',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );

  it.each([
    ['大野は派閥を率いた。', '大野'],
    ['中川さんの派閥', '中川'],
  ])('the same family name standing alone stays a name: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('a dotted katakana phrase that a word for a firm, a band or a party introduces', () => {
  it.each([
    '株式会社ホワイト・ラビットは解散した。',
    'ロック・バンド、ブラック・ガーデンが結成された。',
    '政党・グリーン・リーフが議席を得た。',
    '男声合唱団シルバー・ベルに所属した。',
  ])('%s names a body', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it.each([
    ['監督のジョン・スミスは引退した。', 'ジョン・スミス'],
    ['バンドのメンバー、ジョン・スミスが脱退した。', 'ジョン・スミス'],
    ['会社を興したのはジョン・スミスである。', 'ジョン・スミス'],
  ])('a person after a role or elsewhere stays: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('a dotted katakana phrase before の and what a place or a team owns', () => {
  it.each(['ベルモント・ヒルの戦いで敗れた。', 'ノース・ブルックの郊外に移った。'])(
    '%s names a place',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );

  it.each([
    ['ジョン・スミスの死は伝えられなかった。', 'ジョン・スミス'],
    ['ジョン・スミスの自伝が出版された。', 'ジョン・スミス'],
  ])('what belongs to a person keeps the name: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('a katakana name the analyser cut into known words, before a rank', () => {
  it.each([
    ['グリーンウッド伯爵は議会に出た。', 'グリーンウッド'],
    ['翌年、グリーンウッド提督が艦隊を率いた。', 'グリーンウッド'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each([
    '日本のアイスホッケー選手。',
    '彼はバスケットボール監督として知られる。',
    'サッカーチーム会長が語った。',
  ])('a sport or a body before a trade stays a word: %s', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it('takes any two known katakana words glued before a rank, and never before a trade', () => {
    const pieces = fc.constantFrom(
      'グリーン',
      'ウッド',
      'ストーン',
      'ブラック',
      'ハート',
      'ホワイト',
    );
    fc.assert(
      fc.property(
        pieces,
        pieces,
        fc.constantFrom('伯爵', '提督', '男爵', '大佐'),
        fc.constantFrom('選手', '監督', '教授'),
        (a, b, rank, trade) => {
          fc.pre(a !== b);
          const ranked = `その年、${a}${b}${rank}が艦隊を率いた。`;
          const traded = `その年、${a}${b}${trade}が艦隊を率いた。`;
          // The rank-run cue takes the whole run; before a trade it does not fire (other rules
          // may still read a piece the dictionary files as a name).
          expect(names(ranked).some((s) => ranked.slice(s.start, s.end) === `${a}${b}`)).toBe(true);
          expect(names(traded).some((s) => s.rule === 'pii.person_name.title')).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a given name opening with a numeral, after a relative (prose)', () => {
  it.each([
    ['長男の一輝が家業を継いだ。', '一輝'],
    ['彼は娘の三香と暮らした。', '三香'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each([
    '父の一周忌が営まれた。',
    '娘の一言が彼を変えた。',
    '娘の三人は医師になった。',
    '娘の二重跳びがすごい！',
    '娘の一輪車が壊れた',
  ])('a count or a word stays: %s', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it('runs only on prose: the same words in a chatty comment are left to the comment rules', () => {
    expect(nameValues('長男の一輝が継ぐらしいよ！')).not.toContain('一輝');
  });
});

describe('siblings counted after a foreign family name, and the word 姓', () => {
  it.each([
    ['農場の名はグレンフォード3兄弟にちなむ。', 'グレンフォード'],
    ['一家はグレンフォード姓を名乗った。', 'グレンフォード'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each(['会社は創業者の3兄弟が継いだ。', 'ピアノ3台とギター2本を運んだ。'])(
    'no name: %s',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );
});

describe('a name in Latin letters with middle initials', () => {
  it.each([
    ['その論文はEllen R. Whitbyとともに発表された。', 'Ellen R. Whitby'],
    ['Tom A. B. Corriganが設立した。', 'Tom A. B. Corrigan'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each([
    'New York Timesが報じた。',
    '「Lazy River Blues」が収録された。',
    'U.S. Steelの工場が閉鎖された。',
    'Windows 10 Proに対応した。',
  ])('no initials, no name: %s', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it('takes the whole name, initials included, for any made-up Latin name', () => {
    const word = fc
      .tuple(
        fc.constantFrom(...'ABCDEFGHJKLMNPRSTW'),
        fc.array(fc.constantFrom(...'aeioulnrst'), { minLength: 2, maxLength: 8 }),
      )
      .map(([head, tail]) => head + tail.join(''));
    const initials = fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPRSTW'), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(word, initials, word, (given, middle, family) => {
        const name = `${given} ${middle.map((m) => `${m}.`).join(' ')} ${family}`;
        const text = `その研究は${name}が主導した。`;
        expect(nameValues(text)).toContain(name);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a sentence defining its subject by a list of words for what a person is', () => {
  it.each([
    ['白樺颯は、日本の歌手、女優であり、劇団の代表も務める。', '白樺颯'],
    ['五十鈴爽は、日本の歌手、タレントであり、劇団の代表も務める。', '五十鈴爽'],
  ])('%s → %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });

  it.each([
    ['野球場は、日本の選手、監督が使う。', []],
    ['グリーン・ホールは、日本の作家、山田一郎の旧宅である。', ['山田一郎']],
    ['体育館は、選手、観客の双方に開かれている。', []],
  ])('a place used by people or named after one is not defined as a person: %s', (text, found) => {
    expect(nameValues(text)).toEqual(found);
  });
});

describe('one piece of a dotted phrase that the dotted rule did not take', () => {
  it.each(['契約はロッキード・マーティンに与えられた。', 'サン・ポール教会が完成した。'])(
    '%s stays a firm or a place',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );

  it.each([
    ['農園はジョン・Hが所有した。', 'ジョン'],
    ['監督のジョン・スミスは引退した。', 'ジョン・スミス'],
    ['マーティンが契約に署名した。', 'マーティン'],
  ])(
    'a name with an initial, a whole dotted name or a piece standing alone stays: %s',
    (text, name) => {
      expect(nameValues(text)).toContain(name);
    },
  );
});

describe('names the dictionary reads in pieces that end in a word for a temple, shrine, village or band', () => {
  it.each([
    '伴らは松永衆と共に出陣した。',
    '祭神を石川神宮から迎えた。',
    '大森谷村の入り口に碑が建つ。',
  ])('%s', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it.each([
    ['小野寺は投手として活躍した。', '小野寺'],
    ['薬師寺さんに聞いた。', '薬師寺'],
    ['宇都宮は投手として活躍した。', '宇都宮'],
    ['中村は村を出た。', '中村'],
  ])('a common family name, an honorific or a short name stays: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('ら after a name in prose: the people it names and others', () => {
  it.each([
    ['その後、奄美長生らが残った。', '奄美長生'],
    ['戦後、知床慈英らと画塾を開いた。', '知床慈英'],
    ['戦後、Whitbyらと共に演奏した。', 'Whitby'],
  ])('%s → %s', (text, name) => {
    expect(names(text)).toContainEqual(
      expect.objectContaining({ start: text.indexOf(name), end: text.indexOf(name) + name.length }),
    );
  });

  it.each([
    '若者らによる襲撃があった。',
    '戦後、東京らが反対した。',
    '日本らが反対した。',
    '彼らは帰った。',
    '地元住民らが清掃した。',
  ])('a word for people, a place or a pronoun stays: %s', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it('a chatty comment is left to the comment rules', () => {
    expect(nameValues('昨日さ、奄美長生らが来てたよ')).toEqual([]);
  });
});
