import type { Token } from '../tokenizer';
import { type Candidate, REPORT_THRESHOLD } from './candidate';
import { end, isNoun, isPerson, nameCandidate } from './name-tokens';
import { findCommentNameCues, publicOrForeignTest } from './names-comments';
import { PERSON_HEADS } from './names-context';
import { findNameCues, NAME_CUE_PATTERNS, type NameLexicon } from './names-cues';
import { WESTERN_GIVEN_NAMES } from './names-given';
import { isCommentLike, privatePersonTest } from './names-privacy';

/**
 * Person names from the morphological analysis (IPADIC 人名 entries: 姓 surname, 名 given name)
 * plus cues the dictionary does not give: honorifics (さん, 様, 君, ちゃん, 氏…), titles after a
 * name (課長, 選手…), katakana names written with a middle dot (ロバート・キャロル), and hiragana
 * given names the analyser splits (佐々木ゆう|と|くん). A 人名 entry inside a compound (安田生命,
 * 熱田神宮, 藤堂隊) or a lone one-character entry (董, 清) is a place, a firm or a word, not a name.
 * Offsets are in the text the tokens came from.
 */

const KANA_GIVEN = /^[ぁ-ゖ]{2,4}$/;
const ALL_KATAKANA = /^[ァ-ヺー]+$/;
const ALL_KANJI = /^[\p{Script=Han}々]+$/u;
const STARTS_KATAKANA = /^[ァ-ヺ]/;
const KATAKANA_RUN = /^[ァ-ヺー]*/;
const NON_HUMAN_AFTER =
  /^[がはもの][^。！？!?\n]{0,8}?(?:咲[いかきくけこ]|鳴[いかきくけこ]|枯れ|実[っら]|吠え)/;
const KANA_BEFORE_HONORIFIC = /^[ぁ-ゖ]{1,4}(?=くん|ちゃん|さん|さま|君|様)/;
const KANJI_BEFORE_CHILD_HONORIFIC = /^\p{Script=Han}(?=くん|ちゃん)/u;

/** Morphological analysis of a short piece of text (the tokenizer port's `tokenize`). */
type Analyse = (text: string) => readonly Token[];

const isHonorific = (t: Token | undefined): boolean =>
  t !== undefined &&
  ((t.pos === '名詞' && t.posDetail1 === '接尾' && t.posDetail2 === '人名') ||
    HONORIFIC_WORDS.has(t.surface) ||
    KIN_HONORIFICS.has(t.surface));
const isSpace = (t: Token | undefined): boolean =>
  t !== undefined && t.pos === '記号' && t.posDetail1 === '空白' && t.surface.length <= 2;

const HONORIFIC_WORDS = new Set([
  'さん',
  'さま',
  '様',
  '氏',
  '君',
  'くん',
  'ちゃん',
  'たん',
  '殿',
  'どの',
  '先生',
  'せんせい',
  'センセ',
  'っち',
  'チャン',
  'クン',
  'サン',
]);
// Words for an elder or a sibling that a town puts after a neighbour's family name as it would an
// honorific (佐々木じいさん, 山本ばあちゃん, 武田兄ちゃん).
const KIN_HONORIFICS = new Set(
  (
    'じいさん ばあさん じいちゃん ばあちゃん じっちゃん ばっちゃん おじいちゃん おばあちゃん おじさん おばさん ' +
    'おじちゃん おばちゃん 爺さん 婆さん 兄ちゃん 姉ちゃん にいちゃん ねえちゃん'
  ).split(' '),
);
// Titles and roles that follow or precede a name without making it a compound. (Not 派: 大野派,
// 本田派 are a faction and a school named after someone, bodies like 山田電機.)
const ROLE_WORDS = new Set(
  (
    '牧師 神父 司教 枢機卿 卿 王 報道官 課長 部長 係長 社長 会長 副会長 院長 校長 園長 館長 所長 局長 市長 町長 村長 知事 議員 議長 委員 ' +
    '委員長 理事 理事長 主任 店長 店員 職員 先生 教諭 教授 准教授 博士 選手 投手 捕手 内野手 外野手 監督 ' +
    'コーチ 容疑者 被告 被告人 首相 大統領 総理 大臣 長官 氏 夫妻 一家 ら 達 たち 本人 自身 記者 作家 ' +
    '俳優 女優 歌手 画家 弁護士 医師 看護師 刑事 巡査 警部 長女 長男 次女 次男 三男 三女 妻 夫 父 母 兄 ' +
    '姉 弟 妹 息子 娘 主人公 役 宛 宛て あて 名義 代表 代表取締役 取締役 専務 常務 氏名 先輩 後輩 元 前 ' +
    '現 新 故 ライター プロデューサー ディレクター アナウンサー キャスター オーナー マネージャー DF FW MF ' +
    'GK コーチ 船長 艦長 機長 党首 総裁 総督 提督 元帥 大将 中将 少将 准将 大佐 中佐 少佐 大尉 中尉 少尉 参謀 ' +
    '司令官 将軍 皇帝 国王 女王 王子 王女 天皇 騎手 棋士 名人 横綱 大関 関脇 小結 親方 師匠 社員 代議士 ' +
    '候補 夫人 家 一族 邸 等 首席 主将 副将 団長 隊長 座長 組長 事務局長 編集長 作詞 作曲 編曲 原作 ' +
    '脚本 演出 指揮 作画 監修 め '
  )
    .trim()
    .split(' '),
);
// Place names around Rumoi that the dictionary files as surnames; the city hears them every day.
const LOCAL_PLACES = new Set([
  '留萌',
  '増毛',
  '小平',
  '苫前',
  '羽幌',
  '初山別',
  '遠別',
  '天塩',
  '幌延',
  '礼受',
  '三泊',
  '藤山',
  '幌糠',
  '峠下',
  '黄金岬',
  // Towns and districts along the Rumoi line and the coast that the dictionary also files as
  // surnames (深川の病院, 大和田の方).
  '深川',
  '大和田',
  '沼田',
  '秩父別',
  '滝川',
  '砂川',
  '天売',
  '焼尻',
  '東雲',
  // Hokkaido towns and districts the dictionary files as names; those that are also common
  // surnames (伊達, 松前, 日高, 長沼) are left out.
  '岩見沢',
  '江別',
  '士別',
  '名寄',
  '歌志内',
  '恵庭',
  '石狩',
  '当別',
  '木古内',
  '鹿部',
  '厚沢部',
  '今金',
  '島牧',
  '寿都',
  '蘭越',
  '真狩',
  '留寿都',
  '喜茂別',
  '神恵内',
  '赤井川',
  '南幌',
  '上砂川',
  '由仁',
  '浦臼',
  '雨竜',
  '剣淵',
  '遠別',
  '猿払',
  '枝幸',
  '幌延',
  '津別',
  '斜里',
  '清里',
  '置戸',
  '佐呂間',
  '滝上',
  '豊浦',
  '厚真',
  '平取',
  '新冠',
  '浦河',
  '士幌',
  '鹿追',
  '新得',
  '芽室',
  '更別',
  '幕別',
  '豊頃',
  '足寄',
  '浦幌',
  '弟子屈',
  '鶴居',
  '空知',
  '宗谷',
  '後志',
  '胆振',
  '檜山',
]);
// 北浜小, 北浜中: a school or a place, whatever the dictionary says about 北浜.
const PLACE_SUFFIX = new Set([
  '小',
  '中',
  '高',
  '大',
  '校',
  '町',
  '村',
  '市',
  '区',
  '駅',
  '港',
  '川',
  '山',
  '橋',
  '通',
  '園',
]);
const HIRAGANA = /^[ぁ-ゖ]+$/;
const NAME_CUE_BEFORE = /(?:名前は|名前が|なまえは|担当の|担当は|名義は?|氏名は?|宛名は?)\s?$/;

const NOT_GIVEN_NAME = new Set(
  (
    '城 跡 衆 池 村 町 市 区 駅 港 川 山 橋 寺 院 宮 社 堂 館 家 派 流 屋 店 組 会 党 軍 隊 線 道 丸 号 谷 湖 浦 ' +
    '郡 県 府 邸 園 殿 陣 藩 氏 門 座 劇 商 証 製 工 産 電 鉄 航 建 病 校 塾 亭 荘 閣 苑 プロ ジム'
  ).split(' '),
);
// Kanji that end most given names (愛子, 拓也, 健太郎): a common noun ending in one may still be a name.
const GIVEN_NAME_END = /[子美恵江枝乃代香奈菜也哉郎朗夫雄男介助輔彦斗翔樹輝人平吉蔵造治司次太]$/u;
const GIVEN_PIECE = /^(?:[\p{Script=Han}々]{1,3}|[ぁ-ゖ]{2,4}|[ァ-ヺー]{2,5})$/u;
const isBoundary = (t: Token | undefined): boolean =>
  t === undefined ||
  t.pos === '助詞' ||
  t.pos === '記号' ||
  t.pos === '助動詞' ||
  isHonorific(t) ||
  ROLE_WORDS.has(t.surface);

