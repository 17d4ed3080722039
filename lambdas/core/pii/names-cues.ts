import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';
import { end, isNoun, isPerson, nameCandidate, opensWord } from './name-tokens';
import { findContextNameCues, NAME_CONTEXT_PATTERNS } from './names-context';

/**
 * Context cues for person names the dictionary does not file as names (foreign, Chinese, rare
 * Japanese names): a title right after a word (フォード大統領, 徽宗皇帝), a definition sentence
 * (X は、日本の漫画家。), a Chinese surname before one or two characters the analyser cannot read,
 * the other members of a list that holds a name, and later mentions of a name already found in the
 * same text. Each cue runs on the tokens of the text and the spans the dictionary rules found.
 */

/** What the cues need from the dictionary rules (names.ts) without importing them back. */
interface NameLexicon {
  /** Words that make a katakana phrase a firm, team, event or social-media thing. */
  readonly isThingWord: (surface: string) => boolean;
  readonly isKnownSurname: (surface: string) => boolean;
}

const isPlace = (t: Token): boolean => t.posDetail1 === '固有名詞' && t.posDetail2 === '地域';
const KATAKANA_WORD = /^[ァ-ヺ][ァ-ヺー]{1,11}$/;
const DOTTED_WORD = /^[ァ-ヺー]{1,12}(?:[・=＝][ァ-ヺー]{1,12}){1,3}$/u;
const KANJI_WORD = /^[\p{Script=Han}々]+$/u;
const HAN_OR_KANA = /[\p{Script=Han}々ぁ-ゖァ-ヺー]/u;

// Titles written right after a person's name. Heads of places (市長, 知事) are left out: 札幌市長
// names a place, not a person.
const TITLES_AFTER = new Set(
  (
    '監督 首相 大統領 副大統領 提督 元帥 大将 中将 少将 准将 大佐 中佐 少佐 大尉 中尉 少尉 伯爵 侯爵 公爵 ' +
    '男爵 子爵 辺境伯 卿 報道官 長官 国務長官 学長 館長 選手 投手 捕手 容疑者 被告 教授 准教授 博士 議員 ' +
    '外相 蔵相 法相 書記長 皇帝 帝 国王 女王 王子 王女 皇太子 兄弟 姉妹 夫妻 一家 牧師 神父 司教 枢機卿 大臣 ' +
    '社長 会長 委員長 議長 総裁 党首 氏 夫人 二世 三世 上院議員 下院議員 主将 騎手 棋士 総統 主席 国家主席 ' +
    'ら 次官 外務次官 軍曹 伍長 曹長 一等兵 上等兵 警部 巡査 刑事'
  ).split(' '),
);

// Words for a person that may introduce a name after の or directly (主演の小栗, DF奈良竜樹).
const INTRODUCED_BY = new Set(
  (
    '主演 主事 総裁 司令官 設計者 研究者 学者 評論家 歌手 流行歌手 同僚 鉄道趣味者 趣味者 漫画家 作曲家 ' +
    '演出家 脚本家 政治家 実業家 思想家 哲学者 経済学者 歴史家 指揮者 演奏家 ピアニスト ギタリスト 司会 ' +
    'DF FW MF GK 内野手 外野手 捕手 投手 MC パネラー 共演者 部員 団員 隊員 教え子 弟 兄 姉 妹 夫 妻 養子 側近 家臣'
  ).split(' '),
);

// Katakana words for a trade or a part, written right before a name (ヴォーカリスト桃梨).
const TRADES = new Set(
  (
    'ヴォーカリスト ボーカリスト ヴォーカル ボーカル ギタリスト ベーシスト ドラマー ピアニスト ' +
    'バイオリニスト ヴァイオリニスト パネラー パネリスト コメディアン タレント アイドル プロデューサー ' +
    'ディレクター アナウンサー キャスター レポーター リポーター ナレーター ライター エディター デザイナー ' +
    'イラストレーター カメラマン アシスタント マネージャー パイロット テストパイロット アーティスト ' +
    'ギター ドラム ドラムス キーボード シンガー ダンサー コラムニスト ジャーナリスト エッセイスト スタイリスト トレーナー レスラー ボクサー'
  ).split(' '),
);

const isRoleNoun = (tokens: readonly Token[], i: number): boolean => {
  const word = tokens[i] as Token;
  return isNoun(word) && TRADES.has(word.surface);
};

// One to three Latin words ending where a particle or a punctuation mark follows.
const LATIN_NAME =
  /[A-Za-z][A-Za-z-]{2,15}(?: [A-Za-z][A-Za-z-]{1,15}){0,2}(?=[はがのとにをもやらか、。」）・]|$)/y;

const POSITIONS = new Set(['DF', 'FW', 'MF', 'GK']);

