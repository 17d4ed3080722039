import type { BusinessCalendar } from '../calendar/calendar';
import {
  fromJst,
  HOUR_MS,
  jstDate,
  jstDateOfDay,
  jstDayNumber,
  jstTimeOfDay,
  MINUTE_MS,
} from '../calendar/jst';
import { ACTIONS, type Action, CATEGORY_IDS, type CategoryId } from '../contracts/decision';
import { queueOf, type ReviewItem } from './record';

/**
 * The monthly report a department head prints for the monthly meeting: what the machine decided in
 * a JST calendar month (by action, by article 6 category, by day, by hour of day), how staff
 * reviewed (share within office hours, turnaround) and inquiries per month over the past year.
 * Counts only: no text, no ids.
 */

type ActionCounts = Record<Action, number>;

interface DayCounts {
  /** `YYYY-MM-DD` (JST). */
  readonly day: string;
  readonly total: number;
  readonly byAction: ActionCounts;
}

interface Turnaround {
  /** Wall-clock minutes from the machine's decision to the review. */
  readonly medianMinutes: number;
  readonly p90Minutes: number;
  /** The same, counting only office-open minutes (article 5(1)). */
  readonly medianBusinessMinutes: number;
  readonly p90BusinessMinutes: number;
}

interface MonthlyReport {
  /** `YYYY-MM` (JST). */
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly byAction: ActionCounts;
  /** Every category, zeros included; a decision counts once under each category it asserts. */
  readonly byCategory: Record<CategoryId, { readonly total: number } & ActionCounts>;
  /** Every day of the month, in order. */
  readonly byDay: readonly DayCounts[];
  /** Decisions per JST hour of day, index 0..23. */
  readonly byHour: readonly number[];
  readonly reviews: {
    /** Decisions of the month a person has reviewed. */
    readonly reviewed: number;
    readonly withinOfficeHours: number;
    /** withinOfficeHours / reviewed; null when nothing was reviewed. */
    readonly shareWithinOfficeHours: number | null;
    readonly turnaround: Turnaround | null;
    /** Decisions of the month still in a review queue (waiting, or hidden by the machine). */
    readonly pending: number;
  };
  /** Twelve months ending with this one, oldest first. */
  readonly inquiriesByMonth: readonly {
    readonly month: string;
    readonly total: number;
    readonly handled: number;
  }[];
}