// 元, 前, 現, 故: before a title they date it (田中元首相); as a prefix the analyser cut from a word
// it does not know, they open a given name (李|元|馥).
const DATING_PREFIXES = new Set(['元', '前', '現', '新', '故']);
const prefixBeforeName = (tokens: readonly Token[], j: number): boolean => {
  const t = tokens[j] as Token;
  const next = tokens[j + 1];
  return (
    DATING_PREFIXES.has(t.surface) &&
    t.pos === '接頭詞' &&
    next !== undefined &&
    next.start === end(t) &&
    next.reading === '' &&
    !ROLE_WORDS.has(next.surface)
  );
};

/** Index of the last token of a given name starting at `k`, or k - 1 when there is none. */
const givenNameAfter = (tokens: readonly Token[], k: number, spaced: boolean): number => {
  let j = k;
  let chars = 0;
  while (j < tokens.length && j < k + 3) {
    const t = tokens[j] as Token;
    const kana = KANA_GIVEN.test(t.surface) && t.pos !== '助詞' && t.pos !== '助動詞';
    // 山田城, 甲賀衆, 宮田ジム, 中川グループ: a place or a firm named after a family.
    // 上田|くん|と: an honorific ends a name, it is never the given name.
    if (NOT_GIVEN_NAME.has(t.surface) || isHonorific(t)) break;
    // 佐々木|ハツ|さん: a katakana word after a surname is a given name only before an honorific.
    if (
      ALL_KATAKANA.test(t.surface) &&
      t.reading !== '' &&
      !isPerson(t) &&
      !isHonorific(tokens[j + 1])
    )
      break;
    // A two-kanji common noun after a surname is a title or a thing (鈴木知事, 山田電機), not a name.
    const plausible =
      kana ||
      ((isNoun(t) || t.pos === '接頭詞') &&
        (t.posDetail1 === '固有名詞' ||
          ((t.posDetail1 === '一般' ||
            t.posDetail1 === '数' ||
            t.posDetail1 === '名詞接続' ||
            t.posDetail1 === 'サ変接続' ||
            t.posDetail1 === '形容動詞語幹' ||
            (t.posDetail1 === '接尾' && j > k)) &&
            (t.surface.length === 1 ||
              spaced ||
              GIVEN_NAME_END.test(t.surface) ||
              !ALL_KANJI.test(t.surface)))) &&
        (!ROLE_WORDS.has(t.surface) || prefixBeforeName(tokens, j)) &&
        GIVEN_PIECE.test(t.surface));
    if (!plausible) break;
    if (j > k && t.start !== end(tokens[j - 1] as Token)) break;
    chars += t.surface.length;
    if (chars > 4) break;
    if (isBoundary(tokens[j + 1])) return j;
    j++;
  }
  return k - 1;
};

/**
 * 西尾|維新が, 椎名|林檎は: a given name that is also an ordinary two-kanji word, after a surname
 * the dictionary knows, as the subject of a sentence or before a mark. Index of the word, or k - 1.
 */
const wordGivenName = (tokens: readonly Token[], k: number): number => {
  const t = tokens[k];
  const surname = tokens[k - 1];
  if (t === undefined || surname === undefined) return k - 1;
  if (!(isPerson(surname) && surname.posDetail3 === '姓') || !ALL_KANJI.test(surname.surface))
    return k - 1;
  if (
    t.start !== end(surname) ||
    !isNoun(t) ||
    t.surface.length !== 2 ||
    !ALL_KANJI.test(t.surface)
  )
    return k - 1;
  const commonNoun =
    t.posDetail1 === '一般' || t.posDetail1 === 'サ変接続' || t.posDetail1 === '形容動詞語幹';
  if (!commonNoun || ROLE_WORDS.has(t.surface) || FAMILY_FIRM_HEADS.has(t.surface)) return k - 1;
  const next = tokens[k + 1];
  // 大和田|蒼空|くん: before an honorific, a child's name that is also a word.
  if (
    next === undefined ||
    next.start !== end(t) ||
    !(WORD_NAME_FOLLOWERS.has(next.surface) || isHonorific(next))
  )
    return k - 1;
  const prev = tokens[k - 2];
  const opens =
    prev === undefined ||
    end(prev) !== surname.start ||
    prev.pos === '助詞' ||
    prev.pos === '記号' ||
    prev.pos === '助動詞';
  return opens ? k : k - 1;
};
const WORD_NAME_FOLLOWERS = new Set(['は', 'が', 'も', '、', 'と']);
// What follows a family name in the name of a firm, a works, a place or an era (小林製薬, 酒田工場,
// 山田温泉, 佐藤政権): never a given name.
const FAMILY_FIRM_HEADS = new Set(
  (
    '化学 工業 工場 工務 電機 電気 電鉄 電線 鉄道 鉄工 鉄鋼 製薬 製作 製紙 製鉄 製菓 建設 建築 商事 商店 商会 物産 ' +
    '産業 興業 銀行 信託 証券 保険 生命 海上 運輸 運送 交通 自動車 汽船 海運 航空 通信 放送 新聞 出版 書店 書房 ' +
    '印刷 不動産 病院 医院 歯科 薬局 学園 学院 学校 塾 農園 農場 牧場 酒造 醸造 本舗 本店 支店 旅館 温泉 ' +
    '地区 地域 地方 町内 村内 市内 道路 街道 公園 神社 寺院 霊園 記念 財団 基金 資源 家具 食品 水産 ' +
    '政権 内閣 体制 時代 事件 問題 改革 路線 一族 家系 商標 賞 杯 文庫 研究 理論 方式 効果 定理 法則'
  ).split(' '),
);

/**
 * 池田|虎|之|進, 岡本|吾|市, 渡名喜|風|南: a given name the analyser shatters into two or three
 * one-kanji words after a surname, ending at a particle or a mark. Index of the last, or k - 1.
 */
const singlesGivenName = (tokens: readonly Token[], k: number): number => {
  const surname = tokens[k - 1];
  if (surname === undefined || !(isPerson(surname) && surname.posDetail3 === '姓')) return k - 1;
  let j = k;
  while (j < tokens.length && j < k + 3) {
    const t = tokens[j] as Token;
    const prev = tokens[j - 1] as Token;
    if (t.start !== end(prev) || t.surface.length !== 1 || !ALL_KANJI.test(t.surface)) break;
    if (!isNoun(t) || t.posDetail1 === '数' || t.posDetail1 === '固有名詞') break;
    // 笠置|水|電, 山田|寺|跡: a firm or a place named after a family.
    if (NOT_GIVEN_NAME.has(t.surface) || (j === k && PLACE_SUFFIX.has(t.surface))) return k - 1;
    j++;
  }
  if (j - k < 2) return k - 1;
  const next = tokens[j];
  const bounded =
    next === undefined ||
    next.start !== end(tokens[j - 1] as Token) ||
    next.pos === '助詞' ||
    next.pos === '記号' ||
    isHonorific(next) ||
    ROLE_WORDS.has(next.surface);
  return bounded ? j - 1 : k - 1;
};

// The last word of an office's title (外務大臣, 薬務局長, 撮影所長, 第一副議長).
const TITLE_TAILS = new Set(
  (
    '大臣 長官 次官 局長 課長 部長 室長 所長 館長 院長 議長 副議長 書記長 委員長 会長 社長 知事 総裁 総督 ' +
    '司令官 大使 公使 領事 監督 教授 理事長 事務総長 長'
  ).split(' '),
);

/**
 * 鈴木外務大臣, 荒賀薬務局長, デイビス離脱大臣: whether the words glued after token `j` (a family
 * name) are the field and the last word of an office's title, which makes the name its holder
 * rather than the head of a compound. A firm's, a town's or a school's words right after the name
 * (山田電機社長, 佐賀県知事) make it a name of that body instead.
 */
