import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';
import { end, firstTokenFrom, tokensOver } from './name-tokens';

/**
 * Whose name is it? A comment section names two kinds of people. Residents, staff, neighbours and
 * children are named with the marks of everyday life around them: an honorific on a family name
 * (佐藤さん, 野口先生), a relation or a workplace before the name (隣の, 市役所の, 同級生の), what
 * belongs to them after it (…さんちの, …の息子, …の車), "a person called …" (って人), or a phone
 * number or an address in the same comment. Famous people, characters and shops are named bare,
 * by their full name, or next to their works and their fans (ドラマ, 新曲, 試合, 推し, みたいに).
 *
 * In a comment, a name found by the dictionary or by a Wikipedia-style cue is reported only when
 * some of that private-person evidence is there; in encyclopedic prose every name stays (such text
 * is about public people, whom the detector has always redacted there). Rules that only fire on
 * private-person evidence (children's names before くん, 佐藤さんち, an account holder…) pass as
 * they are.
 */

// --- Genre: a comment, or encyclopedic prose -------------------------------------------------

// Titles and quotations carry their own marks (「ありがとう!!ベースボールフェスタ」).
const QUOTED = /「[^」]{0,80}」|『[^』]{0,80}』|"[^"]{0,80}"|“[^”]{0,80}”/gu;
const CHAT_MARKS =
  /[\p{Extended_Pictographic}！？!?♪〜～@＠ｗ\n]|[#＃](?=[^\s0-9０-９])|w{2,}|https?:|笑(?=$|[。、\s)）」])|[(（][^)）]{0,6}[)）]$/u;
// Polite and spoken endings, before a break; the one-letter particles of speech (ね, よ, わ…)
// only where a sentence ends without a written full stop.
const CHAT_ENDINGS =
  /(?:です|ます|でした|ました|ません|ください|下さい|じゃん|でしょう?|だろ|だよ|だね|だな|よね|よな|かな|っす|だべ|だわ|だぞ|ってさ|っけ|なぁ)(?=$|[。、．,\s…ー！？!?]|[\p{Extended_Pictographic}])|[ねよわぞさ](?=$|[\s…ー〜！？!?]|[\p{Extended_Pictographic}])/u;
const ENDS_AS_PROSE = /[。．.]\s*$/u;

/**
 * Whether `text` reads as a comment rather than as encyclopedic prose: anything chatty (emoji,
 * marks, polite or spoken endings, a line break) or a text that does not end like a written
 * sentence.
 */
const isCommentLike = (text: string): boolean => {
  const bare =
    text.includes('「') || text.includes('『') || text.includes('"') || text.includes('“')
      ? text.replace(QUOTED, '「」')
      : text;
  return !ENDS_AS_PROSE.test(bare) || CHAT_MARKS.test(bare) || CHAT_ENDINGS.test(bare);
};

// --- Evidence -----------------------------------------------------------------------------------

// Rules that fire only on private-person evidence of their own.
const PRIVATE_RULES = new Set([
  'pii.person_name.kana_child',
  'pii.person_name.kana_surname',
  'pii.person_name.kin_kana',
  'pii.person_name.kin',
  'pii.person_name.spaced',
  'pii.person_name.account_holder',
  'pii.person_name.latin_introduced',
  'pii.person_name.family_home',
  'pii.person_name.shop_family',
  'pii.person_name.relation',
]);

// Honorifics and titles of everyday life (the people a city's residents meet), after a name.
const HONORIFIC =
  '(?:さん|さま|様|ちゃん|くん|君|先生|せんせい|センセ|先輩|コーチ|監督|主任|課長|係長|部長|店長|所長|院長|園長|校長|教頭|社長|医師|看護師|師長|トレーナー|インストラクター|師匠|ママ|マスター|殿|っち)';
const HONORIFIC_AFTER = new RegExp(`^${HONORIFIC}`, 'u');
// The dictionary rules sometimes keep the honorific inside the span (前澤さん).
const HONORIFIC_END = new RegExp(`${HONORIFIC}$`, 'u');

// What belongs to a private person, after the name (or after its honorific): a home, a family,
// a car, a phone, an account (佐藤さんちの, 田中んとこ, 山口さんの奥さん, 岡田の車).
const BELONGINGS =
  '家 うち 実家 自宅 部屋 庭 店 会社 職場 財布 自転車 給料 年金 保険証 住民票 奥さん 奥様 旦那 ご主人 嫁 息子 娘 子供 子ども 子 孫 お父さん お母さん 父親 母親 親 おばあちゃん おじいちゃん ばあちゃん じいちゃん ばあさん じいさん おばちゃん おじちゃん おばさん おじさん おばあさん おじいさん やつ ヤツ 奴 野郎 おやじ 親父 おふくろ かあちゃん とうちゃん 親戚 身内 知り合い 友達 兄 姉 弟 妹 お兄ちゃん お姉ちゃん 車 軽トラ 携帯 スマホ 電話 番号 住所 口座 クレカ カード 免許 マイナンバー 畑 犬 猫 家族 彼氏 彼女 元カレ 元カノ ママ パパ 長男 長女 次男 次女'.split(
    ' ',
  );
// A word written in kanji must end there (の姉妹 is a pair of sisters, not someone's sister).
const OWNED_WORDS = [
  ...BELONGINGS.filter((w) => !/^\p{Script=Han}+$/u.test(w)),
  ...BELONGINGS.filter((w) => /^\p{Script=Han}+$/u.test(w)).map(
    (w) => `${w}(?![\\p{Script=Han}々])`,
  ),
].join('|');
const OWNED_AFTER = new RegExp(
  `^(?:んち|んとこ|ん家|ンチ|のとこ|${HONORIFIC}(?:ち(?=[のはにでがも])|とこ|家|宅)|(?:${HONORIFIC}|氏)?(?:夫婦|一家|の(?:${OWNED_WORDS})))`,
  'u',
);
// "A person called …" and its colloquial kin (杉山って運転手, 石田って人, 高田さんっていう職員さん).
const CALLED_AFTER = new RegExp(
  `^${HONORIFIC}?(?:って|っていう|という|とかいう|って言う|と言う|とか言う)(?:の(?![\\p{Script=Han}ァ-ヺ])|んだ|んです|人|ひと|名前|名札|ネームプレート|やつ|奴|ヤツ|子|男|女|ババア|ばばあ|ババァ|ジジイ|じじい|ジジィ|オヤジ|おやじ|親父|おばさん|おじさん|ばあさん|じいさん|[\\p{Script=Han}ァ-ヺー]{0,4}(?:員|師|手|長|者|医|屋|士|生|家|方|先生|教師|受付|職員|店員|主婦|ママ|コーチ|監督))`,
  'u',
);
// Contact and address words (西田まで, 西村宛, 名義), a self-introduction at the start of a comment
// or a sentence (田島です), and a name called out and spoken to (村井さん、あんた…).
const CONTACT_AFTER = new RegExp(
  `^${HONORIFIC}?(?:まで|宛|あて|名義|様方|に連絡|へ連絡|に電話)`,
  'u',
);
// An age right after a name (山田太郎（45）, 佐藤、45歳): how a person is pinned down.
const AGE_AFTER = new RegExp(
  `^${HONORIFIC}?(?:[（(][0-9０-９]{1,3}(?:歳|才)?[）)]|[、,\\s]?[0-9０-９]{1,3}(?:歳|才))`,
  'u',
);
const SPEAKER_BEFORE = /(?:私|わたし|僕|ぼく|俺|オレ)は\s?$/u;
// A resident introduced by where they live, work or study (市内在住の遠藤, 留萌在勤の木村).
const RESIDENT_BEFORE = /(?:在住|在勤|在学|住まい)の\s?$/u;
// Someone the writer has dealt with, right after the name: heard from, asked by, scolded by, gone
// out with (坂本から聞いた, 木村に頼まれた, 斉藤と一緒に). "…が言ってた" is left out: it quotes a star
// as often as a neighbour (大谷が言ってた). Works, fans or the news around the name still win.
const DEALT_WITH_AFTER = new RegExp(
  `^${HONORIFIC}?(?:(?:から|に)(?:聞い|聞き|聞かされ|言われ|頼まれ|誘われ|教わ|教えてもら|怒られ|叱られ|借り|もらっ|貰っ)|が教えてくれ|と(?:一緒に|いっしょに|二人で|ふたりで|遊ん|飲ん|喧嘩|けんか|ケンカ|付き合))`,
  'u',
);
const SELF_INTRODUCED_AFTER = /^(?:です|でーす|っす)/u;
const VOCATIVE_AFTER = /^[、,]/u;
// A name called out opens a sentence; after a comma it is the next item of a list (試合、佐藤、…).
const SENTENCE_BREAK_BEFORE = /[。．！？!?\n]\s*$/u;
const INTRODUCES_SELF_AFTER = /^(?:と申します|といいます|と言います)/u;
const ADDRESSED_AFTER = new RegExp(
  `^${HONORIFIC}?[、,!！\\s]{0,2}(?:あんた|アンタ|お前|おまえ|オマエ|てめえ|テメエ|テメー|貴様|きさま)`,
  'u',
);

// A relation or a place of everyday life right before the name (隣の佐々木さん, 市役所税務課の
// 斉藤, 東光小3年1組の佐藤さくら, 同級生の藤井美咲).
const RELATIONS =
  'うち|隣|となり|近所|子供|子ども|子|母親|父親|親|向かい|同級生|同期|同僚|友達|ともだち|友人|幼なじみ|幼馴染|親友|先輩|後輩|元カレ|元カノ|元彼|元嫁|元夫|元妻|彼氏|彼女|旦那|嫁|妻|夫|主人|息子|娘|孫|兄|姉|弟|妹|父|母|義母|義父|姑|舅|親戚|いとこ|従兄弟|甥|姪|叔父|叔母|伯父|伯母|担任|顧問|上司|部下|幹事|クラス|クラスメイト|ママ友|パパ友|知り合い|知人|本名|名前|氏名|犯人|浮気相手|不倫相手|相手|大家|管理人|飼い主|奥さん|奥様|ご主人|旦那さん|息子さん|娘さん|お父さん|お母さん|親御さん|お姑さん';
// Workplaces and groups by the word they end in (税務課, 少年団, 保育園, 整骨院, 売店…), the
// people who work there (看護師, 運転手, 受付…), the roles of a club or a council (会計, 教頭,
// マネージャー…) and the buildings people live in (アパート, 寮); "the one who does it" may sit
// between (少年団の会計やってる…).
const PLACES_OF_LIFE =
  '[\\p{Script=Han}ァ-ヺーA-Za-z0-9０-９]{0,8}(?:課|係|室|部|団|会|校|園|院|所|店|局|署|館|センター|施設|病院|役所|役場|窓口|受付|売店|レジ|フロント|教室|学童|組合|漁協|農協|協会|事務所|会社|工場|現場|職場|ジム|サロン|バイト先|パート先|勤め先|スナック|チーム|クラブ|少年団|長|団地|町内|町|村|市|区|丁目|小|中|高|高校|組|年生|職員|看護師|保健師|介護士|ヘルパー|ケアマネ|運転手|店員|事務員|先生|教師|コーチ|監督|会長|委員長|班長|配達員|警察官|駐在|住職|医者|歯医者|整体師|薬剤師|栄養士|保育士|司書|大将|女将|会計|書記|教頭|講師|事務|担当|役員|委員|マネージャー|キャプテン|(?<!議)員|主将|部員|社員|従業員|スタッフ|パート|バイト|ドライバー|乗務員|職人|大工|板前|調理師|アパート|マンション|寮|住人|隣人)';
const RELATION_BEFORE = new RegExp(
  `(?:(?:${RELATIONS})(?:の|・|、|\\s)?|(?:${RELATIONS})の(?:家|うち|お宅)の|(?:あそこ|そこ|向こう|例)の|(?:あいつ|こいつ|そいつ|あの人|この人|その人|あの子|この子|犯人|本人)[（(]\\s?|${PLACES_OF_LIFE}(?:の|・|\\s|(?:を|で)?(?:やって|して|働いて|勤めて)(?:る|た|いる)\\s?)|(?:名前|氏名|本名|名義|名札|出席者|参加者|欠席者|担当者|申込者|代表者)(?:は|が|に|には|：|:)?\\s?)$`,
  'u',
);

// Words of a comment that speak of a private person's life (住んでる, 同級生, 卒アル, 不倫,
// 写ってる, お世話になった…).
const PRIVATE_LIFE =
  /住んで|住んでる|働いて|勤めて|勤務|家は|実家|自宅|同級生|卒アル|卒業アルバム|不倫|浮気|探して|特定|晒|本名|住所|携帯|電話番号|生年月日|誕生日|年生|[0-9０-９一二三四五六]年[0-9０-９一二三四五六]組|小学校|中学校|転校|入院|退職|異動|離婚|借金|お世話にな|写って|映って|うつって|連絡先|知ってる(?:人|方)|噂|うわさ|見かけた|すれ違|話しかけ|[にと]会った|遊びに来|家に来|落とし物|落し物|忘れ物|預かって(?:い|お|ま|る)|拾った|拾いました|迷子|同じ(?:クラス|団地|職場|学校|会社|町内|部活|部|チーム|パート|バイト|病院|施設|マンション|アパート|地区|班)/u;
// Accusations and threats (詐欺師, 泥棒, 殴, 気をつけろ): a named neighbour's reputation or safety is
// at stake. Said of a foreign name in katakana they are more often news about a public one.
const HOSTILITY =
  /詐欺師|泥棒|犯罪者|前科|万引き|嘘つき|ストーカー|パワハラ|セクハラ|いじめ|虐待|横領|着服|痴漢|盗撮|死ね|消えろ|殺す|ぶっ殺|殴|刺さ|刺す|気をつけろ|許さない|クビ|辞めろ|最低|クズ|無能|ムカつく|むかつく|ウザ|うざ|ババア|ばばあ|ジジイ|じじい/u;

// Works, fans and fame: the talk around a famous person, a character or a brand. Words that
// children's teams and school clubs share with stars (試合, 選手, 優勝, 歌, 作品) are not here: a
// coach or a pupil is named with them every day.
const PUBLIC_LIFE =
  /ドラマ|映画|主演|出演|番組|紅白|CM|ＣＭ|新曲|アルバム|ライブ|コンサート|ツアー|アニメ|漫画|マンガ|まんが|コスプレ|推し|ファン(?!タ)|グッズ|芸能|俳優|女優|歌手|アイドル|芸人|声優|タレント|メダル|五輪|オリンピック|W杯|ワールドカップ|プロ野球|メジャー|大河|朝ドラ|小説|新刊|新作|作家|首相|総理|大臣|大統領|千円札|万円札|銅像|記念館|YouTube|ユーチューブ|ユーチューバー|YouTuber|尊い/u;
// Heard on the news (テレビで石破から聞いた話): a public person, whatever the verb.
const NEWS = /テレビ|TV|ニュース|番組|ラジオ|会見|インタビュー|記者|新聞|記事|ネットで/u;
// How fans speak of a star's looks: with a full name and ちゃん/くん, an idol rather than a child.
const ADORATION = /かっこいい|カッコいい|かっこよ|カッコよ|可愛|かわいすぎ|イケメン|美人|好きすぎ/u;
// Comparisons are made with the famous (吉田沙保里みたいに, 松岡修造みたいな人).
const LIKENED_AFTER = new RegExp(
  `^${HONORIFIC}?(?:みたい|みたく|のよう|のような|っぽ|並み|ばり)`,
  'u',
);

interface PrivacyContext {
  /** Structured personal data (a phone, an address…) found in the same comment. */
  readonly structured: boolean;
  /** Whether the text reads as a comment (`isCommentLike`), when the caller has worked it out. */
  readonly commentLike?: boolean;
  /** The most common family names (names.ts), whose bare mention is a person, not a word. */
  readonly isKnownSurname: (surface: string) => boolean;
}

/**
 * Whether [start, end) holds a family name followed by a given name (大泉洋, 佐藤 さくら), or a
 * given name glued to a word before it that the analyser did not file as a family name (浜辺|美波).
 */
const isFullName = (tokens: readonly Token[], start: number, stop: number): boolean => {
  let surname = false;
  const at = firstTokenFrom(tokens, start);
  let previous = tokens[at - 1];
  for (let i = at; i < tokens.length && (tokens[i] as Token).start < stop; i++) {
    const t = tokens[i] as Token;
    if (t.surface.trim() === '') continue;
    if (surname) return true;
    if (
      t.posDetail3 === '名' &&
      previous !== undefined &&
      end(previous) === t.start &&
      previous.pos === '名詞' &&
      KANJI.test(previous.surface) &&
      (previous.posDetail1 === '一般' || previous.posDetail1 === '固有名詞')
    )
      return true;
    surname = t.posDetail2 === '人名' || (t.posDetail1 === '固有名詞' && KANJI.test(t.surface));
    previous = t;
  }
  return false;
};
/** The words of the analysis wholly inside [start, end). */
const wordsIn = (tokens: readonly Token[], start: number, stop: number): Token[] =>
  tokensOver(tokens, start, stop).filter(
    (t) => t.start >= start && end(t) <= stop && t.surface.trim() !== '',
  );
/** Whether [start, end) is one word the dictionary files as a person's name (健太郎, 美咲). */
const isPersonWord = (tokens: readonly Token[], start: number, stop: number): boolean => {
  const inside = wordsIn(tokens, start, stop);
  return inside.length === 1 && inside[0]?.posDetail2 === '人名';
};
/** Whether the name in [start, end) is a given name alone (美咲, はると, ミカ). */
const isGivenName = (tokens: readonly Token[], start: number, stop: number): boolean => {
  const inside = wordsIn(tokens, start, stop);
  return inside.length > 0 && inside.every((t) => t.posDetail3 === '名' || !KANJI.test(t.surface));
};
// Honorifics a fan gives a star, a pupil a teacher, and parents a child: with a full name these
// say little; さん and 様 with a full name say even less.
const KANJI = /^[\p{Script=Han}々]+$/u;
const FOREIGN_NAME = /^[ァ-ヺー・=＝･\s]+$/u;
const FAMILIAR = /^(?:ちゃん|くん|君|先生|せんせい|コーチ)/u;
// A name with a letter or a mask mark glued to it (Y岡先生, 〇〇さん) hides who it is.
const MASKED = /[A-Za-zＡ-Ｚａ-ｚ〇○◯●×✕＊*]$/u;
const MASK = /[〇○◯●×✕＊*]/u;

/**
 * A test for the name findings of `text`: whether each names a private person. Always true for
 * encyclopedic prose. What holds for the whole comment is worked out once.
 */
const privatePersonTest = (
  text: string,
  tokens: readonly Token[],
  context: PrivacyContext,
): ((c: Candidate) => boolean) => {
  if (!(context.commentLike ?? isCommentLike(text))) return () => true;
  const privateLife = context.structured || PRIVATE_LIFE.test(text);
  const hostility = HOSTILITY.test(text);
  const publicLife = PUBLIC_LIFE.test(text);
  return (c) => {
    const before = text.slice(Math.max(0, c.start - 24), c.start);
    if (MASKED.test(before) || MASK.test(text.slice(c.start, c.end))) return false;
    if (PRIVATE_RULES.has(c.rule)) return true;
    const after = text.slice(c.end, c.end + 16);
    const opensSentence = c.start === 0 || /[。！？!?\s、]$/u.test(before);
    // 田島です, 私はリン・ハオです: a self-introduction.
    const introduced = opensSentence || SPEAKER_BEFORE.test(before);
    const strong =
      context.structured ||
      OWNED_AFTER.test(after) ||
      CALLED_AFTER.test(after) ||
      CONTACT_AFTER.test(after) ||
      ADDRESSED_AFTER.test(after) ||
      AGE_AFTER.test(after) ||
      (introduced && SELF_INTRODUCED_AFTER.test(after)) ||
      INTRODUCES_SELF_AFTER.test(after) ||
      RESIDENT_BEFORE.test(before) ||
      RELATION_BEFORE.test(before);
    if (strong) return true;
    if (publicLife || LIKENED_AFTER.test(after)) return false;
    const surface = text.slice(c.start, c.end);
    // A full name is how people speak of the famous (大泉洋と一緒に写真撮った): a bare family name
    // or a given name is how they speak of whom they know.
    if (DEALT_WITH_AFTER.test(after) && !NEWS.test(text) && !isFullName(tokens, c.start, c.end))
      return true;
    const tail = HONORIFIC_END.exec(surface)?.[0] ?? '';
    const honorific = tail !== '' ? tail : (HONORIFIC_AFTER.exec(after)?.[0] ?? '');
    // A bare name and words about someone's life elsewhere in the comment: enough for a full name
    // or a common family name, not for a word the analyser may have misread (笛吹|か|ないし).
    // 吉田、この前の…, 健太郎、見てるか: a family name or a given name in kanji called out at the
    // start is someone the writer knows.
    if (
      honorific === '' &&
      (c.start === 0 || SENTENCE_BREAK_BEFORE.test(before)) &&
      VOCATIVE_AFTER.test(after) &&
      (context.isKnownSurname(surface) ||
        (surface.length >= 2 && KANJI.test(surface) && isPersonWord(tokens, c.start, c.end)))
    )
      return true;
    if (honorific === '')
      return (
        (privateLife || (hostility && !FOREIGN_NAME.test(surface))) &&
        (isFullName(tokens, c.start, c.end) ||
          context.isKnownSurname(surface) ||
          wordsIn(tokens, c.start, c.end).length > 1)
      );
    // A family name or a given name alone with an honorific is how residents name each other;
    // a full name with one is how people speak of the famous (大泉洋さん), unless it is a child's
    // or a teacher's (中川悠真くん) and no fan speaks of looks.
    const stop = c.end - tail.length;
    // A star or a character is praised for looks by family name (五条先生かっこいい); a child by
    // given name.
    if (!isFullName(tokens, c.start, stop))
      return !ADORATION.test(text) || isGivenName(tokens, c.start, stop);
    return privateLife || (FAMILIAR.test(honorific) && !ADORATION.test(text));
  };
};

const NAME_PRIVACY_PATTERNS: readonly RegExp[] = [
  QUOTED,
  CHAT_MARKS,
  CHAT_ENDINGS,
  ENDS_AS_PROSE,
  HONORIFIC_AFTER,
  HONORIFIC_END,
  OWNED_AFTER,
  CALLED_AFTER,
  CONTACT_AFTER,
  SPEAKER_BEFORE,
  RESIDENT_BEFORE,
  DEALT_WITH_AFTER,
  SELF_INTRODUCED_AFTER,
  INTRODUCES_SELF_AFTER,
  AGE_AFTER,
  VOCATIVE_AFTER,
  SENTENCE_BREAK_BEFORE,
  ADDRESSED_AFTER,
  RELATION_BEFORE,
  PRIVATE_LIFE,
  HOSTILITY,
  FOREIGN_NAME,
  PUBLIC_LIFE,
  NEWS,
  ADORATION,
  FAMILIAR,
  MASKED,
  MASK,
  KANJI,
  LIKENED_AFTER,
];

export type { PrivacyContext };
export {
  HONORIFIC,
  isCommentLike,
  NAME_PRIVACY_PATTERNS,
  PLACES_OF_LIFE,
  privatePersonTest,
  RELATIONS,
};