// Words for what a person is, closing the sentence that defines its subject (X は、日本の漫画家。).
const OCCUPATIONS =
  '選手|俳優|女優|声優|歌手|作家|漫画家|小説家|政治家|実業家|画家|作曲家|作詞家|詩人|歌人|俳人|タレント|騎手|棋士|力士|プロレスラー|アナウンサー|官僚|外交官|軍人|学者|研究者|医師|弁護士|僧|武将|大名|貴族|モデル|アイドル|キャスター|ミュージシャン|ギタリスト|ピアニスト|ドラマー|監督|脚本家|演出家|写真家|建築家|評論家|指揮者|演奏家|経営者|思想家|コメディアン|芸人|落語家|司会者|投手|内野手|外野手|捕手|技術者|教育者|ジャーナリスト|デザイナー|プロデューサー|ディレクター|レスラー|ボクサー|騎士|王|皇帝|将軍|司祭|宣教師|僧侶|子役';
const DEFINED_AS_PERSON = new RegExp(
  `^([\\p{Script=Han}々ぁ-ゖァ-ヺー・=]{2,14})(?:（[^）]{0,40}）)?は、[^。]{0,60}?(?:${OCCUPATIONS})(?:で(?:ある|あった)|だった)?。`,
  'uy',
);
// The same sentence going on (X は、日本の歌手、女優であり…): the first word follows の (日本の,
// 東京出身の) and every word of the list is one for what a person is, so a list of people using a
// place (選手、監督が使う) or a work's author (作家、…の旧宅) does not define the subject.
const DEFINED_AS_PERSON_AND = new RegExp(
  `^([\\p{Script=Han}々ぁ-ゖァ-ヺー・=]{2,14})(?:（[^）]{0,40}）)?は、[^。、]{0,30}の(?:${OCCUPATIONS})(?:、(?:${OCCUPATIONS}))*(?:であり|で、|(?:で(?:ある|あった)|だった)?。)`,
  'uy',
);

// Chinese and Korean surnames of one character; a name follows with one or two characters.
// By character code: the search looks at every character of a comment, and a code needs no string.
const HAN_SURNAMES = new Set(
  '習曺李王張劉陳楊黄趙周呉徐孫朱胡郭何羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭董袁潘蔡蒋余杜葉程魏蘇呂丁沈姚盧姜崔鍾譚陸汪范金廖賈夏韋鄒孟熊邱尹薛閻段雷侯龍史陶黎賀顧毛郝龔邵銭厳覃戴莫孔朴卞申玄洪河文裴権全成柳安'
    .split('')
    .map((ch) => ch.charCodeAt(0)),
);
const HAN_FULL_NAME =
  /(?<![\p{Script=Han}々ァ-ヺー])([\p{Script=Han}])([\p{Script=Han}]{1,2})(?=[はがのにとをもへや、。・」）]|氏|ら|など)/uy;

const INSTITUTION_END = /[院庁省局部課党会社業校学軍隊団府県都道所]$/u;
const HAN_NOT_GIVEN_END = /[軍朝国家族派党会社院庁省権座館堂寺亭]$/u;

const LIST_JOINERS = new Set(['、', '，', 'と', 'や', '及び', 'および']);

/** A katakana word the dictionary reads as a person, as unknown, or as a non-place proper noun. */
const nameLikeKatakana = (t: Token, lexicon: NameLexicon): boolean =>
  KATAKANA_WORD.test(t.surface) &&
  t.surface.length >= 2 &&
  isNoun(t) &&
  !lexicon.isThingWord(t.surface) &&
  !isPlace(t) &&
  (t.reading === '' || t.posDetail1 === '固有名詞');

/** Tokens before `k` that make a kanji name: proper nouns, unknown words or single characters. */
const kanjiNameBefore = (tokens: readonly Token[], k: number): number | undefined => {
  let j = k - 1;
  let chars = 0;
  let nameLike = false;
  let singles = 0;
  while (j >= 0 && k - j <= 3) {
    const t = tokens[j] as Token;
    const next = tokens[j + 1] as Token;
    if (end(t) !== next.start || !isNoun(t) || !KANJI_WORD.test(t.surface)) break;
    if (t.posDetail1 === '数' || isPlace(t) || TITLES_AFTER.has(t.surface)) break;
    // 参議院, 宮内庁, 吉本興業: a known body, not a person.
    if ((t.posDetail2 === '組織' && t.reading !== '') || INSTITUTION_END.test(t.surface))
      return undefined;
    chars += t.surface.length;
    if (chars > 4) return undefined;
    if (isPerson(t) || t.reading === '' || t.posDetail1 === '固有名詞') nameLike = true;
    if (t.surface.length === 1) singles++;
    j--;
  }
  const first = j + 1;
  if (first >= k || chars < 2) return undefined;
  if (!opensWord(tokens, first)) return undefined;
  return nameLike || singles >= 2 ? first : undefined;
};