const titledAfter = (tokens: readonly Token[], j: number): boolean => {
  for (let k = j + 1; k < tokens.length && k <= j + 5; k++) {
    const t = tokens[k] as Token;
    if (t.start !== end(tokens[k - 1] as Token)) return false;
    if (k > j + 1 && TITLE_TAILS.has(t.surface) && (t.surface !== '長' || k > j + 2)) return true;
    if (!isNoun(t) && t.pos !== '接頭詞') return false;
    if (
      k === j + 1 &&
      (t.posDetail1 === '接尾' ||
        t.posDetail2 === '地域' ||
        FAMILY_FIRM_HEADS.has(t.surface) ||
        PLACE_SUFFIX.has(t.surface) ||
        FIRM_AFTER.has(t.surface))
    )
      return false;
  }
  return false;
};

/**
 * Start of an unknown surname of one to three kanji ending just before token `k` (the token before a
 * given name), when a sentence boundary precedes it; undefined when there is none.
 */
const surnameBefore = (tokens: readonly Token[], k: number): number | undefined => {
  let j = k;
  let chars = 0;
  while (j >= 0 && j > k - 2) {
    const t = tokens[j] as Token;
    const ok =
      isNoun(t) &&
      !isPerson(t) &&
      t.posDetail1 !== '数' &&
      t.posDetail1 !== 'サ変接続' &&
      t.posDetail1 !== '接尾' &&
      ALL_KANJI.test(t.surface) &&
      !(t.posDetail1 === '一般' && t.surface.length >= 2 && t.reading !== '') &&
      !ROLE_WORDS.has(t.surface);
    if (!ok) return undefined;
    chars += t.surface.length;
    if (chars > 3) return undefined;
    const before = tokens[j - 1];
    if (
      before === undefined ||
      end(before) !== t.start ||
      before.pos === '助詞' ||
      before.pos === '記号' ||
      before.pos === '助動詞'
    )
      return t.start;
    j--;
  }
  return undefined;
};

// The most common Japanese surnames: a known surname followed by a plausible given name is a name
// even where the dictionary reads it as a place or a firm (清水, 橋本, 松本…).
const COMMON_SURNAMES = new Set(
  (
    '佐藤 鈴木 高橋 田中 伊藤 渡辺 渡部 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 池田 橋本 阿部 石川 ' +
    '山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 ' +
    '中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口 今井 工藤 高田 増田 ' +
    '丸山 杉山 村田 大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎 菅原 木下 久保 佐野 野村 松尾 菊地 菊池 市川 杉本 古川 ' +
    '大西 島田 水野 桜井 高野 渡邉 渡邊 吉川 山内 西田 飯田 菅野 西川 小松 北村 安田 五十嵐 川口 平田 関 中田 久保田 服部 東 岩田 ' +
    '土屋 川崎 福島 本田 辻 樋口 秋山 田口 永井 山中 中西 吉村 川上 石原 大橋 松岡 馬場 浜田 森本 星野 矢野 浅野 大久保 松下 吉岡 小池 ' +
    '野崎 荒木 大谷 内藤 松浦 熊谷 黒田 尾崎 永田 川村 望月 田辺 松村 荒井 堀 大島 平井 早川 菅 栗原 西山 広瀬 横田 石橋 萩原 岩本 片山 ' +
    '関口 宮田 大石 高山 本間 吉野 須藤 岡崎 小田 伊東 鎌田 上原 篠原 小西 松原 福井 古賀 大森 成田 南 奥村 内山 沢田 川島 桑原 三宅 ' +
    '片岡 富田 杉浦 岡 八木 奥田 小沢 松永 北川 関根 河合 平山 牧野 白石 今村 寺田 青山 中尾 小倉 渋谷 上村 小野寺 大山 足立 岡村 坂口 ' +
    '天野 多田 佐久間 根本 豊田 田島 飯塚 角田 村井 武藤 西 亀井 中嶋 小泉'
  ).split(' '),
);

// Katakana words joined by a middle dot or '=': how Japanese writes foreign names (ロバート・キャロル,
// ル=グウィン), but also teams, firms and titles (ニューヨーク・ヤンキース, ホテル・エデン).
// Middle initials (アーサー・H・グルーム, ウイリアム・J・ロビンソン) count as pieces.
const DOTTED =
  /[ァ-ヺー]{2,12}(?:[・=＝･·](?:[ァ-ヺー]{1,12}|[A-Z]\.?)){0,4}[・=＝･·][ァ-ヺー]{1,12}/y;
const INITIAL = /^[A-Z]\.?$/;
const JOINERS = /[・=＝･·]/;

// Katakana words that make a dotted phrase a team, firm, event or title rather than a person.
const ORG_WORDS = new Set(
  (
    'ホテル リーグ レコード レコーズ レコーディングス グループ カレッジ ユニバーシティ カンパニー コーポレーション ' +
    'ホールディングス ホールディング エンタテインメント エンターテインメント インターナショナル ソフトウェア ゲームズ ' +
    'スタジオ スタジオズ プロダクション プロダクションズ ミュージック アワード アワーズ フェスティバル ワールドカップ ' +
    'カップ シリーズ ドラマ アルバム シングル ツアー ライブ ラグビー サッカー ゴルフ テニス レーシング モーター ' +
    'モーターズ タイムズ ジャーナル ニュース テレビ テレビジョン ラジオ ネットワーク システム システムズ サービス ' +
    'トラベル エアライン エアラインズ エアウェイズ レールロード レールウェイ パーク センター ハーバー ダム ブリッジ ' +
    'ストリート アベニュー スクエア タワー ビル ステーション キャンプ クラブ チーム ユナイテッド シティ アカデミー ' +
    'スクール インスティチュート ファウンデーション ソサエティ アソシエーション コミッティー カンファレンス ' +
    'エナジー オイル メディア アニメーション エンジン ゲーム カントリー プレート ストーリー ショー ショップ ' +
    'マーケット ファーム リミテッド インク ブランド プロジェクト プログラム アート デザイン ラボ テクノロジー ' +
    'テクノロジーズ ワークス ワークショップ パートナーズ キャピタル インベストメンツ バンク ファンド オーケストラ ' +
    'バンド ボーイズ ガールズ ブラザーズ シスターズ ファミリー レース グランプリ マラソン オープン トロフィー ' +
    'スタジアム アリーナ ホール ガーデン ビーチ アイランド マウンテン リバー レイク ベイ ポート ハウス パレス ' +
    'キャッスル チャーチ テンプル ミュージアム ギャラリー ライブラリー ホスピタル スパーズ ロイヤルズ ' +
    'ロケッツ ウォリアーズ レイカーズ ピストルズ ピクチャーズ コネクションズ ディビシオン プリメーラ ' +
    'スタディオ オリンピコ オリンピック クルーベ エアクラフト エアプレイン ビルディング サーキット フォト ' +
    'トレインズ エンタープライズ ホールディングズ ソング アソシエーツ ヘルス ケア メディカル ファーマ ザ オブ ' +
    'アンド エンド イン トゥ ア ドラッグ マート ストア モール クリニック ファーマシー スーパー ベーカリー ' +
    'サロン マーケット'
  ).split(' '),
);

// Words of social media and of city services that postdate the dictionary (IPADIC reads them as
// unknown proper nouns).
const SNS_WORDS = new Set(
  (
    'メアド スマホ インスタ インスタグラム フォロワー フォロワーさん フォロー フォロバ リール ストーリーズ ハッシュタグ アカウント ' +
    'プロフ プロフィール アプリ ダウンロード インストール ログイン リンク ツイッター ツイート リツイート ユーチューブ ' +
    'ユーチューバー インフルエンサー ティックトック フェイスブック ライン メルカリ ペイペイ ズーム スクショ アイコン ' +
    'コスパ タイパ エモ バズ ネット ギフト キャンペーン プレゼント クーポン ポイント ユーザー スタッフ ママ パパ ' +
    'ジジババ ババア ジジイ オヤジ コイツ ソイツ アイツ ドイツ ヤツ アンタ アタシ オレ オマエ キミ ボク ワタシ オタク ゲーマー ヤバ ガチ マジ ワロタ イベント グルメ スイーツ カフェ ランチ ディナー ' +
    'ケアマネ ケアマネジャー ケアマネージャー マイナンバー マイナカード マイナポイント マイナポータル'
  ).split(' '),
);
// Chains every Hokkaido town has, which the analyser may file as a person (ローソン). Alone they
// are the shop; in a dotted name (ジョン・ローソン) or with an honorific they stay a person.
const CHAIN_STORES = new Set(
  (
    'ローソン セイコーマート セコマ セブンイレブン ファミリーマート ファミマ ミニストップ サツドラ ツルハ ' +
    'イオン マックスバリュ ダイソー ニトリ ユニクロ スタバ ホーマック'
  ).split(' '),
);
// ツルハドラッグ, ネイルサロン: a shop or a firm named by what it is.
// (Not ハウス or ホール: surnames end in them, ステンハウス.)
const THING_SUFFIXES = (
  'ドラッグ マート ストア モール クリニック ファーマシー スーパー ベーカリー サロン マーケット ショップ ' +
  'センター ホテル カフェ レストラン グループ ホールディングス'
).split(' ');
const endsInThingWord = (surface: string): boolean =>
  THING_SUFFIXES.some((w) => surface.length > w.length && surface.endsWith(w));
