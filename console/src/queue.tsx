import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CategoryId } from '../../lambdas/core/contracts/codes';
import type { CommentDetail } from '../../lambdas/core/review/service';
import type { ReviewView } from '../../lambdas/core/review/view';
import { type Api, ApiError, errorText } from './api';
import { Categories, HighlightedText, Notice, PiiTypes, StateBadges } from './components';
import { businessAge, CATEGORY_NAMES, DECISION_NAMES, jst } from './labels';

/**
 * The review queue (article 5(1)): oldest first. A reviewer can clear it from the keyboard:
 * J/K move between comments, A/H/D choose approve, keep hidden or delete and put the cursor in the
 * reason, Enter records. A stale version is explained (who decided, when), not shown as an error.
 */

type Choice = 'approve' | 'hide' | 'delete';

const DEFAULT_REASONS: Record<Choice, string> = {
  approve: '方針に該当しないため表示',
  hide: '方針に該当するため非表示',
  delete: '方針に該当するため削除',
};

const CHOICE_NAMES: Record<Choice, string> = {
  approve: '承認して表示する',
  hide: '非表示で確定する',
  delete: '削除する（元に戻せません）',
};

interface Message {
  readonly kind: 'info' | 'success' | 'error';
  readonly text: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

const ReviewForm = ({
  view,
  api,
  onDone,
  onStale,
}: {
  view: ReviewView;
  api: Api;
  onDone: (view: ReviewView, message: string) => void;
  onStale: (view: ReviewView) => void;
}) => {
  const machine = view.categories.map((c) => c.id);
  const [choice, setChoice] = useState<Choice | undefined>(undefined);
  const [categories, setCategories] = useState<CategoryId[]>(machine);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const reasonRef = useRef<HTMLInputElement>(null);
  const id = `r${view.commentId}`;

  const choose = useCallback((next: Choice) => {
    setChoice(next);
    setReason((r) => r || DEFAULT_REASONS[next]);
    setTimeout(() => {
      reasonRef.current?.focus();
      reasonRef.current?.select();
    }, 0);
  }, []);

  useEffect(() => {
    const el = reasonRef.current?.closest('article');
    if (!el) return;
    const listener = (e: Event) => choose((e as CustomEvent<Choice>).detail);
    el.addEventListener('choose', listener);
    return () => el.removeEventListener('choose', listener);
  }, [choose]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!choice) {
      setError('対応を選んでください。');
      return;
    }
    if (!reason.trim()) {
      setError('理由を入力してください。');
      return;
    }
    if (choice !== 'approve' && categories.length === 0) {
      setError('非表示・削除には禁止事項の区分を一つ以上選んでください。');
      return;
    }
    setBusy(true);
    setError(undefined);
    const base = { version: view.version, reason: reason.trim() };
    const body =
      choice === 'approve'
        ? { action: 'approve', ...base }
        : sameSet(categories, machine)
          ? { action: 'confirm', outcome: choice, ...base }
          : { action: 'reclassify', outcome: choice, categories, ...base };
    try {
      await api.post(`/reviews/${view.commentId}`, body);
      onDone(view, `${view.commentId}: 「${CHOICE_NAMES[choice]}」を記録しました。`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onStale(view);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="review-form" onSubmit={submit} aria-label={`コメント ${view.commentId} の対応`}>
      <fieldset>
        <legend>対応</legend>
        {(['approve', 'hide', 'delete'] as const).map((c) => (
          <label key={c} class={`choice choice-${c}`}>
            <input
              type="radio"
              name={`${id}-choice`}
              value={c}
              checked={choice === c}
              onChange={() => choose(c)}
            />
            {CHOICE_NAMES[c]}
          </label>
        ))}
      </fieldset>
      {choice && choice !== 'approve' ? (
        <fieldset class="category-picker">
          <legend>禁止事項の区分（機械の判定から変更できます）</legend>
          {(Object.keys(CATEGORY_NAMES) as CategoryId[]).map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={categories.includes(c)}
                onChange={(e) =>
                  setCategories((prev) =>
                    (e.currentTarget as HTMLInputElement).checked
                      ? [...prev, c]
                      : prev.filter((x) => x !== c),
                  )
                }
              />
              {c}. {CATEGORY_NAMES[c]}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div class="field">
        <label for={`${id}-reason`}>理由（監査記録に残ります。個人情報は書かないでください）</label>
        <input
          id={`${id}-reason`}
          ref={reasonRef}
          type="text"
          maxLength={500}
          value={reason}
          onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <button
        type="submit"
        class={`primary ${choice === 'delete' ? 'danger' : ''}`}
        disabled={busy}
      >
        {busy ? '記録中…' : '記録する'}
      </button>
    </form>
  );
};

const staleText = (detail: CommentDetail): string => {
  const d = detail.decision;
  const o = d.reviewOutcome;
  if (o) {
    return `コメント ${d.commentId} は ${o.reviewerName ?? o.reviewer} さんが ${jst(o.reviewedAt)} に「${DECISION_NAMES[o.decision]}」を記録済みでした。あなたの操作は記録していません。最新の状態を確認してください。`;
  }
  return `コメント ${d.commentId} は読み込んだ後に更新されていました。あなたの操作は記録していません。最新の状態を表示しました。`;
};

const QueuePage = ({ api, canAct }: { api: Api; canAct: boolean }) => {
  const [items, setItems] = useState<ReviewView[] | undefined>(undefined);
  const [message, setMessage] = useState<Message | undefined>(undefined);
  const listRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const page = await api.get<{ items: ReviewView[] }>('/reviews?limit=200');
      setItems(page.items);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const cards = () => [...(listRef.current?.querySelectorAll<HTMLElement>('article.card') ?? [])];

  const focusCard = (index: number) => {
    const all = cards();
    const target = all[Math.max(0, Math.min(index, all.length - 1))];
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (target.closest('input, textarea, select')) return;
      const all = cards();
      const current = target.closest<HTMLElement>('article.card');
      const index = current ? all.indexOf(current) : -1;
      const key = e.key.toLowerCase();
      if (key === 'j') {
        e.preventDefault();
        focusCard(index + 1);
      } else if (key === 'k') {
        e.preventDefault();
        focusCard(index <= 0 ? 0 : index - 1);
      } else if (canAct && current && (key === 'a' || key === 'h' || key === 'd')) {
        e.preventDefault();
        const choice: Choice = key === 'a' ? 'approve' : key === 'h' ? 'hide' : 'delete';
        current.dispatchEvent(new CustomEvent('choose', { detail: choice }));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canAct]);

  const onDone = (done: ReviewView, text: string) => {
    const index = (items ?? []).findIndex((i) => i.commentId === done.commentId);
    setItems((prev) => (prev ?? []).filter((i) => i.commentId !== done.commentId));
    setMessage({ kind: 'success', text });
    setTimeout(() => focusCard(index), 0);
  };

  const onStale = async (stale: ReviewView) => {
    try {
      const detail = await api.get<CommentDetail>(`/comments/${stale.commentId}`);
      setMessage({ kind: 'info', text: staleText(detail) });
      setItems((prev) =>
        (prev ?? []).flatMap((i) =>
          i.commentId !== stale.commentId ? [i] : detail.decision.queue ? [detail.decision] : [],
        ),
      );
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">確認待ちのコメント{items ? `（${items.length}件）` : ''}</h1>
      <p class="help">
        古い順に表示しています。経過時間は開庁時間（平日 8:50〜17:20）で数えます。
        {canAct ? (
          <>
            {' '}
            キーボード: <kbd>J</kbd>/<kbd>K</kbd> で移動、<kbd>A</kbd> 承認、<kbd>H</kbd>{' '}
            非表示で確定、<kbd>D</kbd> 削除、<kbd>Enter</kbd> で記録。
          </>
        ) : null}
      </p>
      {!canAct ? <Notice kind="info">閲覧のみの権限です。承認・確定はできません。</Notice> : null}
      <div aria-live="polite">
        {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      </div>
      {items === undefined ? <p>読み込み中…</p> : null}
      {items?.length === 0 ? <p class="empty">確認待ちのコメントはありません。</p> : null}
      <div class="cards" ref={listRef}>
        {items?.map((view) => (
          <article
            class="card"
            key={`${view.commentId}-${view.version}`}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: J/K move the focus from comment to comment; A/H/D act on the focused one
            tabIndex={0}
            aria-labelledby={`h${view.commentId}`}
            data-comment-id={view.commentId}
          >
            <header class="card-head">
              <h2 id={`h${view.commentId}`}>
                <a href={`#/comments/${view.commentId}`}>コメント {view.commentId}</a>
              </h2>
              <span class="meta">
                判定 {jst(view.decidedAt)}・経過 {businessAge(view.ageBusinessMs)}
              </span>
            </header>
            <StateBadges view={view} />
            <HighlightedText view={view} />
            <Categories view={view} />
            <p class="pii-line">
              個人情報の種類: <PiiTypes types={view.piiTypes} />
            </p>
            {canAct ? <ReviewForm view={view} api={api} onDone={onDone} onStale={onStale} /> : null}
          </article>
        ))}
      </div>
    </section>
  );
};

export { QueuePage };
