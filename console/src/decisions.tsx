import { useEffect, useState } from 'preact/hooks';
import { ACTION_STATUSES, ACTIONS } from '../../lambdas/core/contracts/codes';
import type { CommentDetail, SearchResult } from '../../lambdas/core/review/service';
import { type Api, errorText } from './api';
import {
  Categories,
  categoryOptions,
  HighlightedText,
  Notice,
  PiiTypes,
  StateBadges,
} from './components';
import {
  ACTION_NAMES,
  AUDIT_NAMES,
  categoryLabel,
  DECISION_NAMES,
  jst,
  jstToday,
  STATUS_NAMES,
} from './labels';

/** Decision search (by date, action, category, status) and one comment's page with its trail. */

const REVIEW_NAMES = { pending: '確認待ち', reviewed: '職員確認済み', none: '確認不要' } as const;

const excerpt = (text: string | undefined) => {
  const chars = [...(text ?? '')];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
};

const DecisionsPage = ({ api, query }: { api: Api; query: URLSearchParams }) => {
  const initial = {
    from: query.get('from') ?? jstToday(-6),
    to: query.get('to') ?? jstToday(),
    action: query.get('action') ?? '',
    category: query.get('category') ?? '',
    status: query.get('status') ?? '',
    review: query.get('review') ?? '',
  };
  const [form, setForm] = useState(initial);
  const [result, setResult] = useState<SearchResult>();
  const [error, setError] = useState<string>();

  const search = async (values: typeof initial) => {
    setError(undefined);
    const params = new URLSearchParams(
      Object.entries(values).filter(([, v]) => v !== '') as [string, string][],
    );
    try {
      setResult(await api.get<SearchResult>(`/comments?${params}&limit=200`));
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    void search(initial);
  }, []);

  const set = (name: keyof typeof initial) => (e: Event) =>
    setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section aria-labelledby="dec-title">
      <h1 id="dec-title">判定の検索</h1>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search(form);
        }}
      >
        <div class="field">
          <label for="s-from">開始日</label>
          <input id="s-from" type="date" value={form.from} onInput={set('from')} required />
        </div>
        <div class="field">
          <label for="s-to">終了日</label>
          <input id="s-to" type="date" value={form.to} onInput={set('to')} required />
        </div>
        <div class="field">
          <label for="s-action">対応</label>
          <select id="s-action" value={form.action} onChange={set('action')}>
            <option value="">すべて</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_NAMES[a]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-category">区分</label>
          <select id="s-category" value={form.category} onChange={set('category')}>
            <option value="">すべて</option>
            {categoryOptions.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-status">実行状況</label>
          <select id="s-status" value={form.status} onChange={set('status')}>
            <option value="">すべて</option>
            {ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-review">職員確認</label>
          <select id="s-review" value={form.review} onChange={set('review')}>
            <option value="">すべて</option>
            {Object.entries(REVIEW_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          検索
        </button>
      </form>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {result ? (
        <>
          <p role="status">
            {result.total}件
            {result.total > result.items.length
              ? `（新しい順に${result.items.length}件を表示）`
              : ''}
          </p>
          <div class="table-wrap">
            <table class="results">
              <caption class="visually-hidden">検索結果</caption>
              <thead>
                <tr>
                  <th scope="col">判定日時</th>
                  <th scope="col">対応</th>
                  <th scope="col">区分</th>
                  <th scope="col">実行状況</th>
                  <th scope="col">本文（伏せ字済み）</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((v) => (
                  <tr key={v.commentId}>
                    <td>
                      <a href={`#/comments/${v.commentId}`}>{jst(v.decidedAt)}</a>
                    </td>
                    <td>{ACTION_NAMES[v.reviewOutcome?.finalAction ?? v.action]}</td>
                    <td>{v.categories.map((c) => c.id).join(', ') || '—'}</td>
                    <td>{STATUS_NAMES[v.actionStatus]}</td>
                    <td>{excerpt(v.redactedText)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
};

const DetailPage = ({ api, commentId }: { api: Api; commentId: string }) => {
  const [detail, setDetail] = useState<CommentDetail>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .get<CommentDetail>(`/comments/${encodeURIComponent(commentId)}`)
      .then(setDetail, (err) => setError(errorText(err)));
  }, [api, commentId]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!detail) return <p>読み込み中…</p>;
  const d = detail.decision;
  return (
    <section aria-labelledby="detail-title">
      <h1 id="detail-title">コメント {d.commentId}</h1>
      <StateBadges view={d} />
      <HighlightedText view={d} />
      <dl class="facts">
        <dt>受信</dt>
        <dd>{jst(d.receivedAt)}</dd>
        <dt>判定</dt>
        <dd>
          {jst(d.decidedAt)}・{ACTION_NAMES[d.action]}
        </dd>
        <dt>実行状況</dt>
        <dd>{STATUS_NAMES[d.actionStatus]}</dd>
        <dt>職員の確認</dt>
        <dd>
          {d.reviewOutcome
            ? `${d.reviewOutcome.reviewerName ?? d.reviewOutcome.reviewer}・${jst(d.reviewOutcome.reviewedAt)}・${DECISION_NAMES[d.reviewOutcome.decision]}（${ACTION_NAMES[d.reviewOutcome.finalAction]}）`
            : d.queue
              ? '確認待ち'
              : '—'}
        </dd>
        <dt>個人情報の種類</dt>
        <dd>
          <PiiTypes types={d.piiTypes} />
        </dd>
        <dt>方針・判定器の版</dt>
        <dd>
          {d.policyVersion} / {d.classifierVersion ?? '—'}
        </dd>
      </dl>
      <h2>禁止事項の区分と根拠</h2>
      <Categories view={d} />
      <h2>監査記録</h2>
      {detail.audit.length === 0 ? (
        <p class="muted">記録はまだありません。</p>
      ) : (
        <div class="table-wrap">
          <table class="audit">
            <caption class="visually-hidden">監査記録（古い順）</caption>
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">操作者</th>
                <th scope="col">操作</th>
                <th scope="col">理由</th>
              </tr>
            </thead>
            <tbody>
              {detail.audit.map((e) => (
                <tr key={e.eventId}>
                  <td>{jst(e.at)}</td>
                  <td>
                    {e.actor.kind === 'system' ? 'システム' : (e.actor.name ?? e.actor.id)}
                    <span class="meta"> ({e.actor.id})</span>
                  </td>
                  <td>{AUDIT_NAMES[e.type] ?? e.type}</td>
                  <td>{e.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

export { DecisionsPage, DetailPage };
