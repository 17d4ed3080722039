import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii } from '../../lambdas/core/pii/detect';
import type { PiiSpan } from '../../lambdas/core/pii/types';

/** kuromoji, loaded once for the test file that imports this. */
const tokenizer = await loadTokenizer();

/** The person-name spans the detector reports for `text`. */
const personNameSpans = (text: string): PiiSpan[] =>
  detectPii(text, tokenizer).filter((s) => s.type === 'person_name');

/** The person names the detector reports for `text`, as written. */
const personNames = (text: string): string[] =>
  personNameSpans(text).map((s) => text.slice(s.start, s.end));

export { personNameSpans, personNames, tokenizer };
