import type { Token } from '../tokenizer';
import type { Candidate } from './candidate';
import { end, isPerson, nameCandidate, tokensOver } from './name-tokens';
import { HONORIFIC, isCommentLike, PLACES_OF_LIFE, RELATIONS } from './names-privacy';

/**
 * Name families of comment sections that Wikipedia-style cues (names*.ts) do not see: children's
 * names in hiragana before くん/ちゃん, a family member's name after うちの/孫の, names spelt out
 * letter by letter, the holder's name after a bank account, a family name on a small shop, and
 * Latin names introduced by a relation or a role in English comments. Also the other way round:
 * people in public roles (candidates canvassing, mayors, celebrities a scam impersonates), whom the
 * city does not hide, and kanji words in a comment with no kana at all (Chinese), which are not
 * Japanese names whatever the analyser says.
 */

// と and や join names in a list (上田くんとゆうきくん).
const BOUNDARY_BEFORE = String.raw`(?<=^|[\s、。！？!?「『（(・のはもにをとや]|[\p{Emoji_Presentation}])`;

// A child's name in hiragana before くん/ちゃん (はるとくん, たなかりくくん, やまもと そうたくん, and
// the parent named after the child: ゆうとくんママ). The honorific must end the word: してくんない
// is a verb.
const KANA_CHILD = new RegExp(
  `${BOUNDARY_BEFORE}([ぁ-ゖ]{2,6}(?: [ぁ-ゖ]{2,5})?)(?=(?:くん|ちゃん|君)(?:$|ママ|パパ|[\\sのはがもにとをへやっでだ、。！？!?」）)〜ー]|[\\p{Emoji_Presentation}]))`,
  'gu',
);
// Family words and pets that take ちゃん/くん themselves (ばあちゃん, おにいちゃん, わんちゃん),
// runs that hold a particle (うちのばあ), and words before 君 as "you" (もし君が).
const NOT_CHILD_NAME =
  /^(?:お|ばあ|じい|かあ|とう|ねえ|にい|あか|ぼっ|じょう|ぼく|わたし|みんな|わん|にゃ|くま|うさ|ぱん|まご|ねこ|いぬ|ぶた|かわい|ひとり|ちび)|の|(?:ばあ|じい|かあ|とう|ねえ|にい)$|^(?:もし|でも|ただ|まあ|ほら|だから|それ|あと|そして|なあ)$/u;

// A family name in hiragana before さん or 先生 (ふじたさんちの息子, たけうち先生): three to five
// letters, not a word for a role or a family member (みなさん, おいしゃさん, だんなさん).
const KANA_SURNAME = new RegExp(
  `${BOUNDARY_BEFORE}([ぁ-ゖ]{3,5})(?=先生|せんせい|さん(?:$|[\\sのはがもにとをへやっでだち、。！？!?」）)〜ー]|[\\p{Emoji_Presentation}]))`,
  'gu',
);
const NOT_KANA_SURNAME =
  /^(?:お|ご)|^(..?)\1|の|みな|みんな|こんにち|こんばん|ありがと|すみま|どうも|ごめん|だんな|いしゃ|かんごし|べんごし|けいさつ|しょうぼう|うんてんし|ほいくし|せんせい|ぼうず|おまわり|よめ|むこ|ねえ|にい|ばあ|じい|かあ|とう/u;

// A family member named right after うちの/孫の/娘の… (うちの孫のこうき、, うちのみつきも).
const KIN_KANA =
  /(?:うちの|(?:孫|娘|息子|長男|長女|次男|次女|末っ子|弟|妹)の)([ぁ-ゖ]{2,4})(?=[、，,]|も[^の]|は|が|です|って|ちゃん|くん|の(?:入学|卒業|誕生|運動会|担任|クラス))/gu;