// Animals, fish and plants are written in katakana, and a city's comments speak of them often
// (エゾシカが出た, オジロワシを見た): the dictionary lacks most Hokkaido species. エゾ (蝦夷) opens
// a species name, and these tails close one; none of them ends a person's name (unlike リス,
// マス or シカ: モリス, トーマス, ジェシカ).
const NATURE_TAILS = (
  'ワシ アザラシ ザケ ガニ ダコ サギ グマ ライチョウ エナガ ザクラ キツネ タヌキ モモンガ フクロウ ' +
  'ウサギ エンゴク ダンプ'
).split(' ');
const NATURE_WORDS = new Set(
  'カズノコ スズラン カラフトマス サクラマス ヒメマス アメマス'.split(' '),
);
const isNatureWord = (surface: string): boolean =>
  NATURE_WORDS.has(surface) ||
  (surface.startsWith('エゾ') && surface.length > 3) ||
  NATURE_TAILS.some((w) => surface.length >= w.length + 2 && surface.endsWith(w));
const FOREIGN_WORD = /^[ァ-ヺ][ァ-ヺー]{2,6}$/;
// Particles after which a lone foreign word reads as a person: subject, object, possessive, "and".
const NAME_PARTICLES = new Set([
  'は',
  'が',
  'の',
  'と',
  'も',
  'を',
  'に',
  'や',
  'ら',
  'から',
  'について',
  'による',
  'によって',
  'へ',
  'など',
]);

const SUBJECT_PARTICLES = new Set(['は', 'が', 'も']);
// Nouns that say what a person does or is to someone, glued after a dotted name without making
// it a compound (マーク・ハント相手に, ルイ・デュポン不在の間, ジャン・ロワ自身).
const PERSON_NOUNS_AFTER = new Set(
  '相手 不在 自身 本人 自ら 夫人 夫妻 一家 死去 没後 生前 引退 在任 就任 退任 主演 監修 作詞 作曲'.split(
    ' ',
  ),
);
// グレンフォード姓: the word for a family name after one.
const PEOPLE_AFTER = new Set([
  '両人',
  '兄弟',
  '姉妹',
  '夫妻',
  '本人',
  '一家',
  '亡き後',
  '氏',
  '姓',
]);
const SIBLINGS = new Set(['兄弟', '姉妹']);
const ROLE_FOLLOWERS = new Set(['本人', '一家']);
const COMPANION_PARTICLES = new Set(['と共に', 'とともに']);

const OBJECT_PARTICLES = new Set(['の', 'と', 'に', 'を', 'から', 'によって', 'より', 'や']);
const PERSON_CONTEXT =
  /彼|彼女|生まれ|死去|死後|亡くな|就任|妻|夫人|息子|娘|兄|弟|姉|妹|父|母|結婚|語[っりる]|主演|出演|地主|述べ|率い|引退|出身|辞任|暗殺|即位|指名|監督|選手|俳優|歌手|作家|大統領|首相|国王|皇帝|将軍|司令官|氏|逮捕|処刑|亡命|秘書|両親|議長|知事|大臣|大使|外相|長官|書記長|伯爵|博士|教授|作曲家|画家|詩人|著書|自伝|師事|弟子|在任|任命|後任|前任/;

// Words of trade, firms and teams (measured on the Wikipedia set: a lone unknown katakana word in
// such a text, with no word about a person, is a firm, a brand or a club three times in four).
const BUSINESS_CONTEXT =
  /会社|株式|販売|製造|生産|発売|設立|事業|ブランド|店舗|上場|買収|出資|レーベル|運営|チーム|シーズン|クラブ|ホテル|製品|商品|メーカー/u;

/**
 * Whether `t` (a token, or a katakana run the analyser split) is an unknown katakana word standing
 * alone where a person's name stands; `prev`, `next` and `owner` are the tokens around it.
 */
const isLoneForeignWord = (
  t: Token,
  // `tokens` and `last` (the word's last token) let the office-title test run only when needed; a
  // callback here would be a closure per token of every comment.
  around: { prev?: Token; next?: Token; owner?: Token; tokens?: readonly Token[]; last?: number },
  analyse: Analyse | undefined,
  personContext = false,
): boolean => {
  if (!isNoun(t) || isPerson(t) || !FOREIGN_WORD.test(t.surface) || ROLE_WORDS.has(t.surface))
    return false;
  // Known loanwords (プラント, ヤング) are words first; only unknown ones and given names qualify.
  // マイク, ポール, フランク: a given name the dictionary knows as an everyday word stays a word
  // when it stands alone.
  const givenName =
    WESTERN_GIVEN_NAMES.has(t.surface) && (t.reading === '' || t.posDetail1 === '固有名詞');
  // グラント, モロゾフ: a proper noun the dictionary files as neither a place nor a body.
  const properOther = t.posDetail1 === '固有名詞' && t.posDetail2 === '一般';
  const { prev, next, owner } = around;
  // パーク両人, バンナー亡き後, ショー夫妻: what only people are, right after even a known word.
  // グレンフォード3兄弟: siblings counted after their family name.
  const countedSiblings =
    next !== undefined &&
    next.posDetail1 === '数' &&
    owner !== undefined &&
    owner.start === end(next) &&
    SIBLINGS.has(owner.surface);
  const personAfter =
    next !== undefined &&
    next.start === end(t) &&
    (PEOPLE_AFTER.has(next.surface) || countedSiblings);
  // ヘルパー本人, スタッフ一家: a known word for a trade or a role before 本人 or 一家 stays a word.
  const familyAfter = personAfter && !ROLE_FOLLOWERS.has((next as Token).surface);
  if (
    (t.reading !== '' && !givenName && !properOther && !familyAfter) ||
    ORG_WORDS.has(t.surface) ||
    SNS_WORDS.has(t.surface) ||
    CHAIN_STORES.has(t.surface) ||
    endsInThingWord(t.surface) ||
    isNatureWord(t.surface)
  )
    return false;
  if (prev !== undefined && end(prev) === t.start && (isNoun(prev) || prev.pos === '接頭詞'))
    return false;
  if (next === undefined || next.start !== end(t)) return false;
  if (isHonorific(next) || ROLE_WORDS.has(next.surface) || personAfter) return true;
  // チェルコーフKGB第一副議長: the field and the last word of an office after the name.
  if (isNoun(next) && around.tokens !== undefined && titledAfter(around.tokens, around.last ?? -1))
    return true;
  // Only as a subject does a lone unknown word read as a person often enough (measured on Wikipedia).
  if (next.pos !== '助詞') return false;
  // Other particles only where the sentence speaks of people (彼, 生まれ, 就任, 妻…), or where
  // what follows belongs to a person (ヒムラーの命令, アイスナーの死, ウォルターズの自伝).
  const ownedByPerson =
    next.surface === 'の' && owner !== undefined && PERSON_HEADS.has(owner.surface);
  // と共に: "together with" someone.
  if (
    !SUBJECT_PARTICLES.has(next.surface) &&
    !((personContext || givenName) && OBJECT_PARTICLES.has(next.surface)) &&
    !ownedByPerson &&
    !COMPANION_PARTICLES.has(next.surface)
  )
    return false;
  // ファルサルスの戦い, ラツィオに在籍, ナミュールを包囲: what follows makes it a place or a team.
  if (owner !== undefined && owner.start === end(next) && PLACE_HEADS.has(owner.surface))
    return false;
  if (givenName || analyse === undefined) return true;
  if (t.reading !== '') return SUBJECT_PARTICLES.has(next.surface);
  // ヴァージョン, ヴォーカル: a loanword spelt with ヴ that the dictionary knows with バ, ボ….
  if (t.surface.includes('ヴ') && pieceKind(withoutVu(t.surface), analyse) === 'common')
    return false;
  // A compound of known words (ガスタービン|エンジン) is a thing, not a name.
  return pieceKind(t.surface, analyse) === 'unknown';
};