/** 〜大統領, 〜皇帝, 〜監督: the word right before a title is a name. */
const titleCues = (tokens: readonly Token[], lexicon: NameLexicon): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const title = tokens[i] as Token;
    if (!TITLES_AFTER.has(title.surface)) continue;
    const prev = tokens[i - 1] as Token;
    if (end(prev) !== title.start) continue;
    // デ・ガスペリ首相: a dotted name the analyser keeps as one unknown word.
    const dottedUnknown = DOTTED_WORD.test(prev.surface) && prev.reading === '' && isNoun(prev);
    if (nameLikeKatakana(prev, lexicon) || dottedUnknown) {
      const before = tokens[i - 2];
      // 長官ニミッツ提督: a title before the name does not make a compound.
      const inCompound =
        before !== undefined &&
        end(before) === prev.start &&
        (isNoun(before) || before.surface === '・') &&
        !TITLES_AFTER.has(before.surface) &&
        !INTRODUCED_BY.has(before.surface) &&
        before.surface !== '側';
      // レッド|フォックス男爵: the piece the dictionary knows as a name ends a longer one.
      const run = inCompound ? katakanaRunBefore(tokens, i, lexicon) : i - 1;
      if (run !== undefined)
        out.push(
          nameCandidate((tokens[run] as Token).start, end(prev), 0.7, 'pii.person_name.title'),
        );
      continue;
    }
    const first = kanjiNameBefore(tokens, i) ?? katakanaRunBefore(tokens, i, lexicon);
    if (first !== undefined)
      out.push(
        nameCandidate((tokens[first] as Token).start, end(prev), 0.7, 'pii.person_name.title'),
      );
  }
  return out;
};

// Ranks of nobility, rule and command: unlike a trade (バスケット|ボール選手), they follow a
// person's name, never the name of a sport or a thing.
const RANKS = new Set(
  (
    '提督 元帥 大将 中将 少将 准将 大佐 中佐 少佐 大尉 中尉 少尉 伯爵 侯爵 公爵 男爵 子爵 辺境伯 卿 皇帝 帝 ' +
    '国王 女王 王子 王女 皇太子 大統領 副大統領 首相 総統 二世 三世'
  ).split(' '),
);

/**
 * グリーン|ウッド伯爵, ブラック|ストーン提督: a foreign name the analyser cut into two or three katakana
 * words it knows, right before a rank. Index of the first piece, or undefined.
 */
const katakanaRunBefore = (
  tokens: readonly Token[],
  i: number,
  lexicon: NameLexicon,
): number | undefined => {
  if (!RANKS.has((tokens[i] as Token).surface)) return undefined;
  let j = i - 1;
  let chars = 0;
  while (j >= 0 && i - j <= 3) {
    const t = tokens[j] as Token;
    if (!isNoun(t) || !KATAKANA_PIECE.test(t.surface) || lexicon.isThingWord(t.surface)) break;
    if (end(t) !== (tokens[j + 1] as Token).start) break;
    chars += t.surface.length;
    j--;
  }
  const first = j + 1;
  if (i - first < 2 || chars < 3 || chars > 12) return undefined;
  const before = tokens[first - 1];
  const bounded = opensWord(tokens, first) || TITLES_AFTER.has((before as Token).surface);
  return bounded ? first : undefined;
};
const KATAKANA_PIECE = /^[ァ-ヺー]+$/u;

const text_ = (tokens: readonly Token[], from: number, to: number): string =>
  tokens
    .slice(from, to)
    .map((t) => t.surface)
    .join('');

/** 主演の小栗, DF奈良竜樹, 流行歌手徳山璉: a word for a person, then a name up to a boundary. */
const introducerCues = (
  text: string,
  tokens: readonly Token[],
  lexicon: NameLexicon,
): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as Token;
    const position = POSITIONS.has(word.surface);
    if (!INTRODUCED_BY.has(word.surface) && !isRoleNoun(tokens, i)) continue;
    let k = i + 1;
    const joiner = tokens[k];
    if (joiner !== undefined && (joiner.surface === 'の' || joiner.surface === '・')) k++;
    else if (joiner === undefined || joiner.start !== end(word)) continue;
    const first = tokens[k];
    if (first === undefined) continue;
    // アシスタントのRekico, ギターYU-ICHI: a name written in Latin letters after a role.
    LATIN_NAME.lastIndex = first.start;
    const latin = LATIN_NAME.exec(text);
    if (latin !== null) {
      out.push(
        nameCandidate(
          first.start,
          first.start + latin[0].length,
          0.65,
          'pii.person_name.role_context',
        ),
      );
      continue;
    }
    let j = k;
    let chars = 0;
    let nameLike = false;
    let singles = 0;
    while (j < tokens.length && j < k + 3) {
      const t = tokens[j] as Token;
      if (j > k && t.start !== end(tokens[j - 1] as Token)) break;
      const kanji = KANJI_WORD.test(t.surface);
      // 小|栗, 純|平: the analyser reads the first character of a name as a prefix.
      const isWord = isNoun(t) || (kanji && t.pos === '接頭詞' && t.surface.length === 1);
      // FWウェリントン: after a playing position any katakana word is a player's name.
      const katakana =
        nameLikeKatakana(t, lexicon) ||
        (position && KATAKANA_WORD.test(t.surface) && isNoun(t) && !lexicon.isThingWord(t.surface));
      if (!isWord || !(kanji || katakana)) break;
      if (katakana && position) nameLike = true;
      if (t.posDetail1 === '数' || (isPlace(t) && t.posDetail3 === '国')) break;
      if (TITLES_AFTER.has(t.surface)) break;
      if (t.posDetail1 === '固有名詞' || t.reading === '') nameLike = true;
      if (kanji && t.surface.length === 1) singles++;
      chars += t.surface.length;
      j++;
    }
    if (singles >= 2) nameLike = true;
    const kanjiOnly = KANJI_WORD.test(text_(tokens, k, j));
    if (j === k || chars < 2 || chars > (kanjiOnly ? 5 : 12) || !nameLike) continue;
    const next = tokens[j];
    const bounded =
      next === undefined ||
      next.start !== end(tokens[j - 1] as Token) ||
      next.pos === '助詞' ||
      next.pos === '記号' ||
      TITLES_AFTER.has(next.surface);
    if (bounded)
      out.push(
        nameCandidate(
          first.start,
          end(tokens[j - 1] as Token),
          0.65,
          'pii.person_name.role_context',
        ),
      );
  }
  return out;
};

