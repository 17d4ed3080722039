import { keyedRef } from '../pseudonym';
import type { PiiType } from './types';

const DASHES = /[-‐‑‒–—―−－ーｰ﹣]/g;
const SPACES = /\s+/g;
const DIGIT_DASH_DIGIT = /([0-9])[-‐‑‒–—―−－ーｰ﹣](?=[0-9])/g;

// Spaces are removed afterwards, so the words need not swallow them (which would backtrack).
const OBFUSCATED_AT =
  /\(at\)|\[at\]|<at>|\(アット\)|アットマーク|あっとまーく|アット|(?<=\S) at (?=\S)/g;
const OBFUSCATED_DOT = /\(dot\)|\[dot\]|<dot>|ドット|どっと|(?<=\S) dot (?=\S)/g;
const NOT_DIGIT_OR_PLUS = /[^0-9+]/g;
const PLUS = /\+/g;
const NOT_DIGIT = /[^0-9]/g;
const NOT_ALNUM = /[^0-9A-Za-z]/g;
const PLATE_DOTS = /[・.]/g;

const westernDate = /^([0-9]{4})\D{1,2}([0-9]{1,2})\D{1,2}([0-9]{1,2})\D?$/;

/**
 * The canonical form of a personal-data value, so that every way of writing it (full-width digits,
 * dashes, spaces, +81, `＠`/アットマーク) yields one ledger reference and an erasure request finds
 * all of them.
 */
const normalizePiiValue = (type: PiiType, raw: string): string => {
  const v = raw.normalize('NFKC').trim();
  switch (type) {
    case 'phone': {
      const digits = v.replace(NOT_DIGIT_OR_PLUS, '');
      if (digits.startsWith('+81')) return `0${digits.slice(3)}`;
      return digits.replace(PLUS, '');
    }
    case 'email':
      return v
        .toLowerCase()
        .replace(OBFUSCATED_AT, '@')
        .replace(OBFUSCATED_DOT, '.')
        .replace(SPACES, '');
    case 'postal_code':
    case 'my_number':
    case 'credit_card':
    case 'drivers_license':
      return v.replace(NOT_DIGIT, '');
    case 'passport':
      return v.replace(NOT_ALNUM, '').toUpperCase();
    case 'birth_date': {
      const m = westernDate.exec(v.replace(SPACES, ''));
      if (m === null) return v.replace(SPACES, '');
      return `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
    }
    case 'license_plate':
      return v.replace(SPACES, '').replace(DASHES, '-').replace(PLATE_DOTS, '');
    case 'bank_account':
    case 'address':
      // Only dashes between digits are separators: ー inside a katakana name is a letter.
      return v.replace(SPACES, '').replace(DIGIT_DASH_DIGIT, '$1-');
    case 'person_name':
      return v.replace(SPACES, '');
  }
};

/** Keyed reference to a value for the PII ledger: HMAC-SHA256 of the canonical form, per type. */
const valueRef = (key: string | Uint8Array, type: PiiType, raw: string): string =>
  keyedRef(key, `pii:${type}`, normalizePiiValue(type, raw));

const PSEUDONYM_PATTERNS: readonly RegExp[] = [
  DASHES,
  SPACES,
  DIGIT_DASH_DIGIT,
  OBFUSCATED_AT,
  OBFUSCATED_DOT,
  NOT_DIGIT_OR_PLUS,
  PLUS,
  NOT_DIGIT,
  NOT_ALNUM,
  PLATE_DOTS,
  westernDate,
];

export { normalizePiiValue, PSEUDONYM_PATTERNS, valueRef };
