export type { DetectOptions } from './detect';
export { detectPii } from './detect';
export { normalizePiiValue, valueRef } from './pseudonym';
export { PII_PLACEHOLDERS, redact } from './redact';
export type { PiiSpan, PiiType } from './types';
export { PII_TYPES } from './types';