/** 河下水希は、日本の漫画家。: the subject of a sentence that defines a person. */
const definitionCue = (text: string): Candidate[] => {
  DEFINED_AS_PERSON.lastIndex = 0;
  DEFINED_AS_PERSON_AND.lastIndex = 0;
  const m = DEFINED_AS_PERSON.exec(text) ?? DEFINED_AS_PERSON_AND.exec(text);
  if (m === null) return [];
  const subject = m[1] as string;
  return [nameCandidate(0, subject.length, 0.75, 'pii.person_name.definition')];
};

/** 金性洙の, 楊秀麗に: a Chinese or Korean surname and a given name the analyser cannot read. */
const hanNameCues = (text: string, tokens: readonly Token[]): Candidate[] => {
  const out: Candidate[] = [];
  // Built on the first surname character: most comments hold none.
  let byStart: ReadonlyMap<number, number> | undefined;
  for (let at = 0; at < text.length; at++) {
    if (!HAN_SURNAMES.has(text.charCodeAt(at))) continue;
    const ch = text[at] as string;
    HAN_FULL_NAME.lastIndex = at;
    const m = HAN_FULL_NAME.exec(text);
    if (m === null) continue;
    byStart ??= tokenIndex(tokens).byStart;
    const headIndex = byStart.get(at);
    const head = headIndex === undefined ? undefined : tokens[headIndex];
    // The surname must be a token of its own: 金曜日, 高校, 周辺 are words.
    if (headIndex === undefined || head === undefined || head.surface !== ch) continue;
    const stop = at + m[0].length;
    const rest: Token[] = [];
    for (let k = headIndex + 1; k < tokens.length && (tokens[k] as Token).start < stop; k++)
      rest.push(tokens[k] as Token);
    if (rest.some((t) => end(t) > stop && t.pos !== '名詞')) continue;
    if (rest.some((t) => t.posDetail1 === '数' || isPlace(t))) continue;
    if (HAN_NOT_GIVEN_END.test(m[0])) continue;
    const knownWordAfter =
      rest.length === 1 &&
      (rest[0] as Token).reading !== '' &&
      (rest[0] as Token).surface.length >= 2;
    // 胡|有|禄: a given name the analyser shatters into single characters it reads as words.
    const shattered = rest.length === 2 && rest.every((t) => t.surface.length === 1);
    const unreadable =
      shattered ||
      head.reading === '' ||
      (isPerson(head) && !knownWordAfter) ||
      rest.some((t) => t.reading === '');
    if (unreadable) out.push(nameCandidate(at, stop, 0.65, 'pii.person_name.han'));
  }
  return out;
};

/** Characters already inside a span: overlap checks stay linear on hostile input. */
class Coverage {
  private readonly marks: Uint8Array;
  constructor(length: number, spans: readonly Candidate[] = []) {
    this.marks = new Uint8Array(length);
    for (const span of spans) this.mark(span);
  }
  mark(span: Candidate): void {
    this.marks.fill(1, span.start, span.end);
  }
  isFree(span: Candidate): boolean {
    for (let i = span.start; i < span.end; i++) if (this.marks[i] === 1) return false;
    return true;
  }
}

/** Index of the token that starts (or ends) at each offset. */
const tokenIndex = (tokens: readonly Token[]) => {
  const byStart = new Map<number, number>();
  const byEnd = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    byStart.set(t.start, i);
    byEnd.set(end(t), i);
  }
  return { byStart, byEnd };
};

