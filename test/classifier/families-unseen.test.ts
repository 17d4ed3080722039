import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../lambdas/adapters/kuromoji-tokenizer';
import { loadPolicy } from '../../lambdas/adapters/policy';
import { type Analysis, analyze } from '../../lambdas/core/analyze';
import type { Action, CategoryId } from '../../lambdas/core/contracts/decision';
import type { Tokenizer } from '../../lambdas/core/tokenizer';

/**
 * The rule families issue 14 added, each tried on wordings written for this test (none is a row
 * of shared/datasets) and on benign near-misses that share its words. The rules alone decide here:
 * the learned model is left out so that a family is judged by itself.
 */
let tokenizer: Tokenizer;
const policy = loadPolicy('rumoi');
const run = (text: string): Analysis => analyze(text, { policy, tokenizer });
const RANK: Readonly<Record<Action, number>> = { allow: 0, review: 1, hide: 2, delete: 3 };

beforeAll(async () => {
  tokenizer = await loadTokenizer();
});

const FAMILIES: ReadonlyArray<{
  readonly family: string;
  readonly category: CategoryId;
  readonly caught: readonly string[];
  readonly spared: readonly string[];
}> = [
  {
    family: 'discrimination without a slur',
    category: '5',
    caught: [
      'ネパール人の店員ばっかりで怖いから、あのコンビニもう行かない',
      'シングルマザーの家の子は礼儀がなってないよね',
      '女のくせに監督とか生意気',
      '障害者をチームに入れたら迷惑かけるだけでしょ',
    ],
    spared: [
      '外国人観光客向けの多言語案内、ありがとうございます',
      '障害のある子も一緒に楽しめるイベントで最高でした',
      'ベトナム人の実習生さんたち、港で毎朝あいさつしてくれる',
    ],
  },
  {
    family: 'violent wishes and threats, however written',
    category: '6',
    caught: [
      'あの審判 k0r0su',
      '担当者56すぞ',
      '監督◯ねよ',
      '飛び降りてこいよ陰キャ',
      '明日の朝、市役所に爆弾仕掛けたから',
    ],
    spared: [
      'この夕日、人を殺せる美しさ',
      'Let it shine! 留萌の夕日',
      '轢かれそうになったので横断歩道に信号つけてほしい',
    ],
  },
  {
    family: 'wishing someone misfortune, lying in wait',
    category: '6',
    caught: [
      'あの監督、いつか事故にでも遭えばいいのに',
      '市役所の連中、天罰が下ればいい',
      '市長の家の前で待ち伏せしてやろうかな',
    ],
    spared: [
      '事故に遭わないように気をつけてね',
      '病気にならないように暖かくしてください',
      '待ち伏せしてたキタキツネに驚いた',
    ],
  },
  {
    family: 'age and sexuality scorned',
    category: '5',
    caught: ['年寄りは早く免許返納しろよ、邪魔', 'ゲイが市のイベントに来るのは勘弁'],
    spared: ['高齢者は冬道の運転に注意してください', '年寄りは大事にしないとね'],
  },
  {
    family: 'animal cruelty told as an anecdote',
    category: '6',
    caught: ['カラスをエアガンで撃ち落とすの楽しい', '野良猫に爆竹投げたらめっちゃ逃げたｗ'],
    spared: [
      '猫にエアガン撃ってる人がいました、通報しました',
      'ウミネコの巣、今年もたくさんあってかわいい',
    ],
  },
  {
    family: 'sexual remarks about staff and people in the photos',
    category: '6',
    caught: ['受付の姉ちゃんエロすぎ', '右の職員さんの尻たまらん', '🍑💦'],
    spared: [
      'あそこのラーメン屋おいしい',
      '受付の職員さん、親切に教えてくれました',
      '胸がいっぱいになる夕日',
    ],
  },
  {
    family: 'defamation stated as fact',
    category: '2',
    caught: [
      'サッカー少年団のコーチ、保護者のお金を使い込んでるからね',
      '駅前の鮮魚店、古い魚をわざと混ぜて売ってる',
    ],
    spared: [
      '市長は除雪の予算をわざと減らしてるとしか思えない',
      '少年団のコーチ、いつも丁寧に教えてくれてありがとう',
    ],
  },
  {
    family: 'rumours and insider claims stated as fact',
    category: '7',
    caught: [
      '市役所の知り合いから聞いたけど、来年プールが閉館決定だって',
      '【拡散希望】明日の朝、留萌川が氾濫するかもしれません',
    ],
    spared: [
      '広報るもいに、来年から燃えるゴミ袋が値上げになるって書いてありました',
      '友達が昨日の地震けっこう揺れたって言ってた',
    ],
  },
  {
    family: 'impersonation asking for a message',
    category: '7',
    caught: [
      '留萌市観光課の者です。写真を使わせていただきたいので連絡先をDMください',
      'キャンペーン当選おめでとうございます！受け取りはプロフから',
    ],
    spared: [
      '@rumoi_official いつも素敵な投稿ありがとう',
      '市役所の観光課に電話したら丁寧に教えてくれた',
    ],
  },
  {
    family: 'campaigns, petitions and proselytising',
    category: '3',
    caught: [
      '来週の市議選、山本たかしをよろしくお願いします',
      '道の駅の移転に反対する署名を集めています。協力お願いします',
      '毎週日曜、教会で聖書を一緒に読みませんか。初めての方も歓迎です',
    ],
    spared: ['選挙の投票所はどこですか？', '神社のお祭り楽しかった', 'この夕日、神々しい'],
  },
  {
    family: 'spam in English, Chinese and Korean',
    category: '4',
    caught: [
      'Work from home and earn $400/day, DM me',
      '兼职日结 加V了解',
      '부업 하실 분 카톡 주세요',
    ],
    spared: ['Beautiful sunset, greetings from Taiwan!', '정말 아름다운 바다네요', '好漂亮的夕阳'],
  },
  {
    family: 'dark jobs',
    category: '1',
    caught: ['封筒を受け取るだけの簡単なバイト、日払い3万', '現金をうけとるだけで報酬5万、即日'],
    spared: [
      '荷物を受け取るだけのバイトは闇バイトなので気をつけてください',
      '宅配の荷物受け取ってから行きます！',
      '再配達の荷物を受け取るだけなのに窓口が混んでました',
    ],
  },
  {
    family: 'drugs offered by a leaf emoji, not a leaf in the park',
    category: '1',
    caught: ['🌿手押しで即配します', '叶子 邮寄到付'],
    spared: [
      '秋の公園🍃きれいですね',
      'ハーブ🌿の寄せ植え、玄関に飾りました',
      '密漁のニュースを見て悲しくなりました。取り締まり強化してほしい',
    ],
  },
  {
    family: 'illegal gambling, not the news about it',
    category: '1',
    caught: ['オンカジで月100万、招待コードはプロフ', '試合の勝敗で賭けしようぜ、胴元は俺'],
    spared: [
      'NPBの野球賭博事件のニュース、驚いた',
      'オンラインカジノの依存症対策を市でもやってほしい',
    ],
  },
  {
    family: 'threats, not care or everyday words',
    category: '6',
    caught: [
      '監督、夜道には気をつけろよ',
      '職員さん帰り道気をつけたほうがいいよ？',
      'あいつ刺してやる',
    ],
    spared: [
      '雪道と夜道に気をつけて帰ってくださいね。',
      '公園のトイレを覗いたら汚れていました、清掃お願いします',
      '夏の河川敷は蚊が刺してくるので虫よけ必須です',
      '来世に期待とか言ってないで今を頑張ろう',
      'その映画、主人公が爆弾を仕掛ける場面がこわかった',
    ],
  },
  {
    family: 'piracy',
    category: '10',
    caught: [
      '今期のアニメ全部タダで見られるサイトあるよ',
      '映画の新作、フルで見たい人はテレグラムで共有します',
    ],
    spared: [
      '映画館で見た映画が最高だった',
      'この曲、無料のコンサートで聴いたよ',
      '新作映画をフルで見たいので映画館に行きます',
    ],
  },
  {
    family: 'profile links offered with money, followers or dating',
    category: '4',
    caught: [
      '副業に興味ある人はぷろふのりんく見てね',
      'フォロワー増やせます 1000人500円',
      '前世を鑑定します、初回500円 DMで',
    ],
    spared: ['プロフの写真きれいですね', 'フォローしました、これからも楽しみにしてます'],
  },
  {
    family: 'text that says nothing',
    category: '11',
    caught: [
      'あいうえおかきくけこさしすせそ',
      'qwertyuiop asdfghjkl',
      '1 2 3 4 5 6 7 8 9 10 11 12',
    ],
    spared: ['1月2日の初日の出、きれいでした', 'あいうえお作文、子どもが楽しんでました'],
  },
  {
    family: 'chain messages and flooding',
    category: '11',
    caught: ['この文章をコピペして10人に送ってください', 'テストテストテストテストテスト'],
    spared: ['888888888888', 'かわいいかわいいかわいい', 'ニシン！ニシン！ニシン！'],
  },
];

describe('rule families that generalise (issue 14)', () => {
  for (const { family, category, caught, spared } of FAMILIES) {
    it(`${family}: caught under category ${category}`, () => {
      for (const text of caught) {
        const analysis = run(text);
        expect(
          analysis.categories.map((c) => c.id),
          text,
        ).toContain(category);
        expect(RANK[analysis.action], text).toBeGreaterThanOrEqual(RANK.review);
      }
    });
    it(`${family}: near-misses stay up`, () => {
      for (const text of spared) {
        const analysis = run(text);
        expect(
          analysis.categories.map((c) => c.id),
          text,
        ).not.toContain(category);
        expect(RANK[analysis.action], text).toBeLessThan(RANK.hide);
      }
    });
  }
});