const VU = new Map([
  ['ヴァ', 'バ'],
  ['ヴィ', 'ビ'],
  ['ヴェ', 'ベ'],
  ['ヴォ', 'ボ'],
  ['ヴ', 'ブ'],
]);
const VU_SYLLABLE = /ヴ[ァィェォ]?/g;
const withoutVu = (surface: string): string =>
  surface.replace(VU_SYLLABLE, (syllable) => VU.get(syllable) ?? 'ブ');

// Words that, after X の / に / を, make X a place, a team or a firm rather than a person.
const PLACE_HEADS = new Set(
  (
    '戦い 合戦 会戦 包囲 攻撃 攻略 占領 陥落 略奪 戦闘 教会 大聖堂 修道院 司教区 選手 町 市 村 港 駅 空港 ' +
    '大学 会社 工場 本社 支店 店舗 製品 株式 首都 州 郊外 近郊 南部 北部 東部 西部 中心部 住民 市長 知事 ' +
    '領主 城 宮殿 在籍 移籍 入団 設立 拠点 上陸 到着 移住 遷都 加盟 対岸 沖 ホーム スタジアム ファン ' +
    'チーム クラブ ブランド 商品 監督 会長 社長'
  ).split(' '),
);

const KATAKANA_CHAR = /[ァ-ヺー・=＝･·]/;

/**
 * Two or three adjacent katakana tokens that make up a whole katakana word of the text (nothing
 * katakana on either side), merged into one unknown word; undefined when token `i` starts none.
 */
const katakanaRun = (
  text: string,
  tokens: readonly Token[],
  i: number,
): { token: Token; after: number } | undefined => {
  const t = tokens[i] as Token;
  if (!ALL_KATAKANA.test(t.surface) || KATAKANA_CHAR.test(text[t.start - 1] ?? ''))
    return undefined;
  let j = i + 1;
  while (j < tokens.length && j < i + 3) {
    const k = tokens[j] as Token;
    if (k.start !== end(tokens[j - 1] as Token) || !ALL_KATAKANA.test(k.surface)) break;
    if (k.pos !== '名詞' && k.pos !== '動詞') return undefined;
    j++;
  }
  if (j === i + 1 || (t.pos !== '名詞' && t.pos !== '動詞')) return undefined;
  // ホーム|ドア, テレビ|ドラマ: ordinary loanwords in a row make a compound; a name has a piece the
  // dictionary files as a proper noun or does not know (ロー|ウェット, テル|フォード).
  const pieces = tokens.slice(i, j);
  if (!pieces.some((k) => k.posDetail1 === '固有名詞' || k.reading === '')) return undefined;
  const stop = end(tokens[j - 1] as Token);
  if (KATAKANA_CHAR.test(text[stop] ?? '')) return undefined;
  const surface = text.slice(t.start, stop);
  return {
    token: {
      ...t,
      surface,
      pos: '名詞',
      posDetail1: '一般',
      posDetail2: '*',
      posDetail3: '*',
      basicForm: surface,
      reading: '',
    },
    after: j,
  };
};

// Words for a person that introduce a name right after them (作者の…, 長女…, 主人公・…).
const INTRODUCERS = new Set(
  (
    '作者 原作者 著者 作家 小説家 脚本家 漫画家 画家 詩人 歌人 俳人 作曲家 作詞家 写真家 建築家 俳優 女優 声優 歌手 ' +
    '監督 選手 投手 主人公 父 母 妻 夫 息子 娘 兄 弟 姉 妹 長女 次女 三女 四女 長男 次男 三男 四男 祖父 祖母 孫 ' +
    '社長 会長 首相 大統領 国王 皇帝 将軍 記者 司会 司会者 アナウンサー 弟子 師匠 恋人 友人 親友 担当 ' +
    '容疑者 被告 被害者 ライター プロデューサー ディレクター コーチ 同僚 部下 上司 先輩 後輩'
  ).split(' '),
);

/**
 * Index after a name introduced by a role word at token `i` (the role word, optionally の or ・,
 * then one or two proper nouns or unknown words of at most five characters ending at a particle),
 * or `i` when there is none.
 */
const introducedName = (tokens: readonly Token[], i: number): number => {
  const t = tokens[i] as Token;
  const role = tokens[i - 1];
  const joiner =
    role !== undefined && (role.surface === 'の' || role.surface === '・') ? role : undefined;
  const word = joiner !== undefined ? tokens[i - 2] : role;
  if (word === undefined || !INTRODUCERS.has(word.surface)) return i;
  if (joiner === undefined && end(word) !== t.start) return i;
  let j = i;
  let chars = 0;
  while (j < tokens.length && j < i + 2) {
    const k = tokens[j] as Token;
    const properOrUnknown = k.posDetail1 === '固有名詞' || k.reading === '' || isPerson(k);
    if (!isNoun(k) || !properOrUnknown || SNS_WORDS.has(k.surface) || ORG_WORDS.has(k.surface))
      break;
    if (j > i && k.start !== end(tokens[j - 1] as Token)) break;
    chars += k.surface.length;
    // A foreign name runs longer than a Japanese one (社長ヴェンディーチェの).
    if (chars > (ALL_KATAKANA.test(k.surface) ? 12 : 5)) return i;
    j++;
  }
  if (j === i) return i;
  const next = tokens[j];
  return next !== undefined && next.pos === '助詞' && NAME_PARTICLES.has(next.surface) ? j : i;
};

type PieceKind = 'person' | 'unknown' | 'place_or_org' | 'common';

const pieceKind = (piece: string, analyse: Analyse, orgCounts = true): PieceKind => {
  const toks = analyse(piece);
  // Unknown words come out as 組織 too: only a dictionary entry says "place or firm".
  // A place inside a split piece (ロメ|ロ) says nothing: only a whole-piece entry does.
  if (
    toks.length === 1 &&
    toks.some(
      (t) =>
        t.reading !== '' && (t.posDetail2 === '地域' || (orgCounts && t.posDetail2 === '組織')),
    )
  )
    return 'place_or_org';
  if (toks.length === 1) {
    const t = toks[0] as Token;
    if (isPerson(t)) return 'person';
    return t.reading === '' ? 'unknown' : 'common';
  }
  // Split by the analyser into known fragments: a rare word, most often a name.
  return toks.every((t) => t.reading !== '' && t.surface.length >= 3) ? 'common' : 'unknown';
};

/** A dotted katakana name at `start`, judged piece by piece; the end offset or undefined. */
const dottedName = (
  text: string,
  start: number,
  analyse: Analyse,
): { end: number; score: number; firm?: boolean } | undefined => {
  DOTTED.lastIndex = start;
  const m = DOTTED.exec(text);
  if (m === null) return undefined;
  const stop = start + m[0].length;
  const pieces = m[0].split(JOINERS);
  // ビル・ロマス, オスカー・ピストリウス: a common given name first, whatever the dictionary says.
  const knownGiven = WESTERN_GIVEN_NAMES.has(pieces[0] as string);
  if (
    pieces.some(
      (piece, n) => (n > 0 || !knownGiven) && (ORG_WORDS.has(piece) || SNS_WORDS.has(piece)),
    ) ||
    titleOrTeam(text, start, stop) ||
    // マーザ・アニメーション|プラネット, チーム|シャフタール: a piece built on a word for a body.
    pieces.some((piece) => piece.length >= 6 && holdsOrgWord(piece, analyse))
  )
    return { end: stop, score: 0, firm: true };
  // ゲルハルト・リヒター: the dictionary files many surnames as firms; a firm's name comes first.
  const kinds = pieces.map((piece, n) =>
    INITIAL.test(piece) || (n === 0 && knownGiven) ? 'person' : pieceKind(piece, analyse, n === 0),
  );
  const count = (k: PieceKind): number => kinds.filter((x) => x === k).length;
  // ジョージ・ワシントン: a known given name first outweighs a place or firm after it.
  const givenFirst = kinds[0] === 'person' && (pieces.length === 2 || knownGiven);
  if ((count('place_or_org') > 0 && !givenFirst) || (count('common') > 1 && count('person') === 0))
    return undefined;
  return { end: stop, score: count('person') > 0 ? 0.7 : 0.6 };
};

