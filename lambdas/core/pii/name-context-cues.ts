/**
 * Comment-wide cues that change what a name means, given to the name labeller as features. A
 * candidate canvassing for votes, a mayor or a celebrity in a scam is a public figure in a public
 * role, not a resident's personal data; a comment with no kana at all is not Japanese (Chinese
 * shares the kanji, and its words are not names because the analyser says 人名).
 */
const CUES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'election',
    /選挙|市議選|市長選|知事選|議員選|投票|一票|清き|候補|公認|後援会|出馬|無所属|新人|現職|当選|落選|演説|選挙カー|マニフェスト|公約|期日前/,
  ],
  ['office', /市長|町長|村長|知事|議長|首相|総理|大臣|議員|市議|道議|国会/],
  ['celebrity', /公式|本人|フォロワー|ファン|応援ありがとう|プレゼント企画|お年玉|抽選で/],
  ['greeting', /よろしくお願い|お願いします|お願いいたします/],
];
const KANA = /[ぁ-ゖァ-ヺ]/;
const LATIN_WORDS = /[A-Za-z]{3,}/;

const nameContext = (text: string): string[] => {
  const out: string[] = [];
  for (const [name, pattern] of CUES) if (pattern.test(text)) out.push(name);
  if (!KANA.test(text)) out.push('nokana');
  if (LATIN_WORDS.test(text)) out.push('latin');
  return out;
};

const NAME_CONTEXT_CUE_PATTERNS: readonly RegExp[] = [...CUES.map(([, p]) => p), KANA, LATIN_WORDS];

export { NAME_CONTEXT_CUE_PATTERNS, nameContext };
