import { describe, expect, it } from 'vitest';
import { detectPii } from '../../lambdas/core/pii/detect';
import { personNameSpans, personNames, tokenizer } from '../support/person-names';

// Every name below is made up (or a plain word used as a look-alike).

const names = (text: string): Array<[string, string]> =>
  personNameSpans(text).map((s) => [text.slice(s.start, s.end), s.rule]);
// The Wikipedia-style cues are for encyclopedic prose. In a comment a name must also show that it
// is a private person's (names-privacy.ts), so each example of them is written as a sentence.
const sentence = (text: string): string => (text.endsWith('。') ? text : `${text}。`);
const inProse = (text: string): Array<[string, string]> => names(sentence(text));
const proseValues = (text: string): string[] => personNames(sentence(text));

describe('person names: context cues', () => {
  it.each([
    ['title after an unknown katakana word', '長官ニミッツ提督と会った', 'ニミッツ'],
    ['title after a dotted katakana name', 'ガラバ・ヌーラン報道官は述べた', 'ガラバ・ヌーラン'],
    ['role word with の before a name read as prefix + word', '主演の小栗にも評価された', '小栗'],
    ['playing position before a katakana name', 'FWウェリントンが決めた', 'ウェリントン'],
    ['definition sentence about a person', '蓼科萌黄は、日本の落語家。', '蓼科萌黄'],
    ['Chinese surname and an unreadable given name', '沈萌蓮が優勝した', '沈萌蓮'],
    ['Korean surname and an unreadable given name', '金性洙の親日行為', '金性洙'],
    ['katakana name with a regnal number', 'ラムセス2世の治世', 'ラムセス2世'],
    [
      'Chinese surname and a given name cut into single words',
      '9月に敗れ、胡有禄は捕えられた',
      '胡有禄',
    ],
    ['Korean surname and a given name opened by a prefix', '設計者李元馥の胸像が建った', '李元馥'],
    ['family name after an adverbial noun', 'ある日梅原と会った。', '梅原'],
    ['family name and a shattered given name', '湯口徹は訪問した', '湯口徹'],
    ['list member next to a name', 'アンダーソン、スクワイア、ボブ・ハガーの4人', 'スクワイア'],
    ['later mention of a found name', 'ボブ・ハガーが来た。ハガーは喜んだ。', 'ハガー'],
    ['given name first and a place second', 'ジョージ・ワシントンなど', 'ジョージ・ワシントン'],
    ['dotted name before an adverbial noun', 'ジョン・レノンはじめ', 'ジョン・レノン'],
    [
      'dotted name whose surname the dictionary files as a firm',
      'ヤニス・リッチが来た',
      'ヤニス・リッチ',
    ],
    ['unknown katakana word before ら', 'ペトロフスキーらが集まった', 'ペトロフスキー'],
    [
      'every member of a list of counted people',
      'ボルケン、ザラスキ、ミナートの3名だけだった',
      'ザラスキ',
    ],
    ['a dotted name before a playing position', 'FWルボス・ザネッタが決めた', 'ルボス・ザネッタ'],
    [
      'a dotted name whose last piece ends like a place',
      'ジェイムズ・ロングストリートが来た',
      'ジェイムズ・ロングストリート',
    ],
    [
      'a lone unknown word in a text about trade and a person',
      'ザルバロは会社の不振を記者に語った',
      'ザルバロ',
    ],
    [
      'sentence about a person opened by a katakana word',
      'その後、ヴァルデスは彼の妻と暮らした',
      'ヴァルデス',
    ],
  ])('finds the name: %s', (_cue, text, value) => {
    expect(proseValues(text)).toContain(value);
  });

  it.each([
    ['a place before the head of a town', '札幌市長は会見した'],
    ['a team word before a title', 'チーム監督が替わった'],
    ['a legislature before a title', '参議院議員に当選した'],
    ['a government before a spokesman', '政府報道官は述べた'],
    ['a country before a title', 'ドイツ首相は述べた'],
    ['a team written with a middle dot', 'ニューヨーク・ヤンキース監督は'],
    ['a role word before an ordinary noun', '主演の映画が公開'],
    ['a definition sentence about a thing', '風見鶏は、日本の建物。'],
    ['a definition sentence about a town', '留萌市は、北海道の市。'],
    ['a surname character inside a word', '金曜日の朝'],
    ['a surname character inside a common noun', '周辺の道路'],
    ['a theatre named with a surname character', '文榮座や官庁街があった'],
    ['a district glued after its city', '大阪府阪南市石田にある小学校'],
    ['a district glued after its ward', '東京都板橋区大山において開業した'],
    ['a generation count', 'テクノロジー2世代'],
    ['a domain with a place-name prefix', '庄内藩の藩校'],
    ['a list of places', 'ニューヨーク、ロンドン、パリの'],
    ['a sentence opened by an ordinary katakana word', 'その後、ナイフは研磨された'],
    ['a town council', '町内会の役員が'],
    ['a school written short', '港陽小の先生たち'],
    ['a firm name first in a dotted phrase', 'ソニー・リッチの製品'],
    ['a known word before ら', 'メンバーらが集まった'],
    ['a dotted title filling a quotation', 'バンド名の「ミルダン・フォーレス」は辞書から選ばれた'],
    ['a dotted club after its Latin initials', 'その後はCRボルタナ・ゼッタから移籍した'],
    ['a dotted firm built on a word for a body', 'ゼノワ・プライベートバンクが販売した'],
    [
      'a lone unknown word in a text about trade',
      'ザルバロは自社の販売員と小売店の流通網を有していた',
    ],
    ['a list of ordinary words counted in people', 'リンゴ、ミカン、バナナの3人分'],
  ])('does not take %s for a name', (_case, text) => {
    expect(personNames(text)).toEqual([]);
    expect(proseValues(text)).toEqual([]);
  });

  it('leaves a dating prefix before a title out of the name', () => {
    expect(proseValues('田中元首相が来た')).toEqual(['田中']);
  });

  it('does not take a firm named like a found name for a later mention', () => {
    expect(proseValues('ボブ・ハガーが来た。ハガー社の製品')).toEqual(['ボブ・ハガー']);
  });

  it('keeps the spans inside the text and apart from each other', () => {
    const text = 'アンダーソン、スクワイア、ボブ・ハガーの4人。ハガーは喜んだ。ラムセス2世の治世。';
    const spans = detectPii(text, tokenizer);
    expect(spans.length).toBeGreaterThan(3);
    for (const s of spans) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
    }
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? 0);
  });

  it('names the rule that found each cue', () => {
    expect(inProse('長官ニミッツ提督と会った')).toContainEqual([
      'ニミッツ',
      'pii.person_name.title',
    ]);
    expect(inProse('ラムセス2世の治世')).toContainEqual(['ラムセス2世', 'pii.person_name.regnal']);
    expect(inProse('沈萌蓮が優勝した')).toContainEqual(['沈萌蓮', 'pii.person_name.han']);
  });
});

