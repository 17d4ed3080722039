import type { Candidate } from './candidate';

/**
 * Street addresses: a place name (prefecture, city, ward, town) followed by a block number
 * (N丁目N番N号, N丁目N-N, N-N-N, N番地), optionally a building and a room. The block number is
 * found by a linear pattern; the place name is then read leftwards character by character, which is
 * simpler and safer than a backtracking pattern over kanji.
 */

const KANJI_NUM = '一二三四五六七八九十';
// The block number may sit on the next line or after a space (留萌市錦町\n3-4-5, 3丁目\n4-12), its
// parts may be joined by の as people say them (錦町5の12の3, 2丁目の8の1) and be written in kanji
// numerals (五丁目十二番三号).
// Each shape of block number is its own pattern: one alternation of all of them is too costly for
// the ReDoS checker to prove linear.
const AFTER_PLACE = String.raw`(?<=[\p{Script=Han}\p{Script=Katakana}ー々ヶ\s])`;
const BLOCKS: readonly RegExp[] = [
  new RegExp(
    `${AFTER_PLACE}(?:[0-9]{1,3}|[${KANJI_NUM}]{1,3})丁目(?:(?:\\s|の)?(?:[0-9]{1,4}(?:番地?|-|の)(?:の? ?[0-9]{1,4}(?:号|-[0-9]{1,4})?)?|[0-9]{1,4}号?|[${KANJI_NUM}]{1,3}番地?(?:[${KANJI_NUM}]{1,3}号)?))?`,
    'gu',
  ),
  new RegExp(`${AFTER_PLACE}[0-9]{1,4}番地?(?:の? ?[0-9]{1,4}号?)?`, 'gu'),
  new RegExp(`${AFTER_PLACE}[0-9]{1,4}-[0-9]{1,4}(?:-[0-9]{1,4})?`, 'gu'),
  new RegExp(`${AFTER_PLACE}[0-9]{1,4}の[0-9]{1,4}(?:の[0-9]{1,4})?`, 'gu'),
  new RegExp(`${AFTER_PLACE}[${KANJI_NUM}]{1,3}の[${KANJI_NUM}]{1,3}の[${KANJI_NUM}]{1,3}`, 'gu'),
];
const LEADING_SPACE = /\s/;
const BLOCK_HINT = new RegExp(`[0-9${KANJI_NUM}]`, 'u');
const WHITESPACE_RUN = /\s+/gu;
const HAN_OR_KATAKANA = /^[\p{Script=Han}\p{Script=Katakana}ー々ヶ]$/u;
// Joined inside a name (丸の内, 旭ケ丘, 緑が丘) but a particle elsewhere: crossed only between kanji.
const LINKING = new Set(['の', 'ノ', 'が', 'ケ', 'ヶ']);
const MAX_PLACE = 24;
// Street grids of Hokkaido cities: 北3条西4丁目, 東1線.
const GRID_SUFFIX = new Set(['条', '線']);
const PREFECTURE = /(?:北海道|東京都|京都府|大阪府|[\p{Script=Han}]{2,3}県)/u;
const ADMIN_MARK = /[都道府県市区郡町村]/u;
// Town names also end in kana when written by ear (ミナミマチ, すえひろちょう).
const TOWN_END = /(?:[町村丁区条通線目字]|マチ|チョウ|ムラ|ドオリ|まち|ちょう|むら|どおり)$/u;
const ADMIN_INSIDE = /.[都道府県市区郡][\p{Script=Han}\p{Script=Katakana}ー々ヶのノがケ]/u;
const BUILDING_WORD =
  /(?:ハイツ|コーポ|マンション|アパート|レジデンス|ハイム|メゾン|パレス|ヴィラ|ビル|タワー|コート|荘|寮|団地|住宅|棟)/u;
// Sticky (y): tried exactly at the end of the block number; '^' would never match there.
const BUILDING =
  / ?[\p{Script=Han}\p{Script=Katakana}ー・A-Za-z]{1,20} ?(?:[0-9]{1,4}(?:号室|号)?|[A-Z]-?[0-9]{1,4})?/uy;
const ROOM = /^ ?(?:[0-9]{1,4}号室|-[0-9]{1,4}(?:号室)?)/;
const DATE_LIKE = /^(?:19|20)[0-9]{2}-[0-9]{1,2}(?:-[0-9]{1,2})?$/;

const DIGIT = /[0-9]/;
const FULL_BLOCK = /丁目|番|-[0-9]+-|の[0-9一二三四五六七八九十]+の/;
// A line break or a space is crossed inside a place only after a mark that ends a part of it
// (留萌市 錦町, ルモイシ ミナミマチ).
const PART_END = /(?:[都道府県市区郡町村]|シ|マチ|チョウ|ムラ)$/u;

const isPlaceChar = (ch: string): boolean => HAN_OR_KATAKANA.test(ch);