// 「スター・ウォーズ」, 「グレイトフル・デッド」: a dotted phrase that fills a quotation is a title
// (a work, a band, a brand); a person's name is quoted far less often than written bare.
const QUOTE_PAIRS = new Map([
  ['「', '」'],
  ['『', '』'],
  ['"', '"'],
  ['“', '”'],
]);
// CRヴァスコ・ダ・ガマ, AAポンチ・プレッタ: a club's Latin initials glued before it (FW, GK are
// playing positions, written before a player).
const LATIN_BEFORE = /[A-Z]{2,4}$/;
// 株式会社ホワイト・ラビット, ロック・バンド、ブラック・ガーデン, 政党・グリーン・リーフ: a word for
// a firm, a band or a party right before the phrase names what it is.
const BODY_BEFORE =
  /(?:会社|バンド|ユニット|グループ|政党|合唱団|劇団|楽団|レーベル|メーカー|ブランド)[・、]?$/u;
const titleOrTeam = (text: string, start: number, stop: number): boolean => {
  const close = QUOTE_PAIRS.get(text[start - 1] ?? '');
  if (close !== undefined && text[stop] === close) return true;
  if (BODY_BEFORE.test(text.slice(Math.max(0, start - 6), start))) return true;
  const latin = LATIN_BEFORE.exec(text.slice(Math.max(0, start - 4), start))?.[0];
  return latin !== undefined && !ROLE_WORDS.has(latin);
};
// Words for places that also end English surnames (ロング|ストリート, ストーン|ハウス).
const SURNAME_TAILS = new Set(
  'ストリート ブリッジ パーク ハウス キャッスル ホール ガーデン ベイ ポート レイク リバー ビーチ マウンテン'.split(
    ' ',
  ),
);
const holdsOrgWord = (piece: string, analyse: Analyse): boolean => {
  const toks = analyse(piece);
  return (
    toks.length > 1 &&
    toks.some(
      (t) => t.surface.length >= 3 && ORG_WORDS.has(t.surface) && !SURNAME_TAILS.has(t.surface),
    )
  );
};

/**
 * A hiragana word touching a name on one side: the name may be a piece of a longer hiragana word.
 * A particle may touch a name on either side, an auxiliary only after it (ゆかりだ).
 */
const gluedKana = (u: Token | undefined, touching: boolean, after: boolean): boolean =>
  u !== undefined &&
  touching &&
  HIRAGANA.test(u.surface) &&
  u.pos !== '助詞' &&
  !(after && u.pos === '助動詞');

/** The same piece analysed once per text: a text that repeats a name must not repeat the work. */
const memoised = (analyse: Analyse | undefined): Analyse | undefined => {
  if (analyse === undefined) return undefined;
  const seen = new Map<string, readonly Token[]>();
  return (piece) => {
    let toks = seen.get(piece);
    if (toks === undefined) {
      toks = analyse(piece);
      seen.set(piece, toks);
    }
    return toks;
  };
};

/**
 * Person names in `text`. In a comment, only those with private-person evidence
 * (names-privacy.ts); `comment.structured` says whether other personal data was found beside.
 */