// A text full of names must not make the later-mention search quadratic.
const MAX_REPEATED_VALUES = 16;

const tokenAt = (tokens: readonly Token[], i: number | undefined): Token | undefined =>
  i === undefined ? undefined : tokens[i];

const HIRAGANA_CHAR = /[ぁ-ゖ]/;

/** Whether `ch` beside a repeated `value` would make it part of a longer word of its script. */
const continuesWord = (ch: string | undefined, value: string): boolean =>
  ch !== undefined &&
  KANJI_WORD.test(ch) === KANJI_WORD.test(value[0] as string) &&
  HAN_OR_KANA.test(ch) &&
  !HIRAGANA_CHAR.test(ch);

/**
 * Later mentions of a name already found (福島正則 … 福島は; ジョン・スミス … スミスの): the same
 * string, or its surname or last katakana piece, standing alone.
 */
const repeatCues = (
  text: string,
  found: readonly Candidate[],
  tokens: readonly Token[],
): Candidate[] => {
  const out: Candidate[] = [];
  if (found.length === 0) return out;
  const values = new Set<string>();
  const { byStart, byEnd } = tokenIndex(tokens);
  for (const f of found) {
    if (values.size >= MAX_REPEATED_VALUES) break;
    const value = text.slice(f.start, f.end);
    if (value.length >= 2) values.add(value);
    const pieces = value.split(/[・=＝]/);
    const last = pieces[pieces.length - 1];
    if (pieces.length > 1 && last !== undefined && last.length >= 3) values.add(last);
    const head = tokenAt(tokens, byStart.get(f.start));
    if (
      head !== undefined &&
      isPerson(head) &&
      head.posDetail3 === '姓' &&
      head.surface.length >= 2 &&
      end(head) < f.end
    )
      values.add(head.surface);
  }
  const covered = new Coverage(text.length, found);
  for (const value of values) {
    let at = text.indexOf(value);
    while (at >= 0) {
      const stop = at + value.length;
      const c = nameCandidate(at, stop, 0.6, 'pii.person_name.repeat');
      const before = text[at - 1];
      const after = text[stop];
      const next = tokenAt(tokens, byStart.get(stop));
      const prevToken = tokenAt(tokens, byEnd.get(at));
      const standsAlone =
        (next === undefined ||
          next.pos === '助詞' ||
          (next.pos === '記号' && next.surface !== '・')) &&
        (prevToken === undefined || prevToken.pos !== '名詞');
      if (
        standsAlone &&
        covered.isFree(c) &&
        byStart.has(at) &&
        byEnd.has(stop) &&
        !continuesWord(before, value) &&
        !continuesWord(after, value)
      ) {
        out.push(c);
        covered.mark(c);
      }
      at = text.indexOf(value, stop);
    }
  }
  return out;
};

/** The token at `i` as a list item, when it can be one. */
const listItemAt = (
  tokens: readonly Token[],
  i: number,
  lexicon: NameLexicon,
): Candidate | undefined => {
  const t = tokens[i];
  if (t === undefined) return undefined;
  const next = tokens[i + 1];
  const bounded =
    next === undefined ||
    next.pos === '助詞' ||
    next.pos === '記号' ||
    LIST_JOINERS.has(next.surface);
  if (!bounded) return undefined;
  const prev = tokens[i - 1];
  // …を受けた大島と柴田: a relative clause may end right before the first item.
  if (
    prev !== undefined &&
    !(
      LIST_JOINERS.has(prev.surface) ||
      prev.pos === '記号' ||
      prev.pos === '助詞' ||
      prev.pos === '助動詞'
    )
  )
    return undefined;
  if (nameLikeKatakana(t, lexicon) && t.surface.length >= 3)
    return nameCandidate(t.start, end(t), 0.6, 'pii.person_name.list');
  if (
    isNoun(t) &&
    KANJI_WORD.test(t.surface) &&
    t.surface.length >= 2 &&
    (isPerson(t) || lexicon.isKnownSurname(t.surface))
  )
    return nameCandidate(t.start, end(t), 0.6, 'pii.person_name.list');
  return undefined;
};

/** A list being carried along: what is found, and the ends of every name so far. */
interface ListSweep {
  readonly out: Candidate[];
  readonly covered: Coverage;
  readonly starts: Set<number>;
  readonly ends: Set<number>;
}

/** At a list joiner with a name on one side only: the other side joins the names. */
const extendList = (
  tokens: readonly Token[],
  i: number,
  lexicon: NameLexicon,
  list: ListSweep,
): void => {
  const sep = tokens[i] as Token;
  if (!LIST_JOINERS.has(sep.surface)) return;
  const left = tokens[i - 1];
  const right = tokens[i + 1];
  if (left === undefined || right === undefined) return;
  const leftName = list.ends.has(end(left));
  const rightName = list.starts.has(right.start);
  if (leftName === rightName) return;
  const c = leftName ? listItemAt(tokens, i + 1, lexicon) : listItemAt(tokens, i - 1, lexicon);
  if (c === undefined || !list.covered.isFree(c)) return;
  list.out.push(c);
  list.covered.mark(c);
  list.starts.add(c.start);
  list.ends.add(c.end);
};

