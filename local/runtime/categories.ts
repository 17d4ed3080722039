/**
 * Short English names of the article 6 categories for terminal output (the policy pack holds the
 * full Japanese wording; the ids 1-11 are the same in every city's policy).
 */
const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  '1': 'illegal',
  '2': 'defamation',
  '3': 'political/religious',
  '4': 'advertising',
  '5': 'discrimination',
  '6': 'public order',
  '7': 'false info',
  '8': 'personal info',
  '9': 'harmful program',
  '10': 'IP rights',
  '11': 'other',
};

/** `4 advertising, 6 public order`, or `fallback` for none. */
const categoryNames = (ids: readonly string[], fallback = 'none'): string =>
  ids.length === 0
    ? fallback
    : ids.map((id) => `${id} ${CATEGORY_LABELS[id] ?? ''}`.trim()).join(', ');

export { CATEGORY_LABELS, categoryNames };
