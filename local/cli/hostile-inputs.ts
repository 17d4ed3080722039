/**
 * Worst-case inputs for the classifier's time budget: each is 10,000 characters of something that
 * stresses a different part (digit runs for the personal-data recognisers, separators and kana for
 * the normaliser, URL fragments for the link extractor, zero-width and combining characters).
 */
const LENGTH = 10_000;

const repeatTo = (unit: string): string =>
  unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);

const HOSTILE_INPUTS: ReadonlyArray<{ name: string; text: string }> = [
  { name: 'digits', text: repeatTo('0123456789') },
  { name: 'digit-groups', text: repeatTo('090-1234-') },
  { name: 'spaced-digits', text: repeatTo('1 2 3 4 ') },
  { name: 'fullwidth-digits', text: repeatTo('０１２３４５６７８９－') },
  { name: 'separated-kana', text: repeatTo('し ね.') },
  { name: 'repeated-char', text: repeatTo('あ') },
  { name: 'url-fragments', text: repeatTo('http://a.') },
  { name: 'obfuscated-urls', text: repeatTo('hxxp ドット com/') },
  { name: 'at-signs', text: repeatTo('a@b.') },
  { name: 'zero-width', text: repeatTo('死\u200bね\u200d') },
  { name: 'combining', text: repeatTo('e\u0301\u0302\u0303') },
  { name: 'address-like', text: repeatTo('1丁目2番3号') },
  { name: 'honorifics', text: repeatTo('田中さん') },
  {
    name: 'mixed-japanese',
    text: repeatTo('留萌市の除雪、遅すぎる！市長は何をしているのか？090-1234-5678 '),
  },
];

export { HOSTILE_INPUTS };