// Everyday words that follow うちの/孫の as words.
const NOT_KANA_GIVEN = new Set(
  (
    'ねこ いぬ こども むすこ むすめ まご あに あね いもうと おとうと ちち はは おや かぞく みんな ひと しごと ' +
    'いえ にわ くるま はたけ ほう まち こと もの ため ぶん やつ あたり へん ちかく まわり ばあちゃん じいちゃん ' +
    'かあちゃん とうちゃん だんな よめ おっと つま だれ なか まえ うしろ そと かわ やま うみ こめ ' +
    'まち むら となり へや がっこう かいしゃ みせ きんじょ ちいき とこ ところ ほう ぶん ばしょ'
  ).split(' '),
);

// A name typed letter by letter to dodge filters, before a title (ま え だコーチ).
const SPACED_LETTERS =
  /(?<![\p{Script=Han}ぁ-ゖァ-ヺ])(?:[\p{Script=Han}ぁ-ゖァ-ヺ] ){2,5}[\p{Script=Han}ぁ-ゖァ-ヺ](?= ?(?:コーチ|先生|さん|くん|ちゃん|監督|選手|君|様))/gu;

// Words that introduce an account holder or an addressee (名義, 受取人, 宛名).
const HOLDER_WORDS = '名義|受取人|受け取り人|宛名|振込人';
// The account holder after an account number or one of those words (普通 7731904 ニシムラ ヨウコ).
const ACCOUNT_HOLDER = new RegExp(
  `(?:[0-9０-９]{6,8} ?|(?:${HOLDER_WORDS})(?:は|：|:)? ?)([ァ-ヺー]{2,8}(?:[ 　][ァ-ヺー]{2,8})?)(?=[ 　]?(?:まで|へ|に|宛|名義|さん|様|です|でした|$|[、。\n]))`,
  'gu',
);

// A small shop or clinic named after its family (佐藤商店, 三浦整骨院, 佐々木鮮魚店).
const SHOP_WORDS =
  /^(?:商店|鮮魚店|精肉店|青果店|酒店|酒屋|米店|米屋|豆腐店|豆腐屋|魚屋|肉屋|八百屋|整骨院|接骨院|治療院|鍼灸院|医院|歯科|歯科医院|内科|眼科|工務店|理容室|理容店|理髪店|美容室|美容院|食堂)(?:[のでにはがもとを、。]|さん|$|\s)/u;

// Latin names after a relation or a role in an English comment (My daughter Emily, expert Daniel Whitmore).
const LATIN_INTRODUCED =
  /\b(?:daughter|son|wife|husband|mother|mom|mum|father|dad|brother|sister|friend|grandson|granddaughter|grandma|grandpa|neighbou?r|teacher|coach|expert|agent|advisor|adviser|manager|named|called|Mr\.?|Mrs\.?|Ms\.?|Dr\.?) ([A-Z][a-z]{1,14}(?: [A-Z][a-z]{1,14})?)\b/g;

/** Cues read from the text alone: they run on comments with no kanji or katakana too. */
// Cheap tests that rule a cue out before its pattern runs: most comments hold none of these.
const HONORIFIC_HINT = /くん|ちゃん|君|さん|先生|せんせい/u;
const KIN_HINT = /うちの|の[ぁ-ゖ]/u;
const SPACED_HINT = /[^ ] [^ ] [^ ]/u;
// 名義はカタカナです, 宛名はフルネームで: how the holder's name is to be written, not the name.
const HOW_A_NAME_IS_WRITTEN =
  /^(?:カタカナ|フリガナ|フルネーム|ニックネーム|ペンネーム|ハンドルネーム|ローマジ)$/u;
const ACCOUNT_HINT = new RegExp(`[0-9０-９]{6}|${HOLDER_WORDS}`, 'u');
const LATIN_HINT = /[A-Za-z]{2}/;

/** The matches of `pattern`, looked for only when the cheap `hint` occurs. */
const hinted = (text: string, hint: RegExp, pattern: RegExp): Iterable<RegExpExecArray> =>
  hint.test(text) ? text.matchAll(pattern) : [];

