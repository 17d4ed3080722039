import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { type Analysis, analyze } from '../../lambdas/core/analyze';
import { extractLinks } from '../../lambdas/core/classifier/links';
import type { Action, CategoryId } from '../../lambdas/core/contracts/decision';
import { normalize } from '../../lambdas/core/text/normalize';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

/**
 * Rule families that generalise beyond the dev set: link shorteners, vote solicitation for any
 * party or candidate, abuse thrown at people. Each family has wordings not in shared/ and benign
 * near-misses that share its vocabulary.
 */
let tokenizer: Tokenizer;
const policy = loadPolicy('rumoi');
const run = (text: string): Analysis => analyze(text, { policy, tokenizer });
const ids = (text: string): CategoryId[] => run(text).categories.map((c) => c.id);
const RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

describe('link shorteners', () => {
  const hostsOf = (text: string) =>
    extractLinks(normalize(text).folded, policy.links, text).map((l) => ({
      host: l.host,
      written: text.slice(l.start, l.end),
      shortener: l.flags.has('shortener'),
    }));

  it('finds shortened links written without a scheme, whatever their TLD', () => {
    expect(hostsOf('詳細は tinyurl.com/abc へ')).toEqual([
      { host: 'tinyurl.com', written: 'tinyurl.com/abc', shortener: true },
    ]);
    expect(hostsOf('友だち追加 lin.ee/Xy12')[0]).toMatchObject({ host: 'lin.ee', shortener: true });
    expect(hostsOf('rb.gy/q9w8')[0]).toMatchObject({ host: 'rb.gy', shortener: true });
    expect(hostsOf('ｃｕｔｔ．ｌｙ／ｚｚ')[0]).toMatchObject({ host: 'cutt.ly', shortener: true });
    expect(hostsOf('おすすめ amzn.to/3Qw')[0]).toMatchObject({ shortener: true });
  });

  it('keeps unknown bare words with an unlisted TLD out of the links', () => {
    expect(hostsOf('xt.gy と書いてあった')).toEqual([]);
    expect(hostsOf('バージョン3.5.1に更新')).toEqual([]);
  });

  it('sends a shortener alone to review under category 11', () => {
    for (const text of [
      '詳細は tinyurl.com/abc へ',
      'まとめました → https://is.gd/Qr7x',
      'lin.ee/Ab12Cd から登録できます',
      'https://t.co/Zz9 笑った',
    ]) {
      const analysis = run(text);
      expect(analysis.action, text).toBe('review');
      expect(ids(text), text).toContain('11');
    }
  });

  it('hides a shortener offered with a prize, free goods or easy money (category 9)', () => {
    for (const text of [
      '無料でiPhoneもらえる→ https://bit.ly/3xYz',
      '抽選で50名に現金3万円 ow.ly/p0p',
      'スマホだけで簡単に稼げる副業 shorturl.at/kAs9',
      'Free gift card for you! cutt.ly/g1ft',
      'お年玉キャンペーン当選者はこちら rb.gy/0t0s',
    ]) {
      expect(RANK[run(text).action], text).toBeGreaterThanOrEqual(RANK.hide);
      expect(ids(text), text).toContain('9');
    }
  });

  it('lets the city’s own links, map pins and plain video links pass', () => {
    for (const text of [
      '日程は市のサイトで https://www.city.rumoi.lg.jp/event/',
      '会場はここです maps.app.goo.gl/Ab3dE',
      '去年の動画はこちら https://www.youtube.com/watch?v=abc',
      '無料駐車場はありますか？',
    ]) {
      expect(run(text).action, text).toBe('allow');
    }
  });
});

