import { keyedRef } from '../pseudonym';
import type { PiiType } from './types';

const DASHES = /[-‐‑‒–—―−－ーｰ﹣]/g;
const SPACES = /\s+/g;
const DIGIT_DASH_DIGIT = /([0-9])[-‐‑‒–—―−－ーｰ﹣](?=[0-9])/g;

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
      const digits = v.replace(/[^0-9+]/g, '');
      if (digits.startsWith('+81')) return `0${digits.slice(3)}`;
      return digits.replace(/\+/g, '');
    }
    case 'email':
      return v
        .toLowerCase()
        .replace(
          /\s*(?:\(at\)|\[at\]|<at>|\(アット\)|アットマーク|あっとまーく|アット)\s*|\s+at\s+/g,
          '@',
        )
        .replace(/\s*(?:\(dot\)|\[dot\]|<dot>|ドット|どっと)\s*|\s+dot\s+/g, '.')
        .replace(SPACES, '');
    case 'postal_code':
    case 'my_number':
    case 'credit_card':
    case 'drivers_license':
      return v.replace(/[^0-9]/g, '');
    case 'passport':
      return v.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    case 'birth_date': {
      const m = westernDate.exec(v.replace(SPACES, ''));
      if (m === null) return v.replace(SPACES, '');
      return `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
    }
    case 'license_plate':
      return v.replace(SPACES, '').replace(DASHES, '-').replace(/[・.]/g, '');
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

export { normalizePiiValue, valueRef };