const kanaCues = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (const m of hinted(text, HONORIFIC_HINT, KANA_CHILD)) {
    const name = m[1] ?? '';
    if (NOT_CHILD_NAME.test(name)) continue;
    out.push(nameCandidate(m.index, m.index + name.length, 0.75, 'pii.person_name.kana_child'));
  }
  for (const m of hinted(text, HONORIFIC_HINT, KANA_SURNAME)) {
    const name = m[1] ?? '';
    if (NOT_KANA_SURNAME.test(name)) continue;
    out.push(nameCandidate(m.index, m.index + name.length, 0.65, 'pii.person_name.kana_surname'));
  }
  for (const m of hinted(text, KIN_HINT, KIN_KANA)) {
    const name = m[1] ?? '';
    if (NOT_KANA_GIVEN.has(name) || NOT_CHILD_NAME.test(name)) continue;
    const start = m.index + m[0].length - name.length;
    out.push(nameCandidate(start, start + name.length, 0.7, 'pii.person_name.kin_kana'));
  }
  for (const m of hinted(text, SPACED_HINT, SPACED_LETTERS))
    out.push(nameCandidate(m.index, m.index + m[0].length, 0.75, 'pii.person_name.spaced'));
  for (const m of hinted(text, ACCOUNT_HINT, ACCOUNT_HOLDER)) {
    const name = m[1] ?? '';
    if (HOW_A_NAME_IS_WRITTEN.test(name)) continue;
    const start = m.index + m[0].length - name.length;
    out.push(nameCandidate(start, start + name.length, 0.8, 'pii.person_name.account_holder'));
  }
  for (const m of hinted(text, LATIN_HINT, LATIN_INTRODUCED)) {
    const name = m[1] ?? '';
    const start = m.index + m[0].length - name.length;
    out.push(nameCandidate(start, start + name.length, 0.7, 'pii.person_name.latin_introduced'));
  }
  return out;
};

// A family's home said the way people say it (田中んとこの息子, 佐藤んちの犬).
const FAMILY_HOME_AFTER = /^(?:んち|んとこ|ん家|ンチ|ントコ)/u;

/** 田中んとこ, 佐藤んち: a surname before the colloquial "…'s place". */
const familyHomeCues = (
  text: string,
  tokens: readonly Token[],
  isKnownSurname: (surface: string) => boolean,
): Candidate[] => {
  const out: Candidate[] = [];
  for (const t of tokens) {
    if (!((isPerson(t) && t.posDetail3 === '姓') || isKnownSurname(t.surface))) continue;
    if (FAMILY_HOME_AFTER.test(text.slice(end(t), end(t) + 3)))
      out.push(nameCandidate(t.start, end(t), 0.75, 'pii.person_name.family_home'));
  }
  return out;
};

// A hiragana given name after a family name, read from the text where the analyser cuts it into
// other words (佐藤|ここ|なに, 鈴木|ひな|の|が, 高橋|み|ゆう|って): the kana run up to an honorific, or
// without the particle that ends it.
const KANA_RUN_AFTER = /^[ぁ-ゖ]{2,8}/u;
const HONORIFIC_IN_KANA = /くん|ちゃん|さん|さま|せんせい|っち/u;
const PARTICLE_END =
  /(?:だけど|だって|って|から|まで|より|には|とは|にも|とか|なんか|なんて|ったら|が|は|に|を|と|も|の|へ|や|で|だ|ね|よ|さ|な)$/u;
// What may follow the name: a mark, or an honorific written in kanji (えりな先生: the な is hers).
const KANA_GIVEN_STOP = /^(?:$|[\s、。,.!?！？」）)…〜ー]|[\p{Emoji_Presentation}])/u;
const KANJI_HONORIFIC = /^(?:先生|君|様|氏)/u;
const KANA_GIVEN_WORD =
  /^(?:ここ|そこ|あそこ|どこ|これ|それ|あれ|みんな|みな|あの|その|この|なに|なん|たち|ども|さん|ちゃん|くん|さま|ばあ|じい|おば|おじ|いつ|また|まだ|もう|すごく|とても|ちょっと)$|^[おご]/u;

