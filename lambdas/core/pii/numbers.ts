import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { type Candidate, clamp01, near } from './candidate';
import { cardBrandMatches, luhnValid, myNumberValid } from './checksums';

/**
 * Recognisers for personal data that is a run of digits: phone, My Number, driver's licence, payment
 * card, postal code and bank account. One linear scan finds every digit run (groups joined by a
 * space, '-', '.' or ')'), then each run is judged by its digit count, grouping, check digit and the
 * words around it (Google DLP's hotwords). Everything runs on the normalised text.
 */

// Groups are joined by a dash, a dot, a middle dot (090・1234・5678), a slash, a bracket
// (0164(42)1234), の as addresses are written (090の1234の5678) or one or two spaces. A run starts
// where no digit or letter precedes it (so `TR1248030` is left to the passport rule and the scan
// is linear), or right after TEL or FAX (℡ folds to TEL); a country code (`+81`, `+44`) and a
// leading `(` belong to phone numbers.
const DIGIT_RUN =
  /(?:(?<![0-9A-Za-z+])|(?<=TEL|Tel|tel|FAX|Fax|fax))(?:\+[1-9][0-9]{0,2} ?|\()?[0-9]+(?:(?: ?[-.()/・･·の] ?| {1,2})[0-9]+)*/g;

const PHONE_HOT =
  /電話|でんわ|TEL|Tel|tel|携帯|ケータイ|スマホ|連絡|☎|📞|📱|FAX|Fax|fax|問い?合わ?せ|かけて|コール|ショートメール|SMS|WhatsApp|whatsapp|phone|call|text me/i;
// A city office, a help desk or a shop's main line is published on purpose: it is nobody's personal
// number. Mobile numbers never get this discount (staff hand theirs out too).
const PUBLIC_LINE_HOT =
  /市役所|町役場|村役場|役場|役所|代表|窓口|支所|出張所|センター|事務局|受付|公式|広報|ホームページ|HP/;
const MY_NUMBER_HOT = /マイナンバー|まいなんばー|個人番号|マイナ|通知カード|my ?number/i;
const LICENSE_HOT = /免許|運転|ライセンス|licen[cs]e/i;
const CARD_HOT =
  /カード|クレカ|クレジット|card|visa|jcb|master|amex|アメックス|ダイナース|決済|有効期限|cvv|cvc|セキュリティコード|fullz|💳/i;
const BANK_HOT =
  /銀行|信金|信用金庫|信用組合|労働金庫|労金|農協|JA|ゆうちょ|郵便局|口座|普通|当座|貯蓄|支店|本店|振込|振り込|振込み|名義|記号/;
const POSTAL_HOT = /〒|郵便番号|ゆうびん|住所|postal|zip/i;
// Words that say "this number is something else": an order, a product, a record, a quantity.
const NOT_PII_HOT =
  /注文番号|注文No|商品コード|バーコード|JANコード|オーダー番号|受付番号|伝票|追跡|問い合わせ番号|お問合せ番号|予約番号|会員番号|整理番号|管理番号|品番|型番|商品番号|ISBN|isbn|JAN|シリアル|製造番号|ロット|レシート|ゼッケン|背番号|チケット|座席|部屋番号|ID:/;
const NUMBER_END_NOT_PII =
  /^ ?(?:円|万|億|千|人(?![気名])|名(?![義前字簿])|個|件|回|点|票|枚|台|本(?![店人名])|冊|杯|kg|g|km|m|cm|mm|%|％|度|℃|年|歳|才|ヶ月|か月|日|時|分|秒|位|号線|番線|系統|ページ|頁|p|P)/;

const DIGITS = /[0-9]+/g;
const MOBILE_PREFIX = /^0[5789]0/;
const KANJI_FOLLOWS = /^ ?[\p{Script=Han}]{2}/u;
const POSTAL_MARK_BEFORE = /〒 ?$/;
const ACCOUNT_WORD = /口座|普通|当座|貯蓄|支店|本店|記号/;
const ENDS_WITH_DIGIT = /[0-9]$/;

interface DigitRun {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
  readonly groups: readonly number[];
  /** True for a number after a foreign country code (`+44 7700 900123`); `digits` then holds the code too. */
  readonly international?: boolean;
}

const JAPAN_CODE = /^\+81 ?/;
const GROUP_SEPARATOR = / ?[-.()/・･·の] ?/;

/**
 * Digits typed one by one with spaces (`0 9 0 - 4 4 1 2`) are grouped by the other separators, as
 * a reader groups them; otherwise every space-separated group counts.
 */
const groupsOf = (body: string, parts: readonly string[]): number[] => {
  const lengths = parts.map((p) => p.length);
  if (lengths.length < 6 || lengths.some((n) => n !== 1)) return lengths;
  return body.split(GROUP_SEPARATOR).map((g) => g.replaceAll(' ', '').length);
};

const splitRun = (raw: string, start: number): DigitRun => {
  const end = start + raw.length;
  const japan = JAPAN_CODE.exec(raw);
  const body = japan === null ? raw : raw.slice(japan[0].length);
  const parts = body.match(DIGITS) ?? [];
  const digits = parts.join('');
  const groups = groupsOf(body, parts);
  // +81 90-... is 090-... in national form.
  if (japan !== null) return { start, end, digits: `0${digits}`, groups };
  // Where the country code ends is libphonenumber's business: it knows every code's length.
  if (raw.startsWith('+')) return { start, end, digits, groups, international: true };
  return { start, end, digits, groups };
};

const isPhoneShaped = (run: DigitRun): boolean => {
  const d = run.digits;
  if (d[0] !== '0' || d[1] === '0') return false;
  if (d.length === 11) return MOBILE_PREFIX.test(d) || d.startsWith('0800');
  return d.length === 10;
};

/** A number after a foreign country code: judged by libphonenumber's length rules for that country. */
const foreignPhone = (text: string, run: DigitRun): Candidate | undefined => {
  const parsed = parsePhoneNumberFromString(`+${run.digits}`);
  if (parsed === undefined || !parsed.isPossible()) return undefined;
  let score = parsed.isValid() ? 0.85 : 0.65;
  if (near(text, run.start, run.end, PHONE_HOT, 30, 12)) score += 0.1;
  return {
    type: 'phone',
    start: run.start,
    end: run.end,
    score: clamp01(score),
    rule: 'pii.phone.international',
  };
};

const phone = (text: string, run: DigitRun): Candidate | undefined => {
  if (run.international === true) return foreignPhone(text, run);
  if (!isPhoneShaped(run)) return undefined;
  if (run.groups.some((g) => g > 6 && run.groups.length > 1)) return undefined;
  const valid = parsePhoneNumberFromString(run.digits, 'JP')?.isValid() ?? false;
  // Groups as written must look like a phone number (3-4-4, 2-4-4, 4-2-4, 0120-xxx-xxx, unbroken),
  // unless the digits are a valid Japanese number: then any grouping (090-12-34-5678) is one.
  if (run.groups.length > (valid ? 6 : 3)) return undefined;
  let score = valid ? 0.85 : 0.6;
  if (near(text, run.start, run.end, PHONE_HOT, 20, 6)) score += 0.1;
  if (near(text, run.start, run.end, NOT_PII_HOT, 12)) score -= 0.4;
  if (!MOBILE_PREFIX.test(run.digits) && near(text, run.start, run.end, PUBLIC_LINE_HOT, 12))
    score -= 0.5;
  return {
    type: 'phone',
    start: run.start,
    end: run.end,
    score: clamp01(score),
    rule: valid ? 'pii.phone.jp' : 'pii.phone.shape',
  };
};

const twelveDigits = (text: string, run: DigitRun): Candidate | undefined => {
  if (run.digits.length !== 12 || run.international === true) return undefined;
  if (run.groups.some((g) => g !== 4) && run.groups.length > 1) return undefined;
  if (near(text, run.start, run.end, NOT_PII_HOT, 12)) return undefined;
  if (near(text, run.start, run.end, LICENSE_HOT, 30, 4))
    return {
      type: 'drivers_license',
      start: run.start,
      end: run.end,
      score: 0.9,
      rule: 'pii.drivers_license.context',
    };
  const checkDigit = myNumberValid(run.digits);
  const context = near(text, run.start, run.end, MY_NUMBER_HOT, 40, 10);
  if (!checkDigit && !context) return undefined;
  const score = checkDigit && context ? 0.95 : checkDigit ? 0.7 : 0.6;
  return {
    type: 'my_number',
    start: run.start,
    end: run.end,
    score,
    rule: checkDigit ? 'pii.my_number.check_digit' : 'pii.my_number.context',
  };
};

// Japanese product barcodes (JAN/EAN-13) start with 45 or 49 and are Luhn-valid 13-digit numbers,
// like the long-retired 13-digit Visa: without words about a card they are products.
const JAN_PREFIX = /^4[59]/;

const card = (text: string, run: DigitRun): Candidate | undefined => {
  const n = run.digits.length;
  if (n < 13 || n > 19 || run.international === true) return undefined;
  if (near(text, run.start, run.end, NOT_PII_HOT, 16)) return undefined;
  const context = near(text, run.start, run.end, CARD_HOT, 30, 10);
  if (n === 13 && !context && JAN_PREFIX.test(run.digits)) return undefined;
  if (luhnValid(run.digits) && cardBrandMatches(run.digits))
    return {
      type: 'credit_card',
      start: run.start,
      end: run.end,
      score: context ? 0.95 : 0.8,
      rule: 'pii.credit_card.luhn',
    };
  // A mistyped (or made-up) card number posted as one is still posted as one.
  if (context && n >= 14 && n <= 16 && (run.groups.length === 1 || run.groups.every((g) => g >= 4)))
    return {
      type: 'credit_card',
      start: run.start,
      end: run.end,
      score: 0.55,
      rule: 'pii.credit_card.context',
    };
  return undefined;
};

// NNN-0000 is a whole municipality's code ("no street listed"): published, nobody's address.
const MUNICIPAL_POSTAL = /^[0-9]{3}0000$/;

const postal = (text: string, run: DigitRun): Candidate | undefined => {
  if (run.digits.length !== 7 || run.international === true) return undefined;
  if (MUNICIPAL_POSTAL.test(run.digits)) return undefined;
  const hyphenForm = run.groups.length === 2 && run.groups[0] === 3 && text[run.start + 3] === '-';
  if (!hyphenForm && run.groups.length !== 1) return undefined;
  const mark = POSTAL_MARK_BEFORE.exec(text.slice(Math.max(0, run.start - 2), run.start));
  const context = mark !== null || near(text, run.start, run.end, POSTAL_HOT, 12);
  if (near(text, run.start, run.end, NOT_PII_HOT, 12)) return undefined;
  // The city office's or a shop's own code, published on purpose.
  if (near(text, run.start, run.end, PUBLIC_LINE_HOT, 12, 12)) return undefined;
  // An address right after it (北海道…, 留萌市…) is as good as 〒.
  const addressFollows = KANJI_FOLLOWS.test(text.slice(run.end, run.end + 3));
  if (!context && !(hyphenForm && addressFollows)) {
    if (!hyphenForm) return undefined;
    return {
      type: 'postal_code',
      start: run.start,
      end: run.end,
      score: 0.5,
      rule: 'pii.postal_code.shape',
    };
  }
  const start = mark !== null ? run.start - mark[0].length : run.start;
  return { type: 'postal_code', start, end: run.end, score: 0.9, rule: 'pii.postal_code.context' };
};

// Where a bank account "starts": the bank's name, so that the branch and account type are masked too.
const BANK_NAME =
  /(?:ゆうちょ|[\p{Script=Han}\p{Script=Katakana}ーA-Za-z]{1,10}?)(?:銀行|信用金庫|信金|信用組合|労働金庫|労金|農協|バンク)/u;

const bankAccount = (text: string, run: DigitRun): Candidate | undefined => {
  const n = run.digits.length;
  if (n < 6 || n > 8 || run.groups.length > 1 || run.international === true) return undefined;
  const windowStart = Math.max(0, run.start - 40);
  const window = text.slice(windowStart, run.start);
  if (!BANK_HOT.test(window) || NOT_PII_HOT.test(window.slice(-12))) return undefined;
  let start = run.start;
  const bank = BANK_NAME.exec(window);
  if (bank !== null) start = windowStart + bank.index;
  else {
    const word = ACCOUNT_WORD.exec(window);
    if (word !== null) start = windowStart + word.index;
  }
  return {
    type: 'bank_account',
    start,
    end: run.end,
    score: 0.85,
    rule: 'pii.bank_account.context',
  };
};

const JUDGES = [phone, twelveDigits, card, postal, bankAccount] as const;

const judgeRun = (text: string, run: DigitRun): Candidate[] => {
  const out: Candidate[] = [];
  for (const judge of JUDGES) {
    const c = judge(text, run);
    if (c !== undefined) out.push(c);
  }
  return out;
};

const GROUP = /[0-9]+/g;

// No identifier judged here is longer than a 19-digit card number.
const MAX_DIGITS = 19;

/**
 * The run cut after each of its leading groups (at least two kept, at most 19 digits, longest
 * first). Only the first few groups are looked at, so a hostile run of thousands of groups costs
 * no more than a card number.
 */
const leadingGroups = (raw: string, start: number): DigitRun[] => {
  const ends: number[] = [];
  let digits = 0;
  GROUP.lastIndex = 0;
  for (let g = GROUP.exec(raw); g !== null; g = GROUP.exec(raw)) {
    digits += g[0].length;
    if (digits > MAX_DIGITS) break;
    ends.push(g.index + g[0].length);
  }
  const out: DigitRun[] = [];
  for (let k = Math.min(ends.length, raw.length) - 1; k >= 1; k--) {
    const cut = ends[k] as number;
    if (cut >= raw.length) continue;
    const run = splitRun(raw.slice(0, cut), start);
    if (run.digits.length >= 6) out.push(run);
  }
  return out;
};

/** Every digit-run finding in `text` (normalised). Candidates may overlap; detect() resolves them. */
const findNumberCandidates = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    let raw = m[0];
    // A trailing ')' or separator belongs to the text, not to the number.
    while (raw.length > 0 && !ENDS_WITH_DIGIT.test(raw)) raw = raw.slice(0, -1);
    const run = splitRun(raw, m.index);
    if (run.digits.length < 6) continue;
    // "1,234円" and "3,980人" are amounts, not identifiers.
    if (NUMBER_END_NOT_PII.test(text.slice(run.end, run.end + 4)) && run.digits.length < 10)
      continue;
    const found = judgeRun(text, run);
    // A number run into what follows it (a card's expiry `4532 7718 0934 2261 09/27`, a note's
    // digits) is judged again without its trailing groups, longest first.
    if (found.length === 0 && run.groups.length >= 3 && !run.international)
      for (const prefix of leadingGroups(raw, m.index)) {
        const again = judgeRun(text, prefix);
        if (again.length > 0) {
          out.push(...again);
          break;
        }
      }
    out.push(...found);
  }
  return out;
};

const NUMBER_PATTERNS: readonly RegExp[] = [
  DIGITS,
  MOBILE_PREFIX,
  KANJI_FOLLOWS,
  POSTAL_MARK_BEFORE,
  ACCOUNT_WORD,
  ENDS_WITH_DIGIT,
  DIGIT_RUN,
  PHONE_HOT,
  MY_NUMBER_HOT,
  LICENSE_HOT,
  CARD_HOT,
  BANK_HOT,
  POSTAL_HOT,
  NOT_PII_HOT,
  NUMBER_END_NOT_PII,
  BANK_NAME,
  JAPAN_CODE,
  GROUP,
  GROUP_SEPARATOR,
  PUBLIC_LINE_HOT,
  JAN_PREFIX,
  MUNICIPAL_POSTAL,
];

export { findNumberCandidates, NUMBER_PATTERNS };
