/**
 * The comments `npm run demo` sends: what a small city's Instagram really receives, one or more of
 * each kind. Every name, number and address below is made up; phone numbers use ranges and
 * addresses use block numbers that do not belong to anyone we know of.
 */

type DemoKind =
  | 'benign'
  | 'criticism'
  | 'question'
  | 'spam'
  | 'abuse'
  | 'personal data'
  | 'evasion';

interface DemoComment {
  readonly kind: DemoKind;
  readonly text: string;
  /** A commenter handle, made up; masked from the stored record if it appears in the text. */
  readonly username: string;
}

const DEMO_COMMENTS: readonly DemoComment[] = [
  { kind: 'benign', text: '黄金岬の夕日、今年も最高でした🌅', username: 'sunset_lover' },
  {
    kind: 'benign',
    text: '少年団のみんな優勝おめでとう！寒い中よく頑張った👏',
    username: 'hokkaido_mama',
  },
  {
    kind: 'benign',
    text: 'Visited Rumoi last summer, the seafood was amazing!',
    username: 'travel_kate',
  },
  {
    kind: 'criticism',
    text: '除雪が遅すぎる。税金払ってるのに朝になっても家の前が通れない',
    username: 'snow_angry',
  },
  {
    kind: 'criticism',
    text: '市長の判断は間違っていると思う。留萌本線の廃止、もっと粘れたはず',
    username: 'rail_fan_rumoi',
  },
  {
    kind: 'question',
    text: 'ゴミの収集日、年末年始はどうなりますか？',
    username: 'new_resident',
  },
  {
    kind: 'question',
    text: '船場公園のトイレ、夜も使えるようにしてほしいです',
    username: 'walker_88',
  },
  {
    kind: 'spam',
    text: 'スマホ1台で月30万💰 主婦でもできる副業教えます！気になる人はDMください',
    username: 'easy_money_jp',
  },
  {
    kind: 'spam',
    text: '【当選】抽選で100名様にギフト券をプレゼント！プロフのURLから今すぐ登録👉 bit.ly/x-gift',
    username: 'gift_campaign_x',
  },
  {
    kind: 'abuse',
    text: 'この職員の顔ムカつく。次見かけたらぶん殴る',
    username: 'anon_12345',
  },
  {
    kind: 'abuse',
    text: '留萌の人間って田舎者だから頭悪いよな',
    username: 'troll_account',
  },
  {
    kind: 'personal data',
    text: '写真のデータ欲しい方は山本まで連絡ください📞090-3821-5567',
    username: 'photo_yamamoto',
  },
  {
    kind: 'personal data',
    text: 'この写真の子、佐々木ゆうとくんでしょ。留萌市港町2丁目4-8の家の子',
    username: 'nosy_neighbor',
  },
  {
    kind: 'personal data',
    text: '花火の写真売ります🎆 欲しい人は rumoi.photo.demo@example.com までメールで',
    username: 'fireworks_photo',
  },
  { kind: 'evasion', text: 'し ね よ 留萌なんか', username: 'spacer_troll' },
  { kind: 'evasion', text: 'ﾌｫﾛﾊﾞ100% 相互ﾌｫﾛｰしよ〜🙌', username: 'f4f_bot' },
  {
    kind: 'evasion',
    text: '留萌市民限定！給付金5万円の申請はこちら→ hxxp://rumoi-kyufu[.]top/login',
    username: 'kyufu_info',
  },
];

export type { DemoComment, DemoKind };
export { DEMO_COMMENTS };
