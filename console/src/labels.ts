import type { Action, ActionStatus, CategoryId } from '../../lambdas/core/contracts/codes';
import type { PiiType } from '../../lambdas/core/pii/types';
import type { HealthProblem } from '../../lambdas/core/review/health';

/** Japanese labels for what the API returns as codes. */

/** Article 6 categories (short names for tables and charts). */
const CATEGORY_NAMES: Record<CategoryId, string> = {
  '1': '法令違反',
  '2': '誹謗中傷',
  '3': '政治・宗教活動',
  '4': '広告・勧誘',
  '5': '差別',
  '6': '公序良俗違反',
  '7': 'なりすまし・虚偽',
  '8': '個人情報',
  '9': '有害プログラム',
  '10': '著作権・肖像権',
  '11': 'その他不適切',
};

const categoryLabel = (id: CategoryId): string => `第6条(${id}) ${CATEGORY_NAMES[id]}`;

const ACTION_NAMES: Record<Action, string> = {
  allow: '許可',
  review: '要確認',
  hide: '非表示',
  delete: '削除',
};

const STATUS_NAMES: Record<ActionStatus, string> = {
  none: 'なし',
  pending: '処理待ち',
  done: '実行済み',
  failed: '失敗',
  dry_run: '試行（実行せず）',
  skipped_live: 'ライブ配信のため対象外',
};

const VISIBILITY_NAMES = { visible: '表示中', hidden: '非表示中', deleted: '削除済み' } as const;

const PII_NAMES: Record<PiiType, string> = {
  person_name: '氏名',
  phone: '電話番号',
  email: 'メールアドレス',
  postal_code: '郵便番号',
  address: '住所',
  my_number: '個人番号',
  credit_card: 'カード番号',
  bank_account: '口座番号',
  passport: '旅券番号',
  drivers_license: '免許証番号',
  birth_date: '生年月日',
  license_plate: '車のナンバー',
};

const DECISION_NAMES = {
  approve: '承認（表示）',
  confirm: '確定',
  reclassify: '区分を変更',
} as const;

const AUDIT_NAMES: Record<string, string> = {
  'review.approve': '承認して表示',
  'review.confirm': '判定を確定',
  'review.reclassify': '区分・対応を変更',
  'system.interim_hide': '時間外の一時非表示',
  'inquiry.handled': '問い合わせ対応済み',
  'inquiry.reopened': '問い合わせを未対応に戻す',
  'digest.published': '日報の送信',
};

const PROBLEM_NAMES: Record<HealthProblem, string> = {
  comments_dead_letters: 'コメントの処理に失敗したメッセージがあります（DLQ）',
  actions_dead_letters: '非表示・削除の実行に失敗したメッセージがあります（DLQ）',
  comments_backlog: '判定待ちのコメントが溜まっています',
  actions_backlog: '実行待ちの非表示・削除が溜まっています',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM` in JST, whatever the browser's time zone. */
const jst = (iso: string | undefined): string => {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 9 * 3_600_000);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

const jstToday = (offsetDays = 0): string =>
  jst(new Date(Date.now() + offsetDays * 86_400_000).toISOString()).slice(0, 10);

const businessAge = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}時間${pad(minutes % 60)}分`;
};

export {
  ACTION_NAMES,
  AUDIT_NAMES,
  businessAge,
  CATEGORY_NAMES,
  categoryLabel,
  DECISION_NAMES,
  jst,
  jstToday,
  PII_NAMES,
  PROBLEM_NAMES,
  STATUS_NAMES,
  VISIBILITY_NAMES,
};
