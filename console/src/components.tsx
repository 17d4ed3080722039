import type { ComponentChildren } from 'preact';
import type { CategoryId } from '../../lambdas/core/contracts/codes';
import type { PiiType } from '../../lambdas/core/pii/types';
import type { ReviewView } from '../../lambdas/core/review/view';
import { ACTION_NAMES, CATEGORY_NAMES, categoryLabel, PII_NAMES, VISIBILITY_NAMES } from './labels';

/** The redacted text with the evidence marked; rule ids in each mark's title and for screen readers. */
const HighlightedText = ({ view }: { view: ReviewView }) => {
  const text = view.redactedText;
  if (text === undefined) return <p class="text muted">（本文はまだ届いていません）</p>;
  const parts: ComponentChildren[] = [];
  let cursor = 0;
  view.highlights.forEach((h, i) => {
    if (h.start < cursor) return;
    parts.push(text.slice(cursor, h.start));
    const label = `根拠: ${categoryLabel(h.category)} / ルール ${h.rule}`;
    parts.push(
      <mark key={i} title={label} data-rule={h.rule}>
        {text.slice(h.start, h.end)}
        <span class="visually-hidden">（{label}）</span>
      </mark>,
    );
    cursor = h.end;
  });
  parts.push(text.slice(cursor));
  return <p class="text">{parts}</p>;
};

const Categories = ({ view }: { view: ReviewView }) =>
  view.categories.length === 0 ? (
    <p class="muted">該当する禁止事項なし</p>
  ) : (
    <ul class="categories">
      {view.categories.map((c) => (
        <li key={c.id}>
          <span class="badge category">{categoryLabel(c.id)}</span>{' '}
          <span class="score">スコア {c.score.toFixed(2)}</span>{' '}
          <span class="rules">ルール: {c.rules.join(', ') || '—'}</span>
        </li>
      ))}
    </ul>
  );

const PiiTypes = ({ types }: { types: Partial<Record<PiiType, number>> }) => {
  const entries = Object.entries(types) as [PiiType, number][];
  return entries.length === 0 ? (
    <span class="muted">なし</span>
  ) : (
    <span>
      {entries.map(([type, n]) => (
        <span class="badge pii" key={type}>
          {PII_NAMES[type] ?? type} {n}件
        </span>
      ))}
    </span>
  );
};

const StateBadges = ({ view }: { view: ReviewView }) => (
  <span class="badges">
    <span class={`badge action-${view.action}`}>判定: {ACTION_NAMES[view.action]}</span>
    <span class={`badge visibility-${view.visibility}`}>{VISIBILITY_NAMES[view.visibility]}</span>
    {view.interimAction === 'hide' && !view.reviewOutcome ? (
      <span class="badge interim">時間外のため一時非表示（確認待ち）</span>
    ) : null}
    {view.inquiry ? <span class="badge inquiry">問い合わせ</span> : null}
  </span>
);

const categoryOptions = Object.keys(CATEGORY_NAMES) as CategoryId[];

const Notice = ({
  kind,
  children,
}: {
  kind: 'info' | 'success' | 'error';
  children: ComponentChildren;
}) => (
  <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    {children}
  </div>
);

export { Categories, categoryOptions, HighlightedText, Notice, PiiTypes, StateBadges };