describe('person names: relatives, initials, split foreign names and what a person owns', () => {
  it.each([
    [
      'an unknown katakana word before の and a thing only a person has',
      'ザルモフの命令により撤退した',
      'ザルモフ',
    ],
    [
      'the same before a person who acts for someone',
      '隊員はローベントの代理人と会った',
      'ローベント',
    ],
    [
      'a foreign name the analyser cuts at a given name',
      'ハンベルクは、その夜に出発した',
      'ハンベルク',
    ],
    ['a foreign name cut into a name and a word', 'シャーリンは地元の学校で学んだ', 'シャーリン'],
    [
      'a shattered given name after a relative and a middle dot',
      '中川の父・龍一郎によって',
      '龍一郎',
    ],
    ['a hiragana given name after a relative', '性格は姉のすみれに似ていた', 'すみれ'],
    ['a known hiragana given name after a relative', '娘のさくらが生まれた', 'さくら'],
    [
      'a surname listed with a name after a relative clause',
      '戦力外通告を受けた大島と柴田が引退した',
      '大島',
    ],
    ['a surname before 元 and a title', '田中元首相は語った', '田中'],
    ['a given name after a birth order', '中田の四女豊と結婚した', '豊'],
    [
      'Latin initials before a katakana surname',
      '当日はK.R.ダンベルクも登壇した',
      'K.R.ダンベルク',
    ],
    ['initials joined by middle dots', 'ロングストリート、D・H・ヒルおよびアブナー', 'D・H・ヒル'],
    ['a katakana trade before a kanji name', 'ギタリスト柚梨と共に結成した', '柚梨'],
    ['a long katakana name after a role word', '社長バルテリオーネのオフィスに', 'バルテリオーネ'],
    [
      'a shattered kanji name before what only a person has',
      '翌年、勝緒の死去に伴い一家は',
      '勝緒',
    ],
    [
      'a given name the analyser shatters after a surname',
      '切腹した池田虎之進の介錯',
      '池田虎之進',
    ],
    ['a name spelt with ヴ', 'ヴィクトルは言った', 'ヴィクトル'],
    ['a given name that is an ordinary word, as a subject', '佐藤林檎は、日本の歌手', '佐藤林檎'],
  ])('finds the name: %s', (_cue, text, value) => {
    expect(proseValues(text)).toContain(value);
  });

  it.each([
    ['a known loanword before a thing a person has', 'マニュアルの指示に従って操作する'],
    ['an ordinary word before what only a person has', '上司の指示に従った'],
    ['a place before a relative', '東京の母に電話した'],
    ['an unknown word before a battle', '彼はナミュロスの戦いで敗れた'],
    ['a loanword spelt with ヴ', 'どちらのヴァージョンも好評だった'],
    ['a firm named after a family', '小林製薬が発売した'],
    ['a spa named after a family', '山田温泉は山の中'],
    ['a government named after its head', '佐藤政権が倒れた'],
    ['a firm named after a family and shattered', '笠置水電が設立された'],
    [
      'a firm named after people, written with middle dots',
      '「ジョンソン・エンド・ジョンソン」の製品',
    ],
    ['ordinary loanwords the analyser splits', 'ホームドアが設置されている'],
    ['a split loanword before a trade', '「テレビドラマ脚本家」のキャラクター'],
    ['a day named after a relative', '父の日に花を贈った'],
    ['a relative and an ordinary word', '妻の実家に帰った'],
    ['a relative and a hiragana word', '姉のおかげで助かった'],
    ['a relative and a dependent noun', '父のもとで修行した'],
    ['a relative and an everyday hiragana word', '娘のおもちゃが壊れた'],
    ['a relative and a snore', '父のいびきがうるさい'],
    ['a relative and a shop', '娘の服屋に行った'],
    ['a care manager (a word newer than the dictionary)', 'ケアマネの指示で手続きした'],
    ['the My Number card', 'マイナカードは便利だ'],
    ['a drugstore named by what it is', 'ツルハドラッグは駅前にある'],
    ['a place before a prefixed word', '福島第一原子力発電所の事故'],
    ['initials inside an abbreviation', '「V.S.O.P.クインテット」を結成した'],
    ['initials before a team name', 'V・ファーレン長崎で国際大会'],
    ['a katakana word ending like a trade', '40人ロースター枠発表後に行われた'],
  ])('does not take %s for a name', (_case, text) => {
    expect(personNames(text)).toEqual([]);
    expect(proseValues(text)).toEqual([]);
  });

  it('names the rule that found each new cue', () => {
    expect(inProse('当日はK.R.ダンベルクも登壇した')).toContainEqual([
      'K.R.ダンベルク',
      'pii.person_name.initials',
    ]);
    expect(inProse('性格は姉のすみれに似ていた')).toContainEqual(['すみれ', 'pii.person_name.kin']);
  });
});

