import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ReviewView } from '../../lambdas/core/review/view';
import { type Api, ApiError, errorText } from './api';
import { HighlightedText, Notice } from './components';
import { jst } from './labels';

/**
 * Inquiries (article 5(2)): questions and requests to the city, by date, with the department's
 * "handled" mark and note. The city never replies on Instagram: there is deliberately no reply here.
 */

const DAYS = 90;

const InquiryItem = ({ view, api, canAct }: { view: ReviewView; api: Api; canAct: boolean }) => {
  const [current, setCurrent] = useState(view);
  const [handled, setHandled] = useState(view.inquiryHandling?.handled ?? false);
  const [note, setNote] = useState(view.inquiryHandling?.note ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'info' | 'error'; text: string }>();
  const id = `q${view.commentId}`;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await api.post<{ inquiryVersion: number }>(`/inquiries/${view.commentId}`, {
        handled,
        note,
        version: current.inquiryVersion,
      });
      setCurrent({
        ...current,
        inquiryVersion: result.inquiryVersion,
        inquiryHandling: { handled, note, by: '', at: new Date().toISOString() },
      });
      setMessage({ kind: 'success', text: handled ? '対応済みにしました。' : '保存しました。' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setMessage({
          kind: 'info',
          text: 'ほかの職員が先に更新していました。ページを再読み込みして最新の内容を確認してください。',
        });
      } else setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const h = current.inquiryHandling;
  return (
    <li class={`inquiry ${h?.handled ? 'handled' : ''}`} data-comment-id={view.commentId}>
      <div class="inquiry-head">
        <span class="meta">{jst(view.decidedAt)}</span>{' '}
        <a href={`#/comments/${view.commentId}`}>コメント {view.commentId}</a>{' '}
        <span class={`badge ${h?.handled ? 'done' : 'open'}`}>
          {h?.handled ? '対応済み' : '未対応'}
        </span>
      </div>
      <HighlightedText view={view} />
      {h?.byName ? (
        <p class="meta">
          最終更新: {h.byName}（{jst(h.at)}）
        </p>
      ) : null}
      {canAct ? (
        <form
          class="inquiry-form"
          onSubmit={save}
          aria-label={`問い合わせ ${view.commentId} の対応記録`}
        >
          <label class="check">
            <input
              type="checkbox"
              checked={handled}
              onChange={(e) => setHandled((e.currentTarget as HTMLInputElement).checked)}
            />
            担当課で対応済み
          </label>
          <div class="field">
            <label for={`${id}-note`}>
              担当課メモ（対応した課・方法など。個人情報は書かないでください）
            </label>
            <textarea
              id={`${id}-note`}
              rows={2}
              maxLength={500}
              value={note}
              onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
            />
          </div>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? '保存中…' : '保存'}
          </button>
          {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
        </form>
      ) : h?.note ? (
        <p>担当課メモ: {h.note}</p>
      ) : null}
    </li>
  );
};

const InquiriesPage = ({ api, canAct }: { api: Api; canAct: boolean }) => {
  const [items, setItems] = useState<ReviewView[]>();
  const [error, setError] = useState<string>();
  const [openOnly, setOpenOnly] = useState(false);

  const load = useCallback(async () => {
    try {
      const since = new Date(Date.now() - DAYS * 86_400_000).toISOString();
      const page = await api.get<{ items: ReviewView[] }>(
        `/inquiries?since=${encodeURIComponent(since)}&limit=1000`,
      );
      setItems([...page.items].reverse());
    } catch (err) {
      setError(errorText(err));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const shown = (items ?? []).filter((i) => !openOnly || !i.inquiryHandling?.handled);
  const byDay = new Map<string, ReviewView[]>();
  for (const item of shown) {
    const day = jst(item.decidedAt).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }

  return (
    <section aria-labelledby="inq-title">
      <h1 id="inq-title">問い合わせ・要望{items ? `（${items.length}件）` : ''}</h1>
      <Notice kind="info">
        市は Instagram 上でコメントに返信しません（運用方針
        第5条(2)）。内容を担当課に伝え、担当課の窓口で対応してください。
      </Notice>
      <label class="check">
        <input
          type="checkbox"
          checked={openOnly}
          onChange={(e) => setOpenOnly((e.currentTarget as HTMLInputElement).checked)}
        />
        未対応のみ表示
      </label>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {items === undefined && !error ? <p>読み込み中…</p> : null}
      {items && shown.length === 0 ? (
        <p class="empty">該当する問い合わせはありません（過去{DAYS}日）。</p>
      ) : null}
      {[...byDay.entries()].map(([day, list]) => (
        <section key={day} aria-labelledby={`d${day}`}>
          <h2 id={`d${day}`} class="day">
            {day}
          </h2>
          <ul class="inquiries">
            {list.map((v) => (
              <InquiryItem key={v.commentId} view={v} api={api} canAct={canAct} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
};

export { InquiriesPage };