/** A list item next to a name: アンダーソン、スクワイア、バンクス. */
const listCues = (
  textLength: number,
  tokens: readonly Token[],
  found: readonly Candidate[],
  lexicon: NameLexicon,
): Candidate[] => {
  const list: ListSweep = {
    out: [],
    covered: new Coverage(textLength, found),
    starts: new Set(found.map((s) => s.start)),
    ends: new Set(found.map((s) => s.end)),
  };
  // One sweep each way carries a name along a list in either direction.
  for (let i = 0; i < tokens.length; i++) extendList(tokens, i, lexicon, list);
  for (let i = tokens.length - 1; i >= 0; i--) extendList(tokens, i, lexicon, list);
  return list.out;
};

// 2世, 四世: a regnal or generation number after a foreign name.
const REGNAL_NUMBER = /^(?:[1-9１-９]|[一二三四五六七八九十]{1,3})世/u;
const KATAKANA_OR_JOINER = /[ァ-ヺー・=]/u;

/**
 * ラムセス2世, ヨハネ・パウロ2世: a katakana name with a regnal number. Read backwards from the
 * number, so a long katakana run costs one pass.
 */
const regnalCues = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (let at = text.indexOf('世'); at > 0; at = text.indexOf('世', at + 1)) {
    let numberStart = at;
    while (
      numberStart > 0 &&
      numberStart > at - 3 &&
      /[1-9１-９一二三四五六七八九十]/u.test(text[numberStart - 1] as string)
    )
      numberStart--;
    if (numberStart === at || !REGNAL_NUMBER.test(text.slice(numberStart, at + 1))) continue;
    // 2世代, 21世紀, 3世界: not a regnal number.
    if (/[代紀界帯間論]/u.test(text[at + 1] ?? '')) continue;
    let start = numberStart;
    while (
      start > 0 &&
      numberStart - start < 40 &&
      KATAKANA_OR_JOINER.test(text[start - 1] as string)
    )
      start--;
    while (start < numberStart && !/[ァ-ヺ]/u.test(text[start] as string)) start++;
    if (numberStart - start < 2) continue;
    out.push(nameCandidate(start, at + 1, 0.75, 'pii.person_name.regnal'));
  }
  return out;
};

const DOTTED_NAME = /[ァ-ヺー]{2,12}(?:[・=＝･·][ァ-ヺー]{1,12}|[・=＝･·][A-Z]\.?){1,3}/gu;
const NAME_JOINER = /[・=＝･·]/;
// Titles that, written right after a dotted katakana phrase, make it a person.
const DOTTED_TITLES = [
  ...TITLES_AFTER,
  '報道官',
  '外務次官',
  '大使',
  '准将',
  '警察長',
  '一等兵',
  '首相兼',
  '米国務長官',
];

/** サラ・サンダース報道官, デ・ガスペリ首相: a dotted katakana phrase before a title. */
const dottedTitleCues = (
  text: string,
  tokens: readonly Token[],
  lexicon: NameLexicon,
): Candidate[] => {
  const out: Candidate[] = [];
  // Most comments hold no joiner at all: neither the pattern nor the token index is needed.
  if (!NAME_JOINER.test(text)) return out;
  const { byStart } = tokenIndex(tokens);
  DOTTED_NAME.lastIndex = 0;
  for (let m = DOTTED_NAME.exec(text); m !== null; m = DOTTED_NAME.exec(text)) {
    const stop = m.index + m[0].length;
    const titled = DOTTED_TITLES.some((title) => text.startsWith(title, stop));
    if (!titled) continue;
    if (m[0].split(/[・=＝･·]/).some((piece) => lexicon.isThingWord(piece))) continue;
    // ニューヨーク・ヤンキース監督: a known place or body inside, and no known name, is a team.
    const inside: Token[] = [];
    for (let k = byStart.get(m.index) ?? tokens.length; k < tokens.length; k++) {
      const t = tokens[k] as Token;
      if (end(t) > stop) break;
      inside.push(t);
    }
    const known = (t: Token): boolean =>
      t.reading !== '' && (t.posDetail2 === '地域' || t.posDetail2 === '組織');
    if (inside.some(known) && !inside.some(isPerson)) continue;
    out.push(nameCandidate(m.index, stop, 0.75, 'pii.person_name.title'));
  }
  return out;
};

const KANJI_BLOCK =
  /(?<![\p{Script=Han}々ァ-ヺーA-Za-z0-9])[\p{Script=Han}々]{3,5}(?=[はがのをにともら、。」・]|$)/gu;
