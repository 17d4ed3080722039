import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { detectPii } from '../../lambdas/core/pii/detect';
import type { PiiSpan } from '../../lambdas/core/pii/types';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

// Issue #15, person names in encyclopedic prose, by family. Every name and sentence below is made
// up; the look-alikes are factions, firms, bands, battles, sports and counts that must stay as
// written.
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const names = (text: string): PiiSpan[] =>
  detectPii(text, tokenizer).filter((s) => s.type === 'person_name');
const nameValues = (text: string): string[] => names(text).map((s) => text.slice(s.start, s.end));

describe('a faction or a school named after someone (X派) is a body, not a person', () => {
  it.each(['大野派は分裂した。', '党内の中川派が反対に回った。', '寺は浄土真宗の本田派に属する。'])(
    '%s',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );

  it.each([
    ['大野は派閥を率いた。', '大野'],
    ['中川さんの派閥', '中川'],
  ])('the same family name standing alone stays a name: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('a dotted katakana phrase that a word for a firm, a band or a party introduces', () => {
  it.each([
    '株式会社ホワイト・ラビットは解散した。',
    'ロック・バンド、ブラック・ガーデンが結成された。',
    '政党・グリーン・リーフが議席を得た。',
    '男声合唱団シルバー・ベルに所属した。',
  ])('%s names a body', (text) => {
    expect(nameValues(text)).toEqual([]);
  });

  it.each([
    ['監督のジョン・スミスは引退した。', 'ジョン・スミス'],
    ['バンドのメンバー、ジョン・スミスが脱退した。', 'ジョン・スミス'],
    ['会社を興したのはジョン・スミスである。', 'ジョン・スミス'],
  ])('a person after a role or elsewhere stays: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});

describe('a dotted katakana phrase before の and what a place or a team owns', () => {
  it.each(['ベルモント・ヒルの戦いで敗れた。', 'ノース・ブルックの郊外に移った。'])(
    '%s names a place',
    (text) => {
      expect(nameValues(text)).toEqual([]);
    },
  );

  it.each([
    ['ジョン・スミスの死は伝えられなかった。', 'ジョン・スミス'],
    ['ジョン・スミスの自伝が出版された。', 'ジョン・スミス'],
  ])('what belongs to a person keeps the name: %s', (text, name) => {
    expect(nameValues(text)).toContain(name);
  });
});