const SPACE = /^[ 　]$/u;
// A particle, a suffix or a verb the analyser reads where a given name opens with と or も
// (と|もや, も|え, もめ|あ).
const PARTICLE_OPENING = /^[とも][ぁ-ゖ]{0,3}$/u;
// Runs of particles and grammar words that open with と or も (佐藤とかが, 佐藤とは, 佐藤もう).
const PARTICLE_WORDS =
  /^(?:とか|とは|とも|との|とで|とに|とが|とや|とを|とへ|もう|もし|もの|もん|もと|もっと|とき|ところ|とこ|ともに)$/u;
// Verb and auxiliary endings (佐藤ともめた, 佐藤とあって, 佐藤もいない).
const VERB_ENDING = /(?:た|だ|て|で|い|う|ます|ない|れる|られる|せる)$/u;

/** 佐藤ここなに, 鈴木ひなのが, 山口えりな先生: a family name and a hiragana given name the analyser cut. */
const kanaGivenCues = (
  text: string,
  tokens: readonly Token[],
  isKnownSurname: (surface: string) => boolean,
): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i] as Token;
    if (!((isPerson(t) && t.posDetail3 === '姓') || isKnownSurname(t.surface))) continue;
    // 森田 もえ: one space may stand between the two names.
    const spaced = SPACE.test((tokens[i + 1] as Token).surface);
    const gap = spaced ? (tokens[i + 1] as Token).surface.length : 0;
    const first = tokens[i + (spaced ? 2 : 1)];
    if (first === undefined) continue;
    // The kana must open with a word (a noun, a prefix or a given name), never a particle or a
    // verb's ending (佐藤がいた, 中村ならいい); 留萌みたいな: a dependent noun (みたい, ため) is grammar, not a name.
    if (first.start !== end(t) + gap) continue;
    // 森田|も|え, 佐藤|とも|や: a given name opening with と or も, which the analyser reads as a
    // particle or a suffix; taken only on stricter terms below.
    const particleOpen = PARTICLE_OPENING.test(first.surface);
    if (
      !particleOpen &&
      ((first.pos !== '名詞' && first.pos !== '接頭詞') ||
        first.posDetail1 === '非自立' ||
        first.posDetail1 === '接尾')
    )
      continue;
    const prev = tokens[i - 1];
    // 日本|佐藤…: a family name glued to a noun before it is inside a compound.
    if (prev !== undefined && end(prev) === t.start && prev.pos === '名詞') continue;
    const from = end(t) + gap;
    const run = KANA_RUN_AFTER.exec(text.slice(from, from + 8))?.[0];
    if (run === undefined) continue;
    const honorific = HONORIFIC_IN_KANA.exec(run);
    let name = honorific !== null ? run.slice(0, honorific.index) : run;
    const after = text.slice(from + run.length, from + run.length + 2);
    if (honorific === null && !KANJI_HONORIFIC.test(after)) {
      const particle = PARTICLE_END.exec(name);
      if (particle !== null) name = name.slice(0, particle.index);
      else if (!KANA_GIVEN_STOP.test(after)) continue;
    }
    if (name.length < 2 || name.length > 4 || KANA_GIVEN_WORD.test(name)) continue;
    // 佐藤ともめた, 佐藤とかが, 佐藤もいた: what opens with a particle is grammar unless it ends as a
    // name does: before an honorific, or not in a verb's or an auxiliary's ending.
    if (particleOpen && honorific === null && (PARTICLE_WORDS.test(name) || VERB_ENDING.test(name)))
      continue;
    out.push(nameCandidate(t.start, from + name.length, 0.9, 'pii.person_name.kana_given'));
  }
  return out;
};

const CHILD_HONORIFICS = new Set(['ちゃん', 'くん', '君']);
const SINGLE_KANJI = /^[\p{Script=Han}々]$/u;

/**
 * 陽|菜ちゃん, 蒼|空くん: a child's given name in kanji that the analyser shatters into single
 * characters, before a child's honorific, standing on its own (not the tail of a compound).
 */