const findNames = (
  text: string,
  tokens: readonly Token[],
  analyseText?: Analyse,
  comment: { readonly structured: boolean } = { structured: false },
): Candidate[] => {
  const analyse = memoised(analyseText);
  const out: Candidate[] = [];
  const personContext = PERSON_CONTEXT.test(text);
  const businessOnly = !personContext && BUSINESS_CONTEXT.test(text);
  const katakanaOnly = KATAKANA_ONLY_TEXT.test(text);
  const commentLike = isCommentLike(text);
  const isPublicOrForeign = publicOrForeignTest(text, commentLike);
  const isPrivate = privatePersonTest(text, tokens, {
    structured: comment.structured,
    commentLike,
    isKnownSurname: LEXICON.isKnownSurname,
  });
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === undefined) break;
    if (analyse !== undefined && STARTS_KATAKANA.test(t.surface)) {
      const dotted = dottedName(text, t.start, analyse);
      if (dotted !== undefined) {
        let k = i;
        while (k < tokens.length && end(tokens[k] as Token) <= dotted.end) k++;
        // ジョンソン・エンド・ジョンソン, ナンシー・ロペス・ゴルフ: a firm named after people holds
        // no name of its own.
        if (dotted.firm === true) {
          i = Math.max(k, i + 1);
          continue;
        }
        const next = tokens[k];
        const adjacentNext = next !== undefined && next.start === dotted.end;
        const honorific = adjacentNext && isHonorific(next);
        // ジョン・レノンはじめ, …ら: an adverbial noun after a name is not a compound.
        const compound =
          adjacentNext &&
          isNoun(next) &&
          next.posDetail1 !== '副詞可能' &&
          !honorific &&
          !ROLE_WORDS.has(next.surface) &&
          !TITLE_TAILS.has(next.surface) &&
          !PERSON_NOUNS_AFTER.has(next.surface);
        // ベルモント・ヒルの戦い: a place or a team owns what follows (PLACE_HEADS).
        const owned = tokens[k + 1];
        const placeAfter =
          adjacentNext &&
          next.surface === 'の' &&
          owned !== undefined &&
          owned.start === end(next) &&
          PLACE_HEADS.has(owned.surface);
        if (!compound && !placeAfter)
          out.push(
            nameCandidate(
              t.start,
              dotted.end,
              honorific ? 0.85 : dotted.score,
              'pii.person_name.katakana_dotted',
            ),
          );
        i = Math.max(k, i + 1);
        continue;
      }
    }
    // A katakana word the dictionary does not know, standing alone as the subject or object of a
    // sentence (ダウドが…, カエサルの…): most often a foreign name. Weak on its own.
    // ハリ|マン, テル(名)|フォード(組織): a foreign name the analyser cut into known fragments.
    const run = analyse !== undefined ? katakanaRun(text, tokens, i) : undefined;
    const word = run?.token ?? t;
    const runEnd = run?.after ?? i + 1;
    if (
      isLoneForeignWord(
        word,
        {
          prev: tokens[i - 1],
          next: tokens[runEnd],
          owner: tokens[runEnd + 1],
          tokens,
          last: runEnd - 1,
        },
        analyse,
        personContext,
      )
    ) {
      const next = tokens[runEnd];
      const honorific = isHonorific(next) && next?.start === end(word);
      // ルピナスがきれいに咲いて: what blooms, cries or withers is a plant or an animal.
      // レンフェが運営し, グレッチは…販売員: where the text speaks of trade and of no person, a
      // lone unknown word is a firm, a team or a brand.
      if (
        !honorific &&
        (NON_HUMAN_AFTER.test(text.slice(end(word), end(word) + 12)) || businessOnly)
      ) {
        i = runEnd;
        continue;
      }
      out.push(
        nameCandidate(
          word.start,
          end(word),
          honorific ? 0.8 : 0.55,
          honorific ? 'pii.person_name.honorific' : 'pii.person_name.foreign',
        ),
      );
      i = runEnd;
      continue;
    }
    // 作者の伏見は, 長女さつきは, 主人公・すみれを: a word for a person's role right before a proper
    // noun the dictionary does not file as a name.
    const introduced = introducedName(tokens, i);
    if (introduced > i) {
      const last = tokens[introduced - 1] as Token;
      out.push(nameCandidate(t.start, end(last), 0.7, 'pii.person_name.role_context'));
      i = introduced;
      continue;
    }
    const honorificOnly =
      !isPerson(t) &&
      isNoun(t) &&
      t.posDetail1 === '固有名詞' &&
      !SNS_WORDS.has(t.surface) &&
      isHonorific(tokens[i + 1]) &&
      tokens[i + 1]?.start === end(t);
    // 橋本(地域) 修(名), 清水(組織)…: a common surname the dictionary files under another heading.
    const afterSpace = isSpace(tokens[i + 1]) ? tokens[i + 2] : undefined;
    const knownSurname =
      !isPerson(t) &&
      isNoun(t) &&
      t.posDetail1 === '固有名詞' &&
      (COMMON_SURNAMES.has(t.surface) ||
        (afterSpace !== undefined && isPerson(afterSpace) && afterSpace.posDetail3 === '名'));
    if (!isPerson(t) && !honorificOnly && !knownSurname) {
      i++;
      continue;
    }
    let j = i;
    let last = t;
    let surname = t.posDetail3 === '姓' || knownSurname;
    let given = t.posDetail3 === '名';
    // Surname, optional space, given name (and katakana names split by the analyser: ワタナベ タケシ).
    for (;;) {
      const next = tokens[j + 1];
      const gap = isSpace(next) ? 2 : 1;
      const candidate = tokens[j + gap];
      if (candidate === undefined || (gap === 1 && candidate.start !== end(last))) break;
      if (isPerson(candidate) && (gap === 1 || candidate.posDetail3 !== '姓' || surname)) {
        j += gap;
        last = candidate;
        given ||=
          candidate.posDetail3 === '名' || (surname && candidate.posDetail3 === '姓' && gap === 2);
        surname ||= candidate.posDetail3 === '姓';
        continue;
      }
      // After a surname the analyser often misreads the given name (陽|菜, 太郎 as a place, さくら as
      // a flower): take up to three kanji or four kana that end at a particle, bracket or honorific.
      if (surname && !given) {
        const given_ = givenNameAfter(tokens, j + gap, gap === 2);
        const singles =
          given_ > j + gap - 1 || gap === 2 ? given_ : singlesGivenName(tokens, j + gap);
        const taken = singles > j + gap - 1 || gap === 2 ? singles : wordGivenName(tokens, j + gap);
        if (taken > j + gap - 1) {
          j = taken;
          last = tokens[j] as Token;
          given = true;
          continue;
        }
      }
      break;
    }
    let nameEnd = end(last);
    // 高橋まさ|と|に, 近藤あや|か|、: the analyser cut a hiragana given name one character short;
    // 佐藤|陽|菜|は: or a one-kanji given name, before a common one-kanji noun.
    const after = tokens[j + 1];
    const kanjiTail =
      surname &&
      last.posDetail3 === '名' &&
      last.surface.length === 1 &&
      ALL_KANJI.test(last.surface) &&
      after !== undefined &&
      ALL_KANJI.test(after.surface) &&
      isNoun(after) &&
      after.posDetail1 === '一般' &&
      !NOT_GIVEN_NAME.has(after.surface) &&
      !PLACE_SUFFIX.has(after.surface) &&
      !ROLE_WORDS.has(after.surface);
    // 藤田ひろし|だ|けど: an auxiliary after a whole given name is not its last character.
    if (
      (HIRAGANA.test(last.surface) || kanjiTail) &&
      after !== undefined &&
      after.start === nameEnd &&
      after.surface.length === 1 &&
      after.pos !== '助動詞' &&
      (HIRAGANA.test(after.surface) || kanjiTail)
    ) {
      const following = tokens[j + 2];
      if (
        following === undefined ||
        following.pos === '助詞' ||
        following.pos === '記号' ||
        isHonorific(following)
      ) {
        j++;
        nameEnd = end(after);
      }
    }
    // 佐藤ユウ|キ, 田中アキ|ラ: a katakana given name the analyser ends too soon; the rest of the
    // katakana run is the name's.
    if (surname && given && ALL_KATAKANA.test(last.surface)) {
      const rest = KATAKANA_RUN.exec(text.slice(nameEnd, nameEnd + 6))?.[0] ?? '';
      if (
        rest.length > 0 &&
        last.surface.length + rest.length <= 6 &&
        !KATAKANA_CHAR.test(text[nameEnd + rest.length] ?? '')
      )
        nameEnd += rest.length;
    }
    // 佐々木ゆう|とく|ん: read a hiragana given name up to an honorific straight from the text.
    const rest = KANA_BEFORE_HONORIFIC.exec(text.slice(nameEnd, nameEnd + 8));
    // 斉藤|のおばあ|ちゃん: a particle or a family word is not part of a given name.
    if (
      rest !== null &&
      (HIRAGANA.test(last.surface) || (surname && !given)) &&
      !KIN_IN_KANA.test(rest[0])
    )
      nameEnd += rest[0].length;
    // 木下陽|向く|ん: the last kanji of a given name read into a verb with the honorific after it.
    else if (surname && given && ALL_KANJI.test(last.surface)) {
      const glued = KANJI_BEFORE_CHILD_HONORIFIC.exec(text.slice(nameEnd, nameEnd + 4));
      if (glued !== null) nameEnd += glued[0].length;
    }
    while (j + 1 < tokens.length && (tokens[j + 1]?.start ?? 0) < nameEnd) j++;

    const next = tokens[j + 1];
    const prev = tokens[i - 1];
    const surface = text.slice(t.start, nameEnd);
    const single = i === j;
    const honorific = isHonorific(next) && next?.start === nameEnd;
    const role = next !== undefined && next.start === nameEnd && ROLE_WORDS.has(next.surface);
    const cue = NAME_CUE_BEFORE.test(text.slice(Math.max(0, t.start - 8), t.start));
    // 藤原|さ|、: the さ of speech ("you know"), which the analyser files as a suffix.
    const speechSa =
      next?.surface === 'さ' &&
      next.posDetail1 === '接尾' &&
      (tokens[j + 2] === undefined || tokens[j + 2]?.pos === '記号');
    const compoundAfter =
      !honorific &&
      !role &&
      !speechSa &&
      next?.start === nameEnd &&
      // 田中(45), (田中): the analyser files an ASCII bracket as a noun; it carries no compound
      // on (成田-香港 and ベンソン&ヘッジス do).
      ((isNoun(next) && next.posDetail1 !== '数' && !ASCII_BRACKET.test(next.surface)) ||
        PLACE_SUFFIX.has(next.surface) ||
        // 福島|第一原発: a prefix glued to the next word carries the compound on.
        (next.pos === '接頭詞' && ALL_KANJI.test(next.surface)));
    const compoundBefore =
      prev !== undefined &&
      end(prev) === t.start &&
      isNoun(prev) &&
      !isPerson(prev) &&
      !ROLE_WORDS.has(prev.surface) &&
      // これ岡田の車: a pronoun points at the name, it is not part of a compound.
      prev.posDetail1 !== '代名詞' &&
      prev.posDetail1 !== '数' &&
      prev.posDetail1 !== '接尾' &&
      prev.posDetail1 !== 'サ変接続' &&
      // ある日|梅原と: an adverbial noun before a name is not part of a compound.
      prev.posDetail1 !== '非自立' &&
      prev.posDetail1 !== '副詞可能';
    i = j + 1;
    // リア|充: a katakana piece glued to one kanji makes slang far more often than a name (土屋アンナ,
    // テリー伊藤 are longer); only an honorific, a title or a cue says otherwise.
    const pieces = text.slice(t.start, nameEnd);
    if (
      !single &&
      !honorific &&
      !role &&
      !cue &&
      pieces.length <= 3 &&
      STARTS_KATAKANA.test(pieces) &&
      KANJI_PIECE.test(pieces)
    )
      continue;
    // ユキ ヤバイ: in a comment typed wholly in katakana, a lone given name is a word (雪).
    if (single && !honorific && t.posDetail3 === '名' && katakanaOnly) continue;
    // 丸光建設, 佐藤工業: a firm named after a family, whoever the name belongs to.
    if (next !== undefined && next.start === nameEnd && FIRM_AFTER.has(next.surface)) continue;
    // 北山池|公園, 修斉|小学校, 月山富田|城: a park, a school or a castle named after a family or
    // a place, glued to the word for what it is.
    if (FACILITY_AFTER.test(text.slice(nameEnd, nameEnd + 10))) continue;
    // な|まら|き|れい, な|なつ|ぼし: a piece of a hiragana word that happens to be a given name.
    if (
      single &&
      !honorific &&
      HIRAGANA.test(surface) &&
      (gluedKana(prev, prev !== undefined && end(prev) === t.start, false) ||
        gluedKana(next, next !== undefined && next.start === nameEnd, true))
    )
      continue;
    // 阪南市石田, 板橋区大山: a district glued after its city or ward is a place, not a person.
    if (ADMIN_BEFORE.test(text.slice(Math.max(0, t.start - 2), t.start))) continue;
    // 留萌本線, 留萌市内: the town, not a person (藤山寛美 still passes: a given name follows).
    if (LOCAL_PLACES.has(surface) || (LOCAL_PLACES.has(t.surface) && !(given && isPerson(last))))
      continue;
    // ローソンの前: an everyday word the dictionary also files as a name (a shop, a service).
    if (single && (SNS_WORDS.has(surface) || CHAIN_STORES.has(surface))) continue;
    // ロッキード・マーティン, サン・ポール教会: one piece of a dotted phrase that the dotted rule
    // judged a firm or a place is not a name by itself.
    if (
      single &&
      ALL_KATAKANA.test(surface) &&
      ((JOINERS.test(text[t.start - 1] ?? '') && KATAKANA_LETTER.test(text[t.start - 2] ?? '')) ||
        (JOINERS.test(text[nameEnd] ?? '') && KATAKANA_LETTER.test(text[nameEnd + 1] ?? '')))
    )
      continue;
    // スズラン, ハナ|サキ|ガニ: a plant or an animal, however the analyser files its pieces.
    if (
      ALL_KATAKANA.test(surface) &&
      isNatureWord(surface + (KATAKANA_RUN.exec(text.slice(nameEnd))?.[0] ?? ''))
    )
      continue;
    // ケア|マネさん, ヘア|メイク: a katakana name the dictionary knows (Manet) glued to the katakana
    // word before it is the tail of that word.
    if (compoundBefore && ALL_KATAKANA.test(prev.surface) && ALL_KATAKANA.test(t.surface)) continue;
    // 赤崎|勇, 船曳|由美: a surname the dictionary does not know, before a given name it does.
    let nameStart = t.start;
    if (
      single &&
      compoundBefore &&
      t.posDetail3 === '名' &&
      !compoundAfter &&
      ALL_KANJI.test(t.surface)
    ) {
      const back = surnameBefore(tokens, j - 1);
      if (back !== undefined) nameStart = back;
    }
    const extendedBack = nameStart < t.start;
    // 崔は, 菅の: a one-character surname standing on its own between particles.
    const loneShortSurname =
      surface.length === 1 &&
      t.posDetail3 === '姓' &&
      !compoundBefore &&
      next !== undefined &&
      next.pos === '助詞' &&
      NAME_PARTICLES.has(next.surface);
    if (
      single &&
      !extendedBack &&
      !honorific &&
      !role &&
      !cue &&
      ((compoundAfter && !titledAfter(tokens, j)) ||
        compoundBefore ||
        (surface.length < 2 && !loneShortSurname))
    )
      continue;
    if (extendedBack) surname = true;
    let score = surname && given ? 0.85 : surname ? 0.65 : given ? 0.55 : 0.6;
    if (honorific || role || cue) score += 0.2;
    if (honorificOnly && !honorific) continue;
    // 讃|美歌, 金|運: everyday words the dictionary reads as names.
    if (EVERYDAY_WORDS.has(text.slice(nameStart, nameEnd))) continue;
    // 松永衆, 石川神宮, 大森谷村: the names the dictionary gives pieces of end in a word for a temple,
    // a shrine, a place or a band of men; only an honorific, a title or a common family name
    // (小野寺) says a person.
    const whole = text.slice(nameStart, nameEnd);
    if (!honorific && !role && !cue && PLACE_TAIL.test(whole) && !COMMON_SURNAMES.has(whole))
      continue;
    out.push(
      nameCandidate(
        nameStart,
        nameEnd,
        Math.min(1, score),
        honorific ? 'pii.person_name.honorific' : 'pii.person_name.dictionary',
      ),
    );
  }
  const reported = out.filter((c) => c.score >= REPORT_THRESHOLD);
  const found = [
    ...out,
    ...findNameCues(text, tokens, reported, LEXICON, !commentLike),
    ...findCommentNameCues(text, tokens, LEXICON.isKnownSurname),
  ].filter((c) => !isPublicOrForeign(c) && !isHomeTown(text.slice(c.start, c.end)));
  return withListSiblings(text, found, isPrivate);
};