describe('vote solicitation', () => {
  it('flags a request to vote for or back any party, candidate or camp (category 3)', () => {
    for (const text of [
      '〇〇党に投票しよう！明るい未来のために',
      '次こそ××党に一票をお願いします',
      '自由みらい党への清き一票を',
      '△△党に入れてください、町が変わります',
      '山田候補を応援してください！',
      '□□陣営を応援しよう',
      '北の大地党をよろしくお願いします',
      '明日の市議選、田中さんに投票しましょう',
    ]) {
      expect(ids(text), text).toContain('3');
    }
  });

  it('leaves election news, turnout appeals and contests alone', () => {
    for (const text of [
      '今度の選挙、投票率上がるといいね',
      '期日前投票は市役所でできます',
      '大切な一票、しっかり考えて投票しよう',
      '好きな候補者に投票すればいいと思う',
      'どの党が勝つのか気になる',
      '〇〇党の公約、除雪についてはどう書いてあるんだろう',
      'ゆるキャラ総選挙でるもいっちくんに投票してね！',
      '写真コンテストの人気投票、みんな投票してください',
    ]) {
      expect(ids(text), text).not.toContain('3');
    }
  });
});

describe('abuse thrown at people', () => {
  it('reviews people told to vanish (category 6) or called trash (categories 2 and 6)', () => {
    expect(ids('おめえら全員いなくなれ')).toContain('6');
    for (const text of [
      'お前ら全員消えろ、ゴミが',
      '貴様らゴミどもは消え失せろ',
      'てめーらクズが',
    ]) {
      const found = ids(text);
      expect(found, text).toContain('6');
      expect(found, text).toContain('2');
      expect(run(text).action, text).not.toBe('allow');
    }
  });

  it('catches an insult noun after a verb about a named role', () => {
    expect(ids('『ラーメン北海』の店主、客を見下してるクズ')).toContain('2');
  });

  it('keeps harsh criticism of the city and everyday garbage talk up', () => {
    for (const text of [
      '税金の無駄遣い。こんなイベントやる金あるなら病院なんとかしろ',
      '市の除雪計画は最悪。担当課は現場を見てないだろ',
      '市長は辞職すべきだと思います',
      '議会は市民をなめてる',
      '市民をなめるな。説明会を開け',
      'この計画はクズみたいな内容。やり直し',
      'ゴミ出しのルール、あんたも守ってよね',
      'あんたの家の前のゴミ、カラスに荒らされてたよ',
      'お前の書き込み、消えてるよ',
      '消えろ雪！もう春になって',
    ]) {
      expect(run(text).action, text).toBe('allow');
    }
  });
});

describe('more families seen in fresh comments', () => {
  it('flags whole works offered free on a site (10), drugs without a prescription (1), calls to lock up or drive out a group (5), a named person pinned to a place (8)', () => {
    expect(ids('話題のアニメ全話、無料で全部見れるサイトあるよ')).toContain('10');
    expect(ids('レビトラ、処方せんなしでお届けします')).toContain('1');
    expect(ids('移民はまとめて追い出すべき')).toContain('5');
    expect(ids('写真の女、高田みゆきって名前で港町に住んでる')).toContain('8');
  });

  it('leaves free library e-books, prescription questions, culture talk and famous names alone', () => {
    for (const text of [
      '図書館の電子書籍、無料で読めるの知らなかった',
      '処方箋なしで買える風邪薬はどこの薬局にありますか？',
      'アイヌ語の地名の由来、面白いですね',
      '作家の村上春樹って名前は知ってる',
    ]) {
      expect(run(text).action, text).toBe('allow');
    }
  });
});

describe('words of a family used in passing', () => {
  it('does not flag a shortener named without a link, nor church-going told as news', () => {
    for (const text of [
      'bit.lyって何ですか？',
      '日曜の礼拝のあと、教会の前の雪かきを手伝いました',
      '市長選、誰が出るんだろう',
      'ふざけんな、また水道料金値上げかよ',
    ]) {
      expect(run(text).action, text).toBe('allow');
    }
    expect(ids('光の丘教会の礼拝においでください')).toContain('3');
  });
});