const kanjiChildCues = (tokens: readonly Token[]): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 2; i < tokens.length; i++) {
    if (!CHILD_HONORIFICS.has((tokens[i] as Token).surface)) continue;
    let j = i;
    while (j > i - 3 && j > 0) {
      const t = tokens[j - 1] as Token;
      if (end(t) !== (tokens[j] as Token).start || !SINGLE_KANJI.test(t.surface)) break;
      if (t.pos !== '名詞' || t.posDetail1 === '数' || t.posDetail1 === '接尾') break;
      j--;
    }
    if (i - j < 2) continue;
    const before = tokens[j - 1];
    if (before !== undefined && end(before) === (tokens[j] as Token).start && before.pos === '名詞')
      continue;
    out.push(
      nameCandidate(
        (tokens[j] as Token).start,
        end(tokens[i - 1] as Token),
        0.8,
        'pii.person_name.kanji_child',
      ),
    );
  }
  return out;
};

/** 佐藤商店のじいさん, 三浦整骨院: the family name on a small shop names that family. */
const shopCues = (
  text: string,
  tokens: readonly Token[],
  isKnownSurname: (surface: string) => boolean,
): Candidate[] => {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const surname = (isPerson(t) && t.posDetail3 === '姓') || isKnownSurname(t.surface);
    if (!surname) continue;
    const prev = tokens[i - 1];
    if (prev !== undefined && end(prev) === t.start && prev.pos === '名詞') continue;
    if (!SHOP_WORDS.test(text.slice(end(t), end(t) + 8))) continue;
    out.push(nameCandidate(t.start, end(t), 0.7, 'pii.person_name.shop_family'));
  }
  return out;
};

// A name right after a relation or a place of everyday life and の, ending at an honorific or a
// particle, the particles of speech included (保育園のみお先生, 同級生の翔が, 後輩の優斗くん, 町内の
// 青木よ、, 職場の松田ったら).
const RELATION_NAME = new RegExp(
  `(?:${RELATIONS}|${PLACES_OF_LIFE})の([\\p{Script=Han}々]{1,3}|[ぁ-ゖ]{2,4}|[ァ-ヺー]{2,5})(?=(${HONORIFIC})|[がはもとにをへ、。！？!?]|って|ったら|なんか|なんて|まで|[さよねな][、,\\s!！])`,
  'gu',
);
const RELATION_HINT = /の[\p{Script=Han}々ぁ-ゖァ-ヺ]/u;
const KANJI_NAME = /^[\p{Script=Han}々]+$/u;
// ってやつ names things too (漁師町の気質ってやつ): only a word for a person counts here.
const CALLED_PERSON = /^(?:って|っていう|という)(?:人|ひと|男|女)/u;
const IS_RELATION = new RegExp(`^(?:${RELATIONS})$`, 'u');
const HIRAGANA_NAME = /^[ぁ-ゖ]+$/u;
// Family words, roles and pronouns in kana that take an honorific themselves (おばさん, ママさん).
const NOT_KANA_NAME =
  /^(?:お|ご)|^(?:ママ|パパ|ババ|ジジ|みんな|みな|あなた|あんた|だんな|よめ|むこ|にい|ねえ|ばあ|じい|かあ|とう)|(?:ばあ|じい|かあ|とう|ねえ|にい)$/u;

/**
 * 保育園のみお先生, 同級生の翔が: a name introduced by a relation or a place of everyday life.
 * Before an honorific the name may be any word but a common noun (社長さん, 奥さん); before a
 * particle only a word the dictionary files as a name or a proper noun.
 */