// Last characters of places, bodies, eras and things, never of a given name.
const NOT_NAME_END =
  /[港駅線橋川山島湾寺町村市区郡県都府道城宮社殿館園池湖峠岬浜崎谷沢台原家氏派流屋店組軍隊衆局署所場戦条丸号門系産製版語側内外中上下前後北南東西方間院庁省部課党会業校学団法式論説制権期代年月日円的性化者員人物品類科目属種族教宗記録集誌紙文書画曲歌劇祭賞杯展国圏商電座鐡鉄藩兵小高大駅]$/u;

const isPlaceSuffixed = (rest: readonly Token[]): boolean =>
  rest.some((t) => t.posDetail1 === '接尾' && t.posDetail2 !== '一般');

/** 湯口徹は, 谷伍平と: a short block of kanji the analyser shatters into single characters. */
const shatteredKanjiCues = (text: string, tokens: readonly Token[]): Candidate[] => {
  const out: Candidate[] = [];
  // Built on the first block that could be a name: most comments hold none.
  let byStart: ReadonlyMap<number, number> | undefined;
  KANJI_BLOCK.lastIndex = 0;
  for (let m = KANJI_BLOCK.exec(text); m !== null; m = KANJI_BLOCK.exec(text)) {
    const stop = m.index + m[0].length;
    if (NOT_NAME_END.test(m[0])) continue;
    byStart ??= tokenIndex(tokens).byStart;
    const first = byStart.get(m.index);
    if (first === undefined) continue;
    const inside: Token[] = [];
    let k = first;
    while (k < tokens.length && (tokens[k] as Token).start < stop)
      inside.push(tokens[k++] as Token);
    const last = inside[inside.length - 1];
    if (last === undefined || end(last) !== stop || inside.length < 2) continue;
    if (inside.some((t) => !isNoun(t) && t.pos !== '接頭詞')) continue;
    if (inside.some((t) => t.posDetail1 === '数' || (t.posDetail2 === '組織' && t.reading !== '')))
      continue;
    if (inside.some((t) => t.posDetail2 === '地域' && t.posDetail3 === '国')) continue;
    const head = inside[0] as Token;
    const singles = inside.filter((t) => t.surface.length === 1).length;
    const surnameHead =
      (isPerson(head) && head.posDetail3 === '姓') ||
      (head.posDetail2 === '地域' && head.surface.length === 2);
    // Everything after the family name is single characters or name entries (徹, 伍|平, 甚兵衛).
    const rest = inside.slice(1);
    const givenLike = rest.every(
      (t) => t.surface.length === 1 || (isPerson(t) && t.posDetail3 === '名') || t.reading === '',
    );
    const shattered = surnameHead && givenLike && singles >= 1 && !isPlaceSuffixed(rest);
    if (shattered) out.push(nameCandidate(m.index, stop, 0.6, 'pii.person_name.shattered'));
  }
  return out;
};

const SENTENCE_PERSON_CONTEXT =
  /彼は|彼の|彼が|彼女|生まれ|死去|亡くな|就任|結婚|語っ|述べ|率い|引退|辞任|暗殺|即位|学んだ|著書|自伝|妻|息子|娘/u;
const TOPIC_PARTICLES = new Set(['は', 'が']);

/** グラントは、その夜に… 彼: a katakana word opening a sentence about a person. */
const sentenceSubjectCues = (
  text: string,
  tokens: readonly Token[],
  lexicon: NameLexicon,
): Candidate[] => {
  if (!SENTENCE_PERSON_CONTEXT.test(text)) return [];
  const out: Candidate[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1];
    const opens = prev === undefined || prev.surface === '。' || prev.surface === '、';
    if (!opens || !isNoun(t) || !KATAKANA_WORD.test(t.surface) || t.surface.length < 3) continue;
    if (lexicon.isThingWord(t.surface) || isPlace(t) || t.posDetail1 === 'サ変接続') continue;
    const next = tokens[i + 1] as Token;
    if (next.start !== end(t) || next.pos !== '助詞' || !TOPIC_PARTICLES.has(next.surface))
      continue;
    out.push(nameCandidate(t.start, end(t), 0.55, 'pii.person_name.subject'));
  }
  return out;
};

const COUNTED_PEOPLE = /^(?:の?[0-9０-９一二三四五六七八九十]+(?:人|名)|ら|たち|両人|の両名)/u;

/** クリエン、フィジケラ、モンタニーの4名: the members of a list of people counted after it. */
const countedListCues = (
  text: string,
  tokens: readonly Token[],
  lexicon: NameLexicon,
): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!COUNTED_PEOPLE.test(text.slice(end(t), end(t) + 6))) continue;
    const items: Token[] = [];
    let k = i;
    while (k >= 0) {
      const item = tokens[k] as Token;
      const katakana = nameLikeKatakana(item, lexicon);
      const kanji =
        KANJI_WORD.test(item.surface) &&
        isNoun(item) &&
        item.surface.length <= 3 &&
        (isPerson(item) || item.reading === '' || lexicon.isKnownSurname(item.surface));
      if (!katakana && !kanji) break;
      items.push(item);
      const sep = tokens[k - 1];
      if (
        sep === undefined ||
        !(sep.surface === '、' || sep.surface === '・' || sep.surface === 'と')
      )
        break;
      k -= 2;
    }
    if (items.length < 2) continue;
    for (const item of items)
      out.push(nameCandidate(item.start, end(item), 0.6, 'pii.person_name.list'));
  }
  return out;
};

