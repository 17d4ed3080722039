import { ADDRESS_PATTERNS } from './address';
import { CANDIDATE_PATTERNS } from './candidate';
import { CHECKSUM_PATTERNS } from './checksums';
import { DETECT_PATTERNS } from './detect';
import { NAME_PATTERNS } from './names';
import { NAME_COMMENT_PATTERNS } from './names-comments';
import { NORMALIZE_PATTERNS } from './normalize';
import { NUMBER_PATTERNS } from './numbers';
import { PSEUDONYM_PATTERNS } from './pseudonym';
import { TEXT_PATTERNS } from './text-patterns';

/** Every regular expression of the detector, for the ReDoS check in the test suite. */
const PII_PATTERNS: readonly RegExp[] = [
  ...ADDRESS_PATTERNS,
  ...CANDIDATE_PATTERNS,
  ...CHECKSUM_PATTERNS,
  ...DETECT_PATTERNS,
  ...NAME_PATTERNS,
  ...NAME_COMMENT_PATTERNS,
  ...NORMALIZE_PATTERNS,
  ...NUMBER_PATTERNS,
  ...PSEUDONYM_PATTERNS,
  ...TEXT_PATTERNS,
];

export { PII_PATTERNS };
