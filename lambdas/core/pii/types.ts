/** Personal-data types, named as in shared/datasets/README.md. */
const PII_TYPES = [
  'person_name',
  'phone',
  'email',
  'postal_code',
  'address',
  'my_number',
  'credit_card',
  'bank_account',
  'passport',
  'drivers_license',
  'birth_date',
  'license_plate',
] as const;
type PiiType = (typeof PII_TYPES)[number];

/** A personal-data finding in the ORIGINAL text (JavaScript string indices, end exclusive). */
interface PiiSpan {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  /** 0..1, raised or lowered by context words. */
  readonly score: number;
  /** Recogniser id, e.g. `pii.phone.libphonenumber`; appears in evidence, never the value. */
  readonly rule: string;
}

export type { PiiSpan, PiiType };
export { PII_TYPES };