// Between two names of one list: a comma, a middle dot, と or や, after an optional honorific.
const LIST_JOIN = /^(?:さん|くん|ちゃん|君)?(?:[、,，・]|と|や)$/u;
const LIST_JOIN_MAX = 3;

/**
 * One sweep along names sorted by start (`forward`) or by start descending: a name joined by
 * LIST_JOIN to a kept name on the side already swept is kept too. Marks `kept` in place.
 */
const sweepList = (
  text: string,
  found: readonly Candidate[],
  kept: boolean[],
  indexes: readonly number[],
  forward: boolean,
): void => {
  // Offsets where a kept name ends (sweeping forward) or starts (sweeping back).
  const edges = new Set<number>();
  for (const i of indexes) {
    const c = found[i] as Candidate;
    if (c.score < REPORT_THRESHOLD) continue;
    if (!kept[i]) {
      for (let gap = 1; gap <= LIST_JOIN_MAX && !kept[i]; gap++) {
        const edge = forward ? c.start - gap : c.end + gap;
        const between = forward ? text.slice(edge, c.start) : text.slice(c.end, edge);
        if (edges.has(edge) && LIST_JOIN.test(between)) kept[i] = true;
      }
    }
    if (kept[i]) edges.add(forward ? c.end : c.start);
  }
};

/**
 * The names a comment reports: the private people's, and the names listed with one of them
 * (隣の佐藤、鈴木、高橋が…, 同級生の中島と西川): a list names people of one kind. A list is a
 * chain of neighbours, so one sweep each way carries the evidence along it, and a hostile text
 * with thousands of names costs a sort, not a comparison of every pair.
 */
const withListSiblings = (
  text: string,
  found: readonly Candidate[],
  isPrivate: (c: Candidate) => boolean,
): Candidate[] => {
  const kept = found.map(isPrivate);
  if (kept.every(Boolean) || !kept.some(Boolean)) return found.filter((_, i) => kept[i]);
  const order = found
    .map((_, i) => i)
    .sort((a, b) => (found[a] as Candidate).start - (found[b] as Candidate).start);
  sweepList(text, found, kept, order, true);
  sweepList(text, found, kept, order.reverse(), false);
  return found.filter((_, i) => kept[i]);
};

const KANJI_PIECE = /[\p{Script=Han}]/u;
const ASCII_BRACKET = /^[()[\]]$/;
const KATAKANA_LETTER = /[ァ-ヺ]/;
const PLACE_TAIL = /^[\p{Script=Han}々]{2,}(?:寺|村|城|衆|郡|県|州|藩|湾|駅|港|神宮|神社)$/u;
const ADMIN_BEFORE = /\p{Script=Han}[市区町村郡]$/u;
const EVERYDAY_WORDS = new Set(['讃美歌', '賛美歌', '聖歌', '金運', '恋愛運', '仕事運']);
const KIN_IN_KANA = /^(?:の|お)|(?:ばあ|じい|かあ|とう|ねえ|にい)$/u;
const KATAKANA_ONLY_TEXT = /^[^\p{Script=Han}ぁ-ゖ]*$/u;
// 留萌出身の母: where someone comes from, not who they are.
const HOME_TOWN = /^(.{2,4}?)(?:出身|在住|生まれ|育ち)$/u;
const isHomeTown = (surface: string): boolean => {
  const m = HOME_TOWN.exec(surface);
  return m !== null && LOCAL_PLACES.has(m[1] ?? '');
};
// Business words after a family name that make the whole a firm (丸光建設, 佐藤工業).
const FIRM_AFTER = new Set(
  '建設 工業 工務店 工務 電機 商事 商店 商会 物産 産業 興業 運輸 運送 製作所 製菓 酒造 水産 食品 不動産 組'.split(
    ' ',
  ),
);

// What a kanji run after a name ends in when the whole is a place, a school, a shrine or an
// office (…公園, …小学校, …荘駅, …建築事務所); a role (駅長, 学長) or a given name (城太郎)
// carries the run on and is not taken.
const FACILITY_AFTER =
  /^[\p{Script=Han}々]{0,4}?(?:公園|小学校|中学校|高等学校|高校|大学|医大|学園|学院|駅|城|寺|神社|神宮|事務所)(?![\p{Script=Han}々])/u;

const LEXICON: NameLexicon = {
  isThingWord: (surface) => ORG_WORDS.has(surface) || SNS_WORDS.has(surface),
  isKnownSurname: (surface) => COMMON_SURNAMES.has(surface),
};

const NAME_PATTERNS: readonly RegExp[] = [
  INITIAL,
  FACILITY_AFTER,
  HOME_TOWN,
  KANJI_PIECE,
  ASCII_BRACKET,
  KATAKANA_LETTER,
  PLACE_TAIL,
  ADMIN_BEFORE,
  KIN_IN_KANA,
  KATAKANA_ONLY_TEXT,
  KANA_GIVEN,
  ALL_KATAKANA,
  ALL_KANJI,
  STARTS_KATAKANA,
  KATAKANA_RUN,
  NON_HUMAN_AFTER,
  KANA_BEFORE_HONORIFIC,
  KANJI_BEFORE_CHILD_HONORIFIC,
  GIVEN_NAME_END,
  GIVEN_PIECE,
  FOREIGN_WORD,
  DOTTED,
  JOINERS,
  LATIN_BEFORE,
  BODY_BEFORE,
  HIRAGANA,
  NAME_CUE_BEFORE,
  KATAKANA_CHAR,
  PERSON_CONTEXT,
  BUSINESS_CONTEXT,
  VU_SYLLABLE,
  ...NAME_CUE_PATTERNS,
];

export { findNames, NAME_PATTERNS };