const relationCues = (
  text: string,
  tokens: readonly Token[],
  isKnownSurname: (surface: string) => boolean,
): Candidate[] => {
  // Wikipedia's 母校の明大 is prose about institutions, not a comment about a neighbour.
  if (!RELATION_HINT.test(text) || !isCommentLike(text)) return [];
  const out: Candidate[] = [];
  RELATION_NAME.lastIndex = 0;
  for (let m = RELATION_NAME.exec(text); m !== null; m = RELATION_NAME.exec(text)) {
    const name = m[1] ?? '';
    const start = m.index + m[0].length - name.length;
    const stop = start + name.length;
    const honorific = m[2] !== undefined;
    const inside = tokensOver(tokens, start, stop);
    const aligned =
      inside.length > 0 &&
      (inside[0] as Token).start >= start &&
      end(inside[inside.length - 1] as Token) <= stop;
    const properOrUnknown = inside.some(
      (t) =>
        (t.posDetail1 === '固有名詞' && t.posDetail2 !== '組織') || t.reading === '' || isPerson(t),
    );
    let ok: boolean;
    if (KANJI_NAME.test(name)) {
      // 優|斗くん: a given name the analyser shatters into single characters.
      const shattered = inside.length >= 2 && inside.every((t) => t.surface.length === 1);
      // 受付の東って人: "called" after a relation makes even a common word a name.
      const called = CALLED_PERSON.test(text.slice(stop, stop + 8)) && !IS_RELATION.test(name);
      // 町内の青木よ: a common family name the dictionary also knows as a word (青木, a shrub).
      ok =
        aligned && (properOrUnknown || (honorific && shattered) || called || isKnownSurname(name));
      // 社長さん, 部活が: a role or a thing, not a name.
      if (inside.some((t) => t.pos !== '名詞' && t.pos !== '接頭詞')) ok = false;
    } else {
      // Hiragana before an honorific is a name unless it is a family word (おばさん, みなさん);
      // katakana only when it is no loanword the dictionary knows (スタッフさん).
      const kana = HIRAGANA_NAME.test(name)
        ? !NOT_KANA_SURNAME.test(name)
        : properOrUnknown || !aligned;
      ok = honorific && kana && !NOT_KANA_NAME.test(name);
    }
    if (ok) out.push(nameCandidate(start, stop, 0.7, 'pii.person_name.relation'));
  }
  return out;
};

// A child's name in katakana before くん/ちゃん (リコちゃん, ケンくん); family words and pets that
// take ちゃん themselves are not names.
const KATAKANA_CHILD =
  /(?<![ァ-ヺー])([ァ-ヺ][ァ-ヺー]{1,3})(?=(?:くん|ちゃん|君)(?:$|[\sのはがもにとをへやっでだ、。！？!?」）〜ー]|[\p{Emoji_Presentation}]))/gu;
const NOT_KATAKANA_CHILD =
  /^(?:ママ|パパ|ババ|ジジ|ワン|ニャン|ネコ|イヌ|ウサ|クマ|パン|オレ|アタシ|ボク|ワタシ)$/u;
// A name written in katakana as family name, a space, and given name (ヤマダ タロウの住所).
const KATAKANA_FULL_NAME =
  /(?<![ァ-ヺー])([ァ-ヺ][ァ-ヺー]{1,5})[ 　]([ァ-ヺ][ァ-ヺー]{1,5})(?=$|[のはがもにとを、。！？!?\s]|さん|くん|ちゃん|様)/gu;
const KATAKANA_HINT = /[ァ-ヺ]/u;

/**
 * リコちゃん, ヤマダ タロウ: names written in katakana that the dictionary does not know. A known
 * loanword is no name, and of a spaced pair one piece must be a name or a place the dictionary
 * knows (a family name is often filed as a place).
 */
const katakanaCues = (text: string, tokens: readonly Token[]): Candidate[] => {
  if (!KATAKANA_HINT.test(text)) return [];
  const out: Candidate[] = [];
  KATAKANA_CHILD.lastIndex = 0;
  for (let m = KATAKANA_CHILD.exec(text); m !== null; m = KATAKANA_CHILD.exec(text)) {
    const name = m[1] ?? '';
    if (NOT_KATAKANA_CHILD.test(name)) continue;
    const inside = tokensOver(tokens, m.index, m.index + name.length);
    const word = inside[0];
    if (
      inside.length !== 1 ||
      word === undefined ||
      word.start !== m.index ||
      end(word) !== m.index + name.length
    )
      continue;
    // スタッフ, ケーキ: a loanword the dictionary knows, longer than a pet name; ゴミ|ちゃんと:
    // a known word before the adverb ちゃんと.
    const known = word.reading !== '' && !isPerson(word);
    if (known && (name.length > 3 || text.startsWith('ちゃんと', m.index + name.length))) continue;
    out.push(nameCandidate(m.index, m.index + name.length, 0.7, 'pii.person_name.honorific'));
  }
  KATAKANA_FULL_NAME.lastIndex = 0;
  for (let m = KATAKANA_FULL_NAME.exec(text); m !== null; m = KATAKANA_FULL_NAME.exec(text)) {
    const first = tokensOver(tokens, m.index, m.index + (m[1] ?? '').length);
    const secondStart = m.index + m[0].length - (m[2] ?? '').length;
    const second = tokensOver(tokens, secondStart, m.index + m[0].length);
    const known = [...first, ...second].some(
      (t) => isPerson(t) || (t.posDetail1 === '固有名詞' && t.posDetail2 === '地域'),
    );
    const loanword = [...first, ...second].some(
      (t) => t.reading !== '' && t.posDetail1 !== '固有名詞',
    );
    if (known && !loanword)
      out.push(nameCandidate(m.index, m.index + m[0].length, 0.7, 'pii.person_name.dictionary'));
  }
  return out;
};

