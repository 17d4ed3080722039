import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';
import { end, isNoun, isPerson, nameCandidate, opensWord } from './name-tokens';

/**
 * Further context cues for person names, kept apart from names-cues.ts: a name written with Latin
 * initials before a katakana surname (J.L.ボニエ, D・H・ヒル), and a given name right after a word
 * for a relative (父・龍一郎, 姉のゆり, 四女豊) that the analyser reads as ordinary words.
 */

// An owner's name may also follow a verb or an auxiliary (…と話した田中の).
const AFTER_PREDICATE = new Set(['助動詞', '動詞']);

// What only a person has: written after X の, it makes X a person (ヒムラーの命令, アイスナーの死).
const PERSON_HEADS = new Set(
  (
    '死 死去 死後 没後 自殺 暗殺 葬儀 墓 遺体 遺族 遺言 自伝 伝記 回想録 生涯 晩年 生前 人生 生家 命令 指示 ' +
    '提案 意向 意思 意 発言 証言 演説 妻 夫 夫人 息子 娘 長男 次男 長女 次女 父 母 父親 母親 兄 弟 姉 妹 ' +
    '養子 弟子 師匠 後継者 後任 前任 友人 親友 恋人 部下 上司 助手 秘書 代理人 弁護人 側近 家族 子孫 肖像 胸像 ' +
    '銅像 指導 口癖 愛称 本名 誕生'
  ).split(' '),
);

// One to three Latin initials (J., Yu・) and a katakana surname that ends the word: not inside a
// longer Latin or katakana phrase (V.S.O.P.クインテット, A・サリナス・スパーズ, V・ファーレン長崎).
const INITIALS_NAME =
  /(?<![A-Za-z.・･ァ-ヺー])(?:[A-Z][a-z]?(?:\. ?|[・･])){1,3}[ァ-ヺ][ァ-ヺー]{1,11}(?![ァ-ヺー・･=＝\p{Script=Han}A-Za-z])/gu;

// A given name, one to three middle initials and a family name in Latin letters (Ellen R. Whitby,
// Tom A. B. Corrigan): what only a person's name looks like; a firm or a title has no initials.
const LATIN_MIDDLE_INITIALS =
  /(?<![A-Za-z.])[A-Z][a-z]{1,14}(?: [A-Z]\.){1,3} [A-Z][a-z]{1,14}(?![A-Za-z])/g;

/** J.L.ボニエ, H.A.リブリン, D・H・ヒル, Ellen R. Whitby: names with initials. */
const initialsCues = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  INITIALS_NAME.lastIndex = 0;
  for (let m = INITIALS_NAME.exec(text); m !== null; m = INITIALS_NAME.exec(text))
    out.push(nameCandidate(m.index, m.index + m[0].length, 0.7, 'pii.person_name.initials'));
  if (!text.includes('. ')) return out;
  LATIN_MIDDLE_INITIALS.lastIndex = 0;
  for (let m = LATIN_MIDDLE_INITIALS.exec(text); m !== null; m = LATIN_MIDDLE_INITIALS.exec(text))
    out.push(nameCandidate(m.index, m.index + m[0].length, 0.7, 'pii.person_name.initials'));
  return out;
};

// Words for a relative or a character, after which a given name follows (父・龍一郎, 姉のゆり).
const KIN = new Set(
  (
    '父 母 妻 夫 息子 娘 兄 弟 姉 妹 長女 次女 長男 次男 祖父 祖母 孫 後妻 前妻 妃 養子 養女 伯父 叔父 伯母 ' +
    '叔母 甥 姪 婚約者 主人公 ヒロイン'
  ).split(' '),
);
const BIRTH_ORDER = /^[一二三四五六七八九]$/u;
const KANJI = /^[\p{Script=Han}々]+$/u;
const HIRAGANA_NAME = /^[ぁ-ゖ]{2,4}$/;
// Hiragana nouns that follow "the father's …" as words, not names.
const NOT_KANA_NAME = new Set(
  'おかげ もと ほう せい あと まえ うち ほか ため こと ところ もの よう ころ とき ところ まま'.split(
    ' ',
  ),
);
// Given names commonly written in hiragana that are also everyday words (general knowledge).
const HIRAGANA_GIVEN_NAMES = new Set(
  (
    'さくら ひかり あおい すみれ ゆり かえで つばさ みどり あかり ひなた ひまり ゆい めい りん あい まい ' +
    'みお なな もも はな ゆき あや えみ かな ちひろ まこと あきら かおる しのぶ のぞみ めぐみ あゆみ ' +
    'いずみ こずえ しずか はるか ほのか まどか みゆき ゆかり わかば ことり こはる うた あん みく'
  ).split(' '),
);
const BOUNDARY_PARTICLES = new Set([
  'は',
  'が',
  'の',
  'と',
  'も',
  'を',
  'に',
  'や',
  'から',
  'と共に',
  'とともに',
  'によって',
  'による',
]);

/** 三|香, 一|輝: a one-kanji numeral glued to a one-kanji noun that counts nothing. */
const numeralOpensName = (tokens: readonly Token[], j: number): boolean => {
  const t = tokens[j] as Token;
  const next = tokens[j + 1];
  return (
    t.surface.length === 1 &&
    KANJI.test(t.surface) &&
    next !== undefined &&
    next.start === end(t) &&
    next.surface.length === 1 &&
    KANJI.test(next.surface) &&
    isNoun(next) &&
    next.posDetail1 !== '数' &&
    next.posDetail1 !== '接尾'
  );
};