/** Start of the place name that ends at `end` (exclusive), or `end` when there is none. */
const placeStart = (text: string, end: number): number => {
  let i = end;
  while (i > 0 && end - i < MAX_PLACE) {
    const ch = text[i - 1] ?? '';
    if (isPlaceChar(ch)) {
      i--;
      continue;
    }
    if (LEADING_SPACE.test(ch) && i < end) {
      let j = i - 1;
      while (j > 0 && i - j < 2 && LEADING_SPACE.test(text[j - 1] ?? '')) j--;
      if (PART_END.test(text.slice(Math.max(0, j - 3), j))) {
        i = j;
        continue;
      }
      break;
    }
    if (
      LINKING.has(ch) &&
      i - 2 >= 0 &&
      isPlaceChar(text[i - 2] ?? '') &&
      isPlaceChar(text[i] ?? '')
    ) {
      i--;
      continue;
    }
    // 北3条: digits directly before a grid suffix are part of the place.
    if (DIGIT.test(ch) && GRID_SUFFIX.has(text[i] ?? '')) {
      while (i > 0 && DIGIT.test(text[i - 1] ?? '')) i--;
      continue;
    }
    break;
  }
  return i;
};

/**
 * Narrows an over-long place to where the address proper begins: the prefecture if one is named,
 * else after the last particle crossed (家の留萌市… → 留萌市…) when what follows still reads as a place.
 */
const trimPlace = (place: string): number => {
  const pref = PREFECTURE.exec(place);
  if (pref !== null) return pref.index;
  const particle = Math.max(place.lastIndexOf('の'), place.lastIndexOf('が'));
  if (particle > 0) {
    const rest = place.slice(particle + 1);
    if (ADMIN_INSIDE.test(rest) || (rest.length >= 2 && ADMIN_MARK.test(rest))) return particle + 1;
  }
  return 0;
};

/**
 * A city and the town inside it, without a block number (留萌市高砂町のあの家): in a small city that
 * names a street of a few dozen houses. The town part must end in 町 and not be a word about the
 * whole town (町内, 町民, 町役場).
 */
const CITY_TOWN =
  /(?<![\p{Script=Han}\p{Script=Katakana}ー々ヶ])(?:北海道|東京都|京都府|大阪府|[\p{Script=Han}]{2,3}県)?[\p{Script=Han}ヶ]{1,4}市[\p{Script=Han}々ヶ]{1,4}?町(?![内民会長議役場営並中全外域政村\p{Script=Han}])/gu;
/**
 * A town written in hiragana by ear, then a home (すえひろちょうの みどりの やねの いえ): the way
 * children and some elderly residents write. Only with a word for a house close behind.
 */
const KANA_TOWN = /(?<![ぁ-ゖ])[ぁ-ゖ]{3,5}(?:ちょう|まち)(?=の)/gu;
const HOME_AFTER = /^[^。！？!?\n]{0,16}?(?:いえ|おうち|うち|家|アパート|マンション)/u;

// Places open to the public, and businesses: their addresses are published (signs, maps, the
// city's own pages), so they are nobody's personal data. Homes are not among them (家, 団地, 寮).
const PUBLIC_PLACES =
  '市役所|役場|支所|庁舎|公園|病院|医院|クリニック|図書館|体育館|学校|高校|大学|保育園|幼稚園|駅|空港|港|センター|会館|公民館|美術館|博物館|資料館|記念館|ホール|郵便局|交番|警察署|消防署|商店街|市場|本社|本店|支社|支店|事務所|事務局|店|店舗|工場|会社|ホテル|旅館|寺|神社|教会|施設';
const PUBLIC_PLACE_BEFORE = new RegExp(
  `(?:${PUBLIC_PLACES})(?:は[、,]?|の(?:住所|所在地)は[、,]?|[（(:：、\\s])?$`,
  'u',
);
/**
 * What follows an address that makes it a place's, not a home's: a company's seat (に本社を置く),
 * a place that stands there (にある公立小学校, に所在する駅), a business opened there (に呉服店を開業).
 */
const PUBLIC_PLACE_AFTER = new RegExp(
  `^(?:[（(][^）)]{0,12}[）)])?に(?:(?:本社|本店|本部|事務局|事務所|拠点|店舗?|工場)(?:を(?:置く|置い|構え)|が(?:ある|あっ))|(?:ある|あった|所在する|位置する|立地する|建つ)[^。！？!?\\n]{0,14}?(?:${PUBLIC_PLACES})|[^。！？!?\\n]{0,10}?(?:${PUBLIC_PLACES})(?:[「『][^」』]{1,20}[」』])?を(?:開業|開店|開設|設立|創業|移転))`,
  'u',
);