const findCommentNameCues = (
  text: string,
  tokens: readonly Token[],
  isKnownSurname: (surface: string) => boolean,
): Candidate[] => [
  ...kanaCues(text),
  ...shopCues(text, tokens, isKnownSurname),
  ...familyHomeCues(text, tokens, isKnownSurname),
  ...kanaGivenCues(text, tokens, isKnownSurname),
  ...kanjiChildCues(tokens),
  ...relationCues(text, tokens, isKnownSurname),
  ...katakanaCues(text, tokens),
];

/** The cues that need no analysis, for text with no kanji or katakana for the analyser. */
const findTextNameCues = (text: string): Candidate[] => {
  const isPublicOrForeign = publicOrForeignTest(text);
  return kanaCues(text).filter((c) => !isPublicOrForeign(c));
};

// --- People in public roles, and text that is not Japanese -------------------------------------

// Local offices whose holders act in public: a name next to one is not a resident's personal data.
// National titles (首相, 大臣, 大統領) are left out: the Wikipedia set labels those names, and the
// comments under a city's posts speak of the mayor and the council.
const PUBLIC_OFFICE_AFTER =
  /^ ?(?:前|元|現)?(?:市長|町長|村長|副市長|知事|副知事|市議|町議|村議|道議|議員|市議候補|候補|候補者)/u;
// The same offices written before the name (市長の中西さん, 知事・鈴木氏).
const PUBLIC_OFFICE_BEFORE = /(?:市長|町長|村長|知事|議員|市議|候補|候補者)(?:の|・| |　)?$/u;
// A comment canvassing for an election: every name in it is a candidate or a canvasser. Both an
// election word and a word of canvassing must be there (Wikipedia reports elections, it does not
// canvass).
const ELECTION =
  /選挙|市議選|市長選|町議選|村議選|道議選|議員選|投票|一票|候補|後援会|公認|[^政]党/u;
const CANVASSING =
  /よろしく|お願い|清き|一票|に入れ|入れて|入れた|入れよう|入れましょう|応援して|応援しよう|応援してる|応援してます|拡散|選挙カー|期日前|投票して|投票しよう|投票しました|（無所属|無所属・|挑戦します|を市長に|を議会に|議会へ|に託そう|を支持して|街頭演説|出陣式|選んで|選ぼう|しかいない/u;
// A celebrity's name used to sell a scam: [Name 公式], "Name です … 応援ありがとう".
const CELEBRITY_AFTER = /^ ?(?:公式|オフィシャル|official|本人です|本人だよ|本人が直接)/iu;
const CELEBRITY_CONTEXT = /応援|フォロワー|プレゼント|抽選|ファン|お年玉|企画/u;
const SELF_INTRODUCTION = /^[\p{Script=Han}]{0,2}(?:です|と申します|だよ|でーす)/u;
// Children and family members are never candidates, whatever the comment is about.
const PRIVATE_AFTER = /^(?:くん|ちゃん|君)/u;
const KANA = /[ぁ-ゖァ-ヺ]/u;
// Characters of written Chinese (simplified, or traditional forms Japanese does not use): with no
// kana at all they mark a Chinese comment, not a Japanese one written in kanji (山田太郎 090-…).
const CHINESE_ONLY =
  /[们這这吧吗嗎呢啦么麼为為说說还還给給让讓对對从從发發个個来來时过过没样动费无广线乐剧邮当當谢謝们們边见门问间关开长车东书买卖觉认识语话读写请]/u;