const scriptOf = (surface: string): string =>
  KANJI_WORD.test(surface)
    ? 'kanji'
    : KATAKANA_PIECE.test(surface)
      ? 'katakana'
      : LATIN_WORD.test(surface)
        ? 'latin'
        : '';
const LATIN_WORD = /^[A-Za-z][A-Za-z-]*$/;

/**
 * 青柳宗典らと, Whitbyらが: in prose, ら after a word marks the people it names (and others). The
 * word must hold a proper noun or a word the dictionary does not know (a pronoun or 若者 is no
 * name), and a firm or a place the dictionary knows alone (ソニーら, 東京ら) stays what it is.
 */
const peopleSuffixCues = (tokens: readonly Token[]): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 1; i + 1 < tokens.length; i++) {
    const ra = tokens[i] as Token;
    if (ra.surface !== 'ら' || ra.posDetail1 !== '接尾') continue;
    const after = tokens[i + 1] as Token;
    if (after.start !== end(ra) || (after.pos !== '助詞' && after.surface !== '、')) continue;
    const script = scriptOf((tokens[i - 1] as Token).surface);
    if (script === '') continue;
    let j = i - 1;
    let chars = 0;
    let proper = false;
    let known = 0;
    for (; j >= 0 && i - j <= 4; j--) {
      const t = tokens[j] as Token;
      if (!isNoun(t) || scriptOf(t.surface) !== script || end(t) !== (tokens[j + 1] as Token).start)
        break;
      if (t.posDetail1 === '数' || TITLES_AFTER.has(t.surface)) break;
      if (t.posDetail1 === '固有名詞' || t.reading === '') proper = true;
      if (t.reading !== '' && (t.posDetail2 === '組織' || t.posDetail2 === '地域')) known++;
      chars += t.surface.length;
    }
    const first = j + 1;
    const pieces = i - first;
    if (pieces === 0 || !proper || known === pieces) continue;
    if (chars < 2 || chars > (script === 'kanji' ? 5 : 12)) continue;
    if (opensWord(tokens, first))
      out.push(
        nameCandidate((tokens[first] as Token).start, ra.start, 0.6, 'pii.person_name.people'),
      );
  }
  return out;
};

/**
 * All context cues; `found` are the spans of the dictionary rules, `prose` whether the text reads as
 * encyclopedic prose rather than as a comment.
 */
const findNameCues = (
  text: string,
  tokens: readonly Token[],
  found: readonly Candidate[],
  lexicon: NameLexicon,
  prose = false,
): Candidate[] => {
  const cues = [
    ...titleCues(tokens, lexicon),
    ...introducerCues(text, tokens, lexicon),
    ...definitionCue(text),
    ...hanNameCues(text, tokens),
    ...regnalCues(text),
    ...dottedTitleCues(text, tokens, lexicon),
    ...shatteredKanjiCues(text, tokens),
    ...sentenceSubjectCues(text, tokens, lexicon),
    ...countedListCues(text, tokens, lexicon),
    ...(prose ? peopleSuffixCues(tokens) : []),
    ...findContextNameCues(text, tokens, prose),
  ];
  const covered = new Coverage(text.length, found);
  const fresh = cues.filter((c) => covered.isFree(c));
  const base = [...found, ...fresh];
  const listed = listCues(text.length, tokens, base, lexicon);
  const repeated = repeatCues(text, [...base, ...listed], tokens);
  return [...fresh, ...listed, ...repeated];
};

const NAME_CUE_PATTERNS: readonly RegExp[] = [
  KATAKANA_PIECE,
  LATIN_WORD,
  KATAKANA_WORD,
  DOTTED_WORD,
  LATIN_NAME,
  KANJI_WORD,
  HAN_OR_KANA,
  DEFINED_AS_PERSON,
  DEFINED_AS_PERSON_AND,
  HAN_FULL_NAME,
  REGNAL_NUMBER,
  KATAKANA_OR_JOINER,
  DOTTED_NAME,
  KANJI_BLOCK,
  NOT_NAME_END,
  SENTENCE_PERSON_CONTEXT,
  COUNTED_PEOPLE,
  INSTITUTION_END,
  HAN_NOT_GIVEN_END,
  ...NAME_CONTEXT_PATTERNS,
];

export type { NameLexicon };
export { findNameCues, NAME_CUE_PATTERNS };