describe('person names: more role and title cues', () => {
  it.each([
    ['a shattered kanji name before ら', '北海道出身の益田喜頓らを採用した', '益田喜頓'],
    [
      'a dotted unknown word before a title',
      'イタリアのデ・ガルベリ首相兼外相と会談',
      'デ・ガルベリ',
    ],
    [
      'an unknown katakana word before と共に',
      '1年前にロスマイヤーと共に「作品」を発表',
      'ロスマイヤー',
    ],
    ['a Latin name after a role word', '発言すると、アシスタントのRekimoから贈られる', 'Rekimo'],
    ['a Latin name after an instrument', 'ギターYU-ICHIが参加している', 'YU-ICHI'],
  ])('finds the name: %s', (_cue, text, value) => {
    expect(proseValues(text)).toContain(value);
  });

  it.each([
    ['a Latin acronym after a role word', 'タッチ操作ベースのOSを採用した'],
    ['a known loanword before と共に', '音楽と共にダンスを楽しむ'],
    ['a place and a counter before ら', '北海道庁らが参加した'],
  ])('does not take %s for a name', (_case, text) => {
    expect(personNames(text)).toEqual([]);
    expect(proseValues(text)).toEqual([]);
  });
});

describe('person names: common Western given names', () => {
  it.each([
    [
      'a dotted name opening with a given name the dictionary files as a firm',
      '名将、シリル・ギマロンがチームを率いた',
      'シリル・ギマロン',
    ],
    [
      'a dotted name opening with a given name that is also a word',
      '初優勝を飾ったビル・ロマーノは続けて',
      'ビル・ロマーノ',
    ],
    ['a lone given name as the subject', 'ブライアンは、その案に惚れ込んだ', 'ブライアン'],
    ['a lone given name as an object', '依頼されたため、マリアを選んだ', 'マリア'],
    ['a known loanword before a word only people are', '2年後にボルト兄弟が失脚した', 'ボルト'],
    ['a dictionary name with an honorific after a particle', '美術館でマネさんに会った', 'マネ'],
    [
      'a dotted name ending in a word that is also a shop',
      'ジョン・ローソンが来た',
      'ジョン・ローソン',
    ],
    ['a given name ending like a species word (…シカ)', '翌年、ジェシカが来日した', 'ジェシカ'],
  ])('finds the name: %s', (_cue, text, value) => {
    expect(proseValues(text)).toContain(value);
  });

  it('does not take a given name and a firm word for one name', () => {
    expect(proseValues('ジョン・ホールディングスの株価')).not.toContain('ジョン・ホールディングス');
  });

  it.each([
    ['a given name as an ordinary verb', 'ボールをマークする'],
    ['a known loanword as an object', '依頼されたため、カメラを選んだ'],
    ['a given name that is an everyday word (microphone)', 'マイクが壊れた'],
    ['a given name that is an everyday word (pole)', 'ポールが倒れた'],
    ['a known loanword as a subject', 'ボルトが外れた'],
    ['a known word for a trade before 本人', 'ヘルパー本人が来た'],
    ['the tail of a katakana word that is also a name (ケア|マネ)', 'ケアマネさんに相談しました'],
    ['a convenience store the dictionary files as a person', 'ローソンの前で事故がありました'],
    ['a Hokkaido species the dictionary lacks (エゾ…)', 'エゾシカが道路に出てきて危なかった'],
    ['a bird named by its tail word', 'オジロワシが飛んでいた'],
    ['a crab the analyser cuts into name pieces', 'ハナサキガニが届きました'],
    ['a flower the dictionary files as a name', 'スズランが咲きました'],
    ['a flower the dictionary lacks, that blooms', 'ルピナスがきれいに咲いています'],
    ['a chain store the dictionary lacks, as a subject', 'ユニクロができたらいいのに'],
  ])('does not take %s for a name', (_case, text) => {
    expect(personNames(text)).toEqual([]);
    expect(proseValues(text)).toEqual([]);
  });
});

