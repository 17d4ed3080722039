import { useEffect, useState } from 'preact/hooks';
import type { Health } from '../../lambdas/core/review/health';
import { type Api, errorText } from './api';
import { Notice } from './components';
import { jst, PROBLEM_NAMES } from './labels';

/** Is the pipeline running: queues, dead letters, the last delivery, act mode, versions. */

const QUEUE_NAMES = { comments: 'コメント判定キュー', actions: '非表示・削除キュー' } as const;

const HealthPage = ({ api }: { api: Api }) => {
  const [health, setHealth] = useState<Health>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.get<Health>('/health').then(setHealth, (err) => setError(errorText(err)));
  }, [api]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!health) return <p>読み込み中…</p>;
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">稼働状況</h1>
      {health.status === 'ok' ? (
        <Notice kind="success">正常に動いています（{jst(health.checkedAt)} 時点）。</Notice>
      ) : (
        <Notice kind="error">
          確認が必要です:
          <ul class="notice-list">
            {health.problems.map((p) => (
              <li key={p}>{PROBLEM_NAMES[p]}</li>
            ))}
          </ul>
        </Notice>
      )}
      <dl class="facts">
        <dt>最後に受信したコメント</dt>
        <dd>{jst(health.lastReceivedAt)}</dd>
        <dt>最後の判定</dt>
        <dd>{jst(health.lastDecidedAt)}</dd>
        <dt>非表示・削除の実行</dt>
        <dd>
          {health.actMode === 'live'
            ? '本番（Instagram で実際に非表示・削除します）'
            : '試行（記録のみ。Instagram は操作しません）'}
        </dd>
        <dt>運用方針の版</dt>
        <dd>{health.policyVersion ?? '—'}</dd>
        <dt>判定器の版</dt>
        <dd>{health.classifierVersion ?? '—'}</dd>
      </dl>
      <div class="table-wrap">
        <table>
          <caption>キューの状況</caption>
          <thead>
            <tr>
              <th scope="col">キュー</th>
              <th scope="col">待ち</th>
              <th scope="col">処理中</th>
              <th scope="col">遅延</th>
              <th scope="col">失敗（DLQ）</th>
            </tr>
          </thead>
          <tbody>
            {(['comments', 'actions'] as const).map((q) => (
              <tr key={q}>
                <th scope="row">{QUEUE_NAMES[q]}</th>
                <td>{health.queues[q].visible}</td>
                <td>{health.queues[q].inFlight}</td>
                <td>{health.queues[q].delayed}</td>
                <td class={health.queues[q].deadLetters > 0 ? 'bad' : ''}>
                  {health.queues[q].deadLetters}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

export { HealthPage };
