/** Check-digit algorithms used to tell real identifiers from random digit runs. Digits only. */

/** Luhn (ISO/IEC 7812), used by payment cards. */
const luhnValid = (digits: string): boolean => {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
};

const TWELVE_DIGITS = /^[0-9]{12}$/;

/**
 * Individual Number (マイナンバー) check digit, as specified by the ministerial ordinance (総務省令
 * 第85号): weights n+1 for the 1st..6th digit counted from the right of the first eleven, n-5 for
 * the 7th..11th, remainder mod 11, check = 0 when the remainder is 0 or 1, else 11 - remainder.
 */
const myNumberValid = (digits: string): boolean => {
  if (!TWELVE_DIGITS.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = digits.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const remainder = sum % 11;
  const check = remainder <= 1 ? 0 : 11 - remainder;
  return check === digits.charCodeAt(11) - 48;
};

/**
 * Issuer prefixes (IIN ranges) of the card brands used in Japan, with their lengths: a Luhn-valid run
 * outside these is more likely an ISBN, a JAN code or a tracking number than a card.
 */
const cardBrandMatches = (digits: string): boolean => {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if (two >= 51 && two <= 55) return n === 16;
  if (four >= 2221 && four <= 2720) return n === 16;
  if (two === 34 || two === 37) return n === 15;
  if (four >= 3528 && four <= 3589) return n >= 16 && n <= 19;
  if (two === 36 || two === 38 || two === 39 || (four >= 3000 && four <= 3059))
    return n >= 14 && n <= 19;
  if (digits[0] === '6') return n >= 16 && n <= 19;
  return false;
};

const CHECKSUM_PATTERNS: readonly RegExp[] = [TWELVE_DIGITS];

export { CHECKSUM_PATTERNS, cardBrandMatches, luhnValid, myNumberValid };