const FOREIGN_SPELLING = /^[ァ-ヺー・=＝･·\s]+$/u;
const LATIN_RULES = new Set(['pii.person_name.latin_introduced', 'pii.person_name.account_holder']);

/**
 * A test for name findings in `text`: whether one is someone acting in a public role, or a kanji
 * word in a Chinese comment; such findings are not redacted. What holds for the whole comment is
 * worked out once, so a hostile text with thousands of findings is scanned once, not per finding.
 */
const publicOrForeignTest = (
  text: string,
  commentLike: boolean = isCommentLike(text),
): ((c: Candidate) => boolean) => {
  const canvassing = ELECTION.test(text) && CANVASSING.test(text);
  const celebrity = CELEBRITY_CONTEXT.test(text);
  const chinese = !KANA.test(text) && CHINESE_ONLY.test(text);
  return (c) => {
    const after = text.slice(c.end, c.end + 8);
    if (PRIVATE_AFTER.test(after)) return false;
    if (canvassing || CELEBRITY_AFTER.test(after)) return true;
    // The offices a city's comments speak of are held by people named in kanji or kana, however
    // plainly the comment is written (中西市長の方針には反対だ。). A foreign governor or mayor in
    // katakana in encyclopedic prose is an article's subject, named like any other person (the
    // Wikipedia set labels them).
    const office =
      PUBLIC_OFFICE_AFTER.test(after) ||
      PUBLIC_OFFICE_BEFORE.test(text.slice(Math.max(0, c.start - 5), c.start));
    if (office && (commentLike || !FOREIGN_SPELLING.test(text.slice(c.start, c.end)))) return true;
    if (celebrity && c.start <= 2 && SELF_INTRODUCTION.test(after)) return true;
    return chinese && !LATIN_RULES.has(c.rule);
  };
};

const NAME_COMMENT_PATTERNS: readonly RegExp[] = [
  SINGLE_KANJI,
  KANA_RUN_AFTER,
  HONORIFIC_IN_KANA,
  PARTICLE_END,
  KANA_GIVEN_STOP,
  KANJI_HONORIFIC,
  KANA_GIVEN_WORD,
  PARTICLE_OPENING,
  PARTICLE_WORDS,
  SPACE,
  VERB_ENDING,
  KANA_CHILD,
  NOT_CHILD_NAME,
  KIN_KANA,
  HONORIFIC_HINT,
  KIN_HINT,
  SPACED_HINT,
  ACCOUNT_HINT,
  HOW_A_NAME_IS_WRITTEN,
  LATIN_HINT,
  KANA_SURNAME,
  NOT_KANA_SURNAME,
  SPACED_LETTERS,
  ACCOUNT_HOLDER,
  SHOP_WORDS,
  FAMILY_HOME_AFTER,
  LATIN_INTRODUCED,
  RELATION_NAME,
  RELATION_HINT,
  KATAKANA_CHILD,
  NOT_KATAKANA_CHILD,
  KATAKANA_FULL_NAME,
  KATAKANA_HINT,
  KANJI_NAME,
  CALLED_PERSON,
  IS_RELATION,
  HIRAGANA_NAME,
  NOT_KANA_NAME,
  PUBLIC_OFFICE_AFTER,
  PUBLIC_OFFICE_BEFORE,
  ELECTION,
  CANVASSING,
  CELEBRITY_AFTER,
  CELEBRITY_CONTEXT,
  SELF_INTRODUCTION,
  PRIVATE_AFTER,
  KANA,
  CHINESE_ONLY,
  FOREIGN_SPELLING,
];

export { findCommentNameCues, findTextNameCues, NAME_COMMENT_PATTERNS, publicOrForeignTest };
