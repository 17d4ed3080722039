import { type Candidate, near } from './candidate';
import { PLATE_AREAS } from './plate-areas';

/**
 * Recognisers for personal data with letters or words around the digits: e-mail (including the
 * obfuscated `＠`/"at"/アットマーク forms), passport numbers, birth dates and licence plates.
 * All patterns run on the normalised text; each starts only at a boundary (a look-behind on the
 * first character) so a scan over hostile input stays linear.
 */

const AT = String.raw`(?:@|\s?(?:\(at\)|\[at\]|<at>|\(アット\)|アットマーク|あっとまーく|アット)\s?|\sat\s)`;
const DOT = String.raw`(?:\.|\s?(?:\(dot\)|\[dot\]|<dot>|ドット|どっと)\s?|\sdot\s)`;
const EMAIL = new RegExp(
  String.raw`(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}${AT}[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62})(?:${DOT}[A-Za-z0-9\-]{1,63}){1,6}`,
  'gi',
);
// Checked on the last label only (anchored both ends), so a long run of letters costs one pass.
const TLD = /^[A-Za-z]{2,24}$/;
const LABEL_SEPARATOR = /\.|dot|ドット|どっと|\s/i;

const findEmails = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (const m of text.matchAll(EMAIL)) {
    const value = m[0];
    if (!TLD.test(value.split(LABEL_SEPARATOR).pop() ?? '')) continue;
    const plain = value.includes('@');
    out.push({
      type: 'email',
      start: m.index,
      end: m.index + value.length,
      score: plain ? 0.95 : 0.8,
      rule: plain ? 'pii.email.pattern' : 'pii.email.obfuscated',
    });
  }
  return out;
};

// Japan's are two letters and seven digits; other countries use one or two letters and seven to
// nine digits (X48210937), which only words about a passport tell from an order code.
const PASSPORT = /(?<![A-Za-z0-9])[A-Za-z]{1,2}[ -]?[0-9]{7,9}(?![0-9])/g;
const PASSPORT_HOT = /パスポート|旅券|passport|pass no/i;
// Japanese passports begin with T or M followed by a letter (TK, TR, TZ, MZ…); anything else needs words.
const JP_PASSPORT = /^[TM][A-Z][ -]?[0-9]{7}$/;

const findPassports = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (const m of text.matchAll(PASSPORT)) {
    const end = m.index + m[0].length;
    const context = near(text, m.index, end, PASSPORT_HOT, 60, 20);
    if (!context && !JP_PASSPORT.test(m[0])) continue;
    out.push({
      type: 'passport',
      start: m.index,
      end,
      score: context ? 0.9 : 0.55,
      rule: context ? 'pii.passport.context' : 'pii.passport.shape',
    });
  }
  return out;
};

// 1985年7月22日, 昭和60年7月22日, 1985/07/22, 1985.7.22, 1985-07-22, S60.7.22.
const DATE = new RegExp(
  `(?<![0-9])(?:(?:19|20)[0-9]{2}|(?:明治|大正|昭和|平成|令和|[MTSHR])(?:[0-9]{1,2}|元))` +
    String.raw`(?: ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日|[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}(?![0-9]))`,
  'g',
);
const BIRTH_BEFORE =
  /(?:生年月日|誕生日|たんじょうび|生まれ|うまれ|産まれ|誕生|出生|DOB|birthday|b-?day)[^。！!？?\n]{0,6}$/i;
const BIRTH_AFTER = /^[)）\]」 ]{0,2}(?:生まれ|うまれ|産まれ|生|誕生|出生|b(?:irth|-?day))/i;

const findBirthDates = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (const m of text.matchAll(DATE)) {
    const end = m.index + m[0].length;
    const before = BIRTH_BEFORE.test(text.slice(Math.max(0, m.index - 16), m.index));
    const after = BIRTH_AFTER.test(text.slice(end, end + 8));
    if (!before && !after) continue;
    out.push({
      type: 'birth_date',
      start: m.index,
      end,
      score: 0.9,
      rule: 'pii.birth_date.context',
    });
  }
  return out;
};

// 札幌 300 あ 12-34, 品川500さ・・・1, 旭川 100 は 23-01.
const PLATE = new RegExp(
  `(?:${PLATE_AREAS.join('|')}) ?[0-9]{1,3} ?[ぁ-ゖ] ?(?:[0-9]{1,2}-[0-9]{2}|[・.]{1,3} ?[0-9]{1,3}|[0-9]{4})(?![0-9])`,
  'g',
);

const findPlates = (text: string): Candidate[] =>
  Array.from(text.matchAll(PLATE), (m) => ({
    type: 'license_plate' as const,
    start: m.index,
    end: m.index + m[0].length,
    score: 0.9,
    rule: 'pii.license_plate.pattern',
  }));

const TEXT_PATTERNS: readonly RegExp[] = [
  EMAIL,
  TLD,
  LABEL_SEPARATOR,
  PASSPORT,
  PASSPORT_HOT,
  JP_PASSPORT,
  DATE,
  BIRTH_BEFORE,
  BIRTH_AFTER,
  PLATE,
];

export { findBirthDates, findEmails, findPassports, findPlates, TEXT_PATTERNS };