/** Whether the address at [start, end) is a public place's or a business's (see above). */
const isPublished = (text: string, start: number, end: number): boolean =>
  PUBLIC_PLACE_BEFORE.test(text.slice(Math.max(0, start - 8), start)) ||
  PUBLIC_PLACE_AFTER.test(text.slice(end, end + 40));

const findTowns = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  const cityTowns = text.includes('市') && text.includes('町') ? text.matchAll(CITY_TOWN) : [];
  for (const m of cityTowns) {
    const end = m.index + m[0].length;
    if (isPublished(text, m.index, end)) continue;
    out.push({ type: 'address', start: m.index, end, score: 0.6, rule: 'pii.address.city_town' });
  }
  const kanaTowns =
    text.includes('ちょう') || text.includes('まち') ? text.matchAll(KANA_TOWN) : [];
  for (const m of kanaTowns) {
    const end = m.index + m[0].length;
    if (!HOME_AFTER.test(text.slice(end, end + 24))) continue;
    out.push({ type: 'address', start: m.index, end, score: 0.6, rule: 'pii.address.kana_town' });
  }
  return out;
};

const findAddresses = (text: string): Candidate[] => {
  const out: Candidate[] = [];
  const published: Array<[number, number]> = [];
  // Every block number holds an ASCII digit or a kanji numeral.
  const blocks = BLOCK_HINT.test(text) ? BLOCKS.flatMap((b) => Array.from(text.matchAll(b))) : [];
  for (const m of blocks) {
    const block = m[0];
    if (DATE_LIKE.test(block)) continue;
    const blockStart = m.index;
    let placeEnd = blockStart;
    while (
      placeEnd > 0 &&
      blockStart - placeEnd < 2 &&
      LEADING_SPACE.test(text[placeEnd - 1] ?? '')
    )
      placeEnd--;
    // The look-behind admits one space or line break; the place itself must end right before it.
    if (!isPlaceChar(text[placeEnd - 1] ?? '')) continue;
    let start = placeStart(text, placeEnd);
    const place0 = text.slice(start, placeEnd);
    start += trimPlace(place0);
    const place = text.slice(start, placeEnd).replace(WHITESPACE_RUN, '');
    if (place.length < 2) continue;
    const admin = ADMIN_INSIDE.test(place) || PREFECTURE.test(place);
    const town = TOWN_END.test(place);
    if (!admin && !town) continue;
    const full = FULL_BLOCK.test(block);
    // N-N alone after a bare town name is too weak (scores, ranges): ask for a city or ward too.
    if (!full && !admin) continue;
    let end = blockStart + block.length;
    BUILDING.lastIndex = end;
    const building = BUILDING.exec(text);
    if (building !== null && BUILDING_WORD.test(building[0])) end += building[0].length;
    else {
      const room = ROOM.exec(text.slice(end, end + 12));
      if (room !== null) end += room[0].length;
    }
    // 留萌市役所（留萌市幸町1丁目11番地）, 市立病院は…: a public building's published address is
    // nobody's personal data (as a city office's phone line is not).
    if (isPublished(text, start, end)) published.push([start, end]);
    out.push({
      type: 'address',
      start,
      end,
      score: admin && full ? 0.9 : 0.7,
      rule: admin ? 'pii.address.admin_block' : 'pii.address.town_block',
    });
  }
  out.push(...findTowns(text));
  if (published.length === 0) return out;
  // Every reading of a published address (its town alone, its block alone) goes with it. Spans are
  // few and short; a hostile text with many addresses has few public buildings before them.
  const merged = mergeRanges(published);
  return out.map((c) => (overlapsAny(merged, c) ? { ...c, score: c.score - 0.5 } : c));
};

/** Sorted, disjoint ranges covering the same characters. */
const mergeRanges = (ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> => {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
};

/** Whether `c` overlaps one of `ranges` (sorted, disjoint): a binary search. */
const overlapsAny = (ranges: ReadonlyArray<readonly [number, number]>, c: Candidate): boolean => {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as readonly [number, number])[0] < c.end) lo = mid + 1;
    else hi = mid;
  }
  const before = ranges[lo - 1];
  return before !== undefined && before[1] > c.start;
};

const ADDRESS_PATTERNS: readonly RegExp[] = [
  PUBLIC_PLACE_BEFORE,
  PUBLIC_PLACE_AFTER,
  DIGIT,
  FULL_BLOCK,
  ...BLOCKS,
  HAN_OR_KATAKANA,
  PREFECTURE,
  ADMIN_MARK,
  TOWN_END,
  ADMIN_INSIDE,
  BUILDING_WORD,
  BUILDING,
  ROOM,
  DATE_LIKE,
  LEADING_SPACE,
  BLOCK_HINT,
  WHITESPACE_RUN,
  PART_END,
  CITY_TOWN,
  KANA_TOWN,
  HOME_AFTER,
];

export { ADDRESS_PATTERNS, findAddresses };