/** Index of the relative word ending right before token `k` (through の or ・), or undefined. */
const kinBefore = (tokens: readonly Token[], k: number): number | undefined => {
  const joiner = tokens[k - 1];
  const through = joiner !== undefined && (joiner.surface === 'の' || joiner.surface === '・');
  const w = through ? k - 2 : k - 1;
  const word = tokens[w];
  if (word === undefined) return undefined;
  if (!through && end(word) !== (tokens[k] as Token).start) return undefined;
  if (through && end(word) !== (joiner as Token).start) return undefined;
  if (KIN.has(word.surface) && isNoun(word)) return w;
  // 四|女, 三|男: a birth order the analyser splits into a number and a counter.
  const count = tokens[w - 1];
  if (
    (word.surface === '女' || word.surface === '男') &&
    count !== undefined &&
    end(count) === word.start &&
    BIRTH_ORDER.test(count.surface)
  )
    return w - 1;
  return undefined;
};

/** 父・龍一郎, 姉のゆり, 四女豊: a given name right after a word for a relative. */
const kinCues = (tokens: readonly Token[], prose: boolean): Candidate[] => {
  const out: Candidate[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const first = tokens[k] as Token;
    if (!isNoun(first) && first.pos !== '接頭詞') continue;
    if (kinBefore(tokens, k) === undefined) continue;
    let j = k;
    let stop = first.start;
    if (HIRAGANA_NAME.test(first.surface)) {
      if (!isNoun(first) || first.posDetail1 === '非自立' || NOT_KANA_NAME.has(first.surface))
        continue;
      if (first.posDetail1 !== '一般' && first.posDetail1 !== '固有名詞') continue;
      // 娘のおもちゃ, 父のいびき: an everyday word; only a known given name, a proper noun or a
      // name set off by ・ (主人公・すみれ) reads as a person.
      const dotted = (tokens[k - 1] as Token).surface === '・';
      const proper = first.posDetail1 === '固有名詞' || first.reading === '';
      if (!dotted && !proper && !HIRAGANA_GIVEN_NAMES.has(first.surface)) continue;
      j = k + 1;
      stop = end(first);
    } else {
      // A kanji given name the analyser shatters (龍|一|郎, 直|広) or files as a name (豊).
      let chars = 0;
      let pieces = 0;
      let person = false;
      while (j < tokens.length && j < k + 3) {
        const t = tokens[j] as Token;
        if (t.start !== stop && j > k) break;
        if (!KANJI.test(t.surface)) break;
        const single = t.surface.length === 1;
        if (!(isPerson(t) && t.posDetail3 === '名') && !single) break;
        if (!isNoun(t) && !(t.pos === '接頭詞' && j === k)) break;
        // 三|香, 一|輝: a numeral opens a given name only before a kanji that is not a counter.
        if (t.posDetail1 === '数' && j === k && !(prose && numeralOpensName(tokens, j))) break;
        // 服|屋, 本|店: a word and its suffix, not a given name.
        if (t.posDetail1 === '接尾' && t.posDetail2 !== '人名') break;
        if (isPerson(t)) person = true;
        chars += t.surface.length;
        pieces++;
        stop = end(t);
        j++;
      }
      if (chars === 0 || chars > 3 || (pieces < 2 && !person)) continue;
    }
    const next = tokens[j];
    if (next === undefined || next.start !== stop) continue;
    if (!(next.pos === '助詞' && BOUNDARY_PARTICLES.has(next.surface)) && next.surface !== '、')
      continue;
    out.push(nameCandidate(first.start, stop, 0.6, 'pii.person_name.kin'));
    k = j;
  }
  return out;
};

/**
 * 政緒の死去, 春吉の死によって: a short kanji name the analyser does not file as one, before の and
 * something only a person has.
 */
const ownerCues = (tokens: readonly Token[]): Candidate[] => {
  const out: Candidate[] = [];
  for (let n = 1; n + 1 < tokens.length; n++) {
    const no = tokens[n] as Token;
    if (no.surface !== 'の' || !PERSON_HEADS.has((tokens[n + 1] as Token).surface)) continue;
    let j = n - 1;
    let chars = 0;
    let singles = 0;
    let nameLike = false;
    while (j >= 0 && n - j <= 3) {
      const t = tokens[j] as Token;
      const after = tokens[j + 1] as Token;
      if (end(t) !== after.start || !KANJI.test(t.surface)) break;
      if (!isNoun(t) && t.pos !== '接頭詞') break;
      if (t.posDetail1 === '数' || t.posDetail2 === '地域' || t.posDetail2 === '組織') {
        chars = 0;
        break;
      }
      if (t.posDetail1 === '接尾' || t.posDetail1 === '代名詞' || t.posDetail1 === '非自立') break;
      if (isPerson(t) || t.reading === '') nameLike = true;
      if (t.surface.length === 1) singles++;
      chars += t.surface.length;
      j--;
    }
    const first = j + 1;
    if (first >= n || chars < 2 || chars > 4 || !(nameLike || singles >= 2)) continue;
    if (opensWord(tokens, first, AFTER_PREDICATE))
      out.push(
        nameCandidate((tokens[first] as Token).start, no.start, 0.6, 'pii.person_name.owner'),
      );
  }
  return out;
};

/**
 * `prose`: the text reads as encyclopedic prose, not as a comment; a cue that a comment's
 * everyday words could trip (娘の三|香 against 娘の二|重跳び) runs only there.
 */
const findContextNameCues = (
  text: string,
  tokens: readonly Token[],
  prose: boolean,
): Candidate[] => [...initialsCues(text), ...kinCues(tokens, prose), ...ownerCues(tokens)];

const NAME_CONTEXT_PATTERNS: readonly RegExp[] = [
  INITIALS_NAME,
  LATIN_MIDDLE_INITIALS,
  BIRTH_ORDER,
  KANJI,
  HIRAGANA_NAME,
];

export { findContextNameCues, NAME_CONTEXT_PATTERNS, PERSON_HEADS };