describe('findNames in comment sections (families written apart from the dev rows)', () => {
  it.each([
    ['はるとくんのママへ。同じクラスです', 'はると'],
    ['4ねん1くみのたなかりくくん うつってるよ', 'たなかりく'],
    ['おとこのこ やまもと そうたくん。', 'やまもと そうた'],
    ['うちの孫のこうき、港北小3年です', 'こうき'],
    ['うちのみつきも今日から1年生', 'みつき'],
    ['ま え だコーチ、暴言やめて', 'ま え だ'],
    ['普通 7731904 ニシムラ ヨウコ までお願いします', 'ニシムラ ヨウコ'],
    ['口座名義はスズキハナコです', 'スズキハナコ'],
    ['受取人 サトウ イチロウ', 'サトウ イチロウ'],
    ['タカハシの兄ちゃんバイク盗まれたってよ', 'タカハシ'],
    ['田中氏の家、夜中まで騒いでてマジ迷惑', '田中'],
    ['あいつ(吉川)また学校サボってる', '吉川'],
    ['この人（佐藤）いつも並んでる', '佐藤'],
    ['万引きしたの田中(45)だって', '田中'],
    ['佐藤商店のじいさん、釣り銭ごまかす', '佐藤'],
    ['田中んとこの息子、大学受かったってさ', '田中'],
    ['ふじたさんちの息子、ガラ悪いよね', 'ふじた'],
    ['これ岡田の車。毎日停めてる', '岡田'],
    ['斉藤のおばあちゃん元気？', '斉藤'],
    ['My daughter Emily is in 3rd grade', 'Emily'],
    ['contact recovery expert Daniel Whitmore on WhatsApp', 'Daniel Whitmore'],
  ])('finds the private person in %s', (text, name) => {
    expect(personNames(text)).toContain(name);
  });

  it.each([
    '来月の市議選、北村ひろしをよろしくお願いします！',
    '口座名義はカタカナです',
    '田中氏は記者会見で述べた',
    '宛名はフルネームでお願いします',
    '期日前投票してきた。もちろん浜田さんに入れたよ',
    '中西市長の年頭あいさつ、読みました',
    '市長の中西さん、除雪の予算つけて',
    '【前澤友作 公式サブ垢】フォロワー100万人突破記念',
    '大谷翔平です⚾️ いつも応援ありがとうございます。抽選でプレゼント',
    '好美！我们今年夏天去这里吧',
    '百家乐 真人在线 首充送50%',
    '昔は深川の高校に通ったもんさ',
    'この動画、留萌出身の母に見せたら泣いてました',
    '丸光建設、除雪のとき雪置いてく',
    'なまらきれい！プロみたい',
    'ジョセツ ハヤク シテクダサイ ユキ ヤバイ',
    '少年団のコーチがかわいそう',
    '讃美歌を一緒に歌いましょう',
    'わんちゃんと散歩してたら',
    'うちのばあちゃん、行ってない日の分まで',
    '息子でしょ、知ってるんだから',
    'どうにかしてくんないかい',
    'みなさん、こんにちはさん',
  ])('leaves no name in %s', (text) => {
    expect(personNames(text)).toEqual([]);
  });
});