interface MonthlyReportInput {
  readonly month: string;
  /** Decisions made in the month (others are ignored). */
  readonly decided: readonly ReviewItem[];
  /** Inquiries of the twelve months ending with `month` (others are ignored). */
  readonly inquiries: readonly ReviewItem[];
  readonly calendar: BusinessCalendar;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

const monthKey = (year: number, month: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** `[from, to)` of a JST calendar month as ISO instants; undefined for anything else. */
const monthRange = (
  month: string,
  offset = 0,
): { readonly from: string; readonly to: string; readonly key: string } | undefined => {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return undefined;
  const index = year * 12 + Number(match[2]) - 1 + offset;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const next = index + 1;
  return {
    key: monthKey(y, m),
    from: new Date(fromJst(y, m, 1)).toISOString(),
    to: new Date(fromJst(Math.floor(next / 12), (next % 12) + 1, 1)).toISOString(),
  };
};

const zeroActions = (): ActionCounts =>
  Object.fromEntries(ACTIONS.map((a) => [a, 0])) as ActionCounts;

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number => {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
};

const unique = (items: readonly ReviewItem[], from: string, to: string): ReviewItem[] => {
  const seen = new Set<string>();
  return items.filter(
    (i) =>
      i.decidedAt >= from && i.decidedAt < to && !seen.has(i.commentId) && seen.add(i.commentId),
  );
};

const computeMonthlyReport = (input: MonthlyReportInput): MonthlyReport => {
  const range = monthRange(input.month);
  if (!range) throw new RangeError(`not a month: ${input.month}`);
  const decided = unique(input.decided, range.from, range.to);

  const byAction = zeroActions();
  const byCategory = Object.fromEntries(
    CATEGORY_IDS.map((id) => [id, { total: 0, ...zeroActions() }]),
  ) as Record<CategoryId, { total: number } & ActionCounts>;
  const firstDay = jstDayNumber(Date.parse(range.from));
  const lastDay = jstDayNumber(Date.parse(range.to) - 1);
  const byDay = Array.from({ length: lastDay - firstDay + 1 }, (_, i) => ({
    day: jstDateOfDay(firstDay + i).key,
    total: 0,
    byAction: zeroActions(),
  }));
  const byHour = Array.from({ length: 24 }, () => 0);
  const minutes: number[] = [];
  const businessMinutes: number[] = [];
  let withinOfficeHours = 0;
  let pending = 0;

  for (const item of decided) {
    const at = Date.parse(item.decidedAt);
    byAction[item.action] += 1;
    for (const id of new Set(item.categories.map((c) => c.id))) {
      byCategory[id].total += 1;
      byCategory[id][item.action] += 1;
    }
    const day = byDay[jstDayNumber(at) - firstDay];
    if (day) {
      day.total += 1;
      day.byAction[item.action] += 1;
    }
    const hour = Math.floor(jstTimeOfDay(at) / HOUR_MS);
    byHour[hour] = (byHour[hour] ?? 0) + 1;
    const outcome = item.reviewOutcome;
    if (outcome) {
      const reviewedAt = Date.parse(outcome.reviewedAt);
      if (input.calendar.isOpen(reviewedAt)) withinOfficeHours += 1;
      minutes.push(Math.max(0, reviewedAt - at) / MINUTE_MS);
      businessMinutes.push(input.calendar.businessMillisBetween(at, reviewedAt) / MINUTE_MS);
    } else if (queueOf(item) !== undefined) {
      pending += 1;
    }
  }
  minutes.sort((a, b) => a - b);
  businessMinutes.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;

  const months = Array.from({ length: 12 }, (_, i) => monthRange(input.month, i - 11)).filter(
    (m): m is NonNullable<typeof m> => m !== undefined,
  );
  const earliest = months[0]?.from ?? range.from;
  const inquiries = unique(input.inquiries, earliest, range.to).filter((i) => i.inquiry);
  const inquiriesByMonth = months.map((m) => {
    const inMonth = inquiries.filter((i) => i.decidedAt >= m.from && i.decidedAt < m.to);
    return {
      month: m.key,
      total: inMonth.length,
      handled: inMonth.filter((i) => i.inquiryHandling?.handled === true).length,
    };
  });

  return {
    month: range.key,
    from: range.from,
    to: range.to,
    total: decided.length,
    byAction,
    byCategory,
    byDay,
    byHour,
    reviews: {
      reviewed: minutes.length,
      withinOfficeHours,
      shareWithinOfficeHours: minutes.length > 0 ? withinOfficeHours / minutes.length : null,
      turnaround:
        minutes.length > 0
          ? {
              medianMinutes: round(percentile(minutes, 50)),
              p90Minutes: round(percentile(minutes, 90)),
              medianBusinessMinutes: round(percentile(businessMinutes, 50)),
              p90BusinessMinutes: round(percentile(businessMinutes, 90)),
            }
          : null,
      pending,
    },
    inquiriesByMonth,
  };
};

const ACTION_NAMES: Record<Action, string> = {
  allow: '許可',
  review: '要確認',
  hide: '非表示',
  delete: '削除',
};

const csvCell = (value: string | number): string => {
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading = + - @ would be taken for a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The report as CSV for a spreadsheet: one table after another, each with a heading row. UTF-8
 * with a byte-order mark, which Excel needs to read Japanese headings.
 */
const reportCsv = (report: MonthlyReport): string => {
  const rows: (string | number)[][] = [];
  const actionHeads = ACTIONS.map((a) => ACTION_NAMES[a]);
  rows.push(['月次報告', report.month], ['判定件数', report.total], []);
  rows.push(['区分', '合計', ...actionHeads]);
  rows.push(['全体', report.total, ...ACTIONS.map((a) => report.byAction[a])]);
  for (const id of CATEGORY_IDS) {
    const c = report.byCategory[id];
    rows.push([`第6条(${id})`, c.total, ...ACTIONS.map((a) => c[a])]);
  }
  rows.push([], ['日付', '合計', ...actionHeads]);
  for (const d of report.byDay) rows.push([d.day, d.total, ...ACTIONS.map((a) => d.byAction[a])]);
  rows.push([], ['時台', '件数']);
  report.byHour.forEach((n, hour) => {
    rows.push([`${hour}時`, n]);
  });
  const r = report.reviews;
  rows.push([], ['職員確認', '値']);
  rows.push(['確認済み', r.reviewed], ['うち開庁時間内', r.withinOfficeHours]);
  rows.push([
    '開庁時間内の割合',
    r.shareWithinOfficeHours === null ? '' : r.shareWithinOfficeHours.toFixed(3),
  ]);
  rows.push(['確認待ち', r.pending]);
  rows.push(['所要時間 中央値(分)', r.turnaround?.medianMinutes ?? '']);
  rows.push(['所要時間 90パーセンタイル(分)', r.turnaround?.p90Minutes ?? '']);
  rows.push(['開庁時間ベース 中央値(分)', r.turnaround?.medianBusinessMinutes ?? '']);
  rows.push(['開庁時間ベース 90パーセンタイル(分)', r.turnaround?.p90BusinessMinutes ?? '']);
  rows.push([], ['月', '問い合わせ', '対応済み']);
  for (const m of report.inquiriesByMonth) rows.push([m.month, m.total, m.handled]);
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
};

const currentMonth = (now: Date): string => {
  const d = jstDate(now.getTime());
  return monthKey(d.year, d.month);
};

export type { DayCounts, MonthlyReport, MonthlyReportInput, Turnaround };
export { computeMonthlyReport, currentMonth, monthRange, percentile, reportCsv };
