import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ACTIONS, CATEGORY_IDS } from '../../lambdas/core/contracts/codes';
import type { MonthlyReport } from '../../lambdas/core/review/report';
import { type Api, errorText } from './api';
import { Notice } from './components';
import { ACTION_NAMES, CATEGORY_NAMES, jstToday } from './labels';

/**
 * The monthly report with charts drawn in the page (Chart.js, bundled: no CDN), each chart with
 * the same numbers as a table beside it (for screen readers and for the printed copy), a print
 * layout and a CSV export.
 */

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = '"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif';
Chart.defaults.color = '#1b1b1b';

// Colour-blind-safe palette (Okabe-Ito), dark enough against white.
const ACTION_COLOURS = { allow: '#0072B2', review: '#E69F00', hide: '#CC79A7', delete: '#D55E00' };

interface ChartSpec {
  readonly labels: readonly string[];
  readonly datasets: readonly { label: string; data: readonly number[]; colour: string }[];
  readonly horizontal?: boolean;
  readonly stacked?: boolean;
}

const BarChart = ({ id, title, spec }: { id: string; title: string; spec: ChartSpec }) => {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const datasets: ChartDataset<'bar'>[] = spec.datasets.map((d) => ({
      label: d.label,
      data: [...d.data],
      backgroundColor: d.colour,
    }));
    const chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [...spec.labels], datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? 'y' : 'x',
        scales: {
          x: { stacked: spec.stacked ?? false, ticks: { precision: 0, autoSkip: true } },
          y: { stacked: spec.stacked ?? false, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    // What the chart holds, for the browser tests to compare with the API's numbers.
    canvas.dataset.series = JSON.stringify(
      chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
    );
    const resize = () => chart.resize();
    window.addEventListener('beforeprint', resize);
    return () => {
      window.removeEventListener('beforeprint', resize);
      chart.destroy();
    };
  }, [spec]);
  return (
    <figure class="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <div class={`canvas-box ${spec.horizontal ? 'tall' : ''}`}>
        <canvas id={id} ref={ref} role="img" aria-label={`${title}のグラフ（数値は下の表）`} />
      </div>
      <details>
        <summary>{title}（表）</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">項目</th>
                {spec.datasets.map((d) => (
                  <th scope="col" key={d.label}>
                    {d.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {spec.labels.map((label, i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {spec.datasets.map((d) => (
                    <td key={d.label}>{d.data[i]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
};

const byActionDatasets = (rows: readonly Record<string, number>[]) =>
  ACTIONS.map((a) => ({
    label: ACTION_NAMES[a],
    data: rows.map((r) => r[a] ?? 0),
    colour: ACTION_COLOURS[a],
  }));

const minutesText = (m: number | undefined) =>
  m === undefined ? '—' : m >= 60 ? `${Math.floor(m / 60)}時間${Math.round(m % 60)}分` : `${m}分`;

const ReportPage = ({ api }: { api: Api }) => {
  const [month, setMonth] = useState(jstToday().slice(0, 7));
  const [report, setReport] = useState<MonthlyReport>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setReport(undefined);
    setError(undefined);
    api
      .get<MonthlyReport>(`/reports/monthly?month=${encodeURIComponent(month)}`)
      .then(setReport, (err) => setError(errorText(err)));
  }, [api, month]);

  const download = async () => {
    try {
      const blob = await api.blob(`/reports/monthly?month=${encodeURIComponent(month)}&format=csv`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `instagram-report-${month}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const r = report;
  return (
    <section aria-labelledby="rep-title" class="report">
      <h1 id="rep-title">月次報告 {r ? r.month : ''}</h1>
      <div class="toolbar no-print">
        <div class="field inline">
          <label for="r-month">対象月</label>
          <input
            id="r-month"
            type="month"
            value={month}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              if (v) setMonth(v);
            }}
          />
        </div>
        <button type="button" onClick={() => window.print()}>
          印刷
        </button>
        <button type="button" onClick={download}>
          CSV を保存
        </button>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!r && !error ? <p>読み込み中…</p> : null}
      {r ? (
        <>
          <dl class="summary" data-testid="report-summary">
            <div>
              <dt>判定件数</dt>
              <dd data-key="total">{r.total}</dd>
            </div>
            {ACTIONS.map((a) => (
              <div key={a}>
                <dt>{ACTION_NAMES[a]}</dt>
                <dd data-key={a}>{r.byAction[a]}</dd>
              </div>
            ))}
            <div>
              <dt>職員確認</dt>
              <dd>{r.reviews.reviewed}件</dd>
            </div>
            <div>
              <dt>うち開庁時間内</dt>
              <dd>
                {r.reviews.shareWithinOfficeHours === null
                  ? '—'
                  : `${Math.round(r.reviews.shareWithinOfficeHours * 100)}%`}
              </dd>
            </div>
            <div>
              <dt>確認までの時間（中央値 / 90%）</dt>
              <dd>
                {minutesText(r.reviews.turnaround?.medianMinutes)} /{' '}
                {minutesText(r.reviews.turnaround?.p90Minutes)}
              </dd>
            </div>
            <div>
              <dt>確認待ち</dt>
              <dd>{r.reviews.pending}件</dd>
            </div>
          </dl>
          <div class="charts">
            <BarChart
              id="chart-category"
              title="禁止事項の区分別（対応ごと）"
              spec={{
                labels: CATEGORY_IDS.map((id) => `${id}. ${CATEGORY_NAMES[id]}`),
                datasets: byActionDatasets(CATEGORY_IDS.map((id) => r.byCategory[id])),
                horizontal: true,
                stacked: true,
              }}
            />
            <BarChart
              id="chart-day"
              title="日別の判定件数"
              spec={{
                labels: r.byDay.map((d) => d.day.slice(5)),
                datasets: byActionDatasets(r.byDay.map((d) => d.byAction)),
                stacked: true,
              }}
            />
            <BarChart
              id="chart-hour"
              title="時間帯別の判定件数"
              spec={{
                labels: r.byHour.map((_, h) => `${h}時`),
                datasets: [{ label: '件数', data: r.byHour, colour: '#0072B2' }],
              }}
            />
            <BarChart
              id="chart-inquiries"
              title="問い合わせ（月別）"
              spec={{
                labels: r.inquiriesByMonth.map((m) => m.month),
                datasets: [
                  {
                    label: '問い合わせ',
                    data: r.inquiriesByMonth.map((m) => m.total),
                    colour: '#0072B2',
                  },
                  {
                    label: 'うち対応済み',
                    data: r.inquiriesByMonth.map((m) => m.handled),
                    colour: '#009E73',
                  },
                ],
              }}
            />
          </div>
        </>
      ) : null}
    </section>
  );
};

export { ReportPage };
