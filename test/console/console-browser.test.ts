import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../lambdas/core/contracts/codes';
import type { MonthlyReport } from '../../lambdas/core/review/report';
import type { ReviewView } from '../../lambdas/core/review/view';
import { type Pipeline, startPipeline } from '../../local/runtime/pipeline';
import { buildLocalConsole } from '../../local/runtime/static-files';
import {
  type ChangeSpec,
  commentChange,
  deliveryBody,
  signBody,
} from '../support/webhook-fixtures';
import { checkAccessibility, launchChromium, SCREENSHOTS, screenshots } from './browser';

/**
 * The staff console in a real browser (Debian chromium through playwright-core) against the whole
 * local pipeline, as `npm start` runs it, on an ephemeral port. Comments arrive through the signed
 * webhook; the console is then used as staff would, and what it shows is checked against the API.
 */

const APP_SECRET = 'console-app-secret';
const ACCOUNT = '17841400000000001';

const TEXTS = {
  flaggedApprove: 'フォローしてね！相互フォロー募集中',
  flaggedStale: '〇〇党に投票しよう！',
  flaggedKeyboard: 'スマホ1台で月30万💰 副業教えます！気になる人はDMください',
  personalData: '田中太郎の電話番号は090-1234-5678です',
  abuse: '死ね',
  inquiry: 'ゴミの収集日、年末年始はどうなりますか？',
  benign: '黄金岬の夕日、今年も最高でした',
} as const;
type Key = keyof typeof TEXTS;

let pipeline: Pipeline;
let base: string;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let reviewer: BrowserContext;
let page: Page;
const ids = {} as Record<Key, string>;
const pageErrors: string[] = [];

const staffHeaders = (name: string, role: 'viewer' | 'reviewer') => ({
  'x-reviewer': encodeURIComponent(name),
  'x-staff-role': role,
});

const api = async <T>(path: string, name = '確認用', init: RequestInit = {}) => {
  const response = await fetch(`${base}/api${path}`, {
    ...init,
    headers: {
      ...staffHeaders(name, 'reviewer'),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  return { status: response.status, body: (await response.json()) as T };
};

const until = async (what: string, check: () => Promise<boolean>, boundMs = 30_000) => {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const signIn = async (p: Page, name: string, role: 'viewer' | 'reviewer') => {
  await p.goto(`${base}/console/`);
  await p.getByLabel('お名前').fill(name);
  await p.getByLabel(role === 'viewer' ? '閲覧のみ' : /確認担当/).check();
  await p.getByRole('button', { name: 'はじめる' }).click();
  await p.getByRole('heading', { name: /確認待ちのコメント/ }).waitFor();
};

const card = (p: Page, key: Key) => p.locator(`article.card[data-comment-id="${ids[key]}"]`);

beforeAll(async () => {
  const consoleFiles = await buildLocalConsole();
  pipeline = await startPipeline({
    settings: {
      port: 0,
      appSecrets: [APP_SECRET],
      verifyToken: 'console-verify-token',
      pseudonymKey: 'console-pseudonym-key-0123456789',
      policyPack: 'rumoi',
    },
    port: 0,
    logLevel: 'SILENT',
    console: consoleFiles,
  });
  base = `http://localhost:${pipeline.port}`;
  ({ browser, close: closeBrowser } = await launchChromium());

  const changes: ChangeSpec[] = [];
  for (const [key, text] of Object.entries(TEXTS) as [Key, string][]) {
    const change = commentChange({ text, from: { id: '17841455500000009', username: 'someone' } });
    ids[key] = change.commentId;
    changes.push(change);
  }
  const body = deliveryBody({ entries: [{ accountId: ACCOUNT, time: 1_764_150_000, changes }] });
  const ack = await fetch(`${base}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signBody(body, APP_SECRET),
    },
    body,
  });
  expect(ack.status).toBe(200);
  await until('every decision', async () => {
    for (const id of Object.values(ids)) {
      const r = await fetch(`${base}/api/decisions/${id}`);
      await r.body?.cancel();
      if (r.status !== 200) return false;
    }
    return pipeline.drain(100);
  });

  reviewer = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
  page = await reviewer.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // The stale-version flow expects one 409, which Chromium logs as a failed resource.
    if (m.type() === 'error' && !/status of 409/.test(m.text())) pageErrors.push(m.text());
  });
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await pipeline?.stop({ drainMs: 2_000 });
});

describe('staff console in Chromium', () => {
  it('signs in with a name entered once; the sign-in page is labelled and readable', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('お名前').waitFor();
    await screenshots(page, '01-signin');
    expect(await checkAccessibility(page, 5)).toEqual([]);
    await signIn(page, '田中', 'reviewer');
    await page.reload();
    // Entered once: a reload goes straight to the queue.
    await page.getByText('田中（確認担当）').waitFor();
    expect(await page.getByLabel('お名前').count()).toBe(0);
  });

  it('shows flagged comments in the queue with categories, evidence and personal-data types', async () => {
    for (const key of [
      'flaggedApprove',
      'flaggedStale',
      'flaggedKeyboard',
      'personalData',
    ] as Key[]) {
      await card(page, key).waitFor();
    }
    const pii = card(page, 'personalData');
    // What is on screen (the rule ids of each mark are there for screen readers only).
    const shown = await pii.locator('.text').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
      return copy.textContent;
    });
    expect(shown).toBe('[氏名]の電話番号は[電話番号]です');
    await pii.getByText('電話番号 1件').waitFor();
    expect(await pii.textContent()).not.toContain('090-1234-5678');
    expect(await card(page, 'flaggedApprove').textContent()).toContain('第6条(4) 広告・勧誘');
    expect(await card(page, 'flaggedApprove').locator('mark').count()).toBeGreaterThan(0);
    // Never a reply button, anywhere.
    expect(await page.getByRole('button', { name: /返信/ }).count()).toBe(0);
    await screenshots(page, '02-queue');
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it('approves a comment; its audit trail shows the reviewer', async () => {
    const target = card(page, 'flaggedApprove');
    await target.getByLabel('承認して表示する').check();
    await target.getByLabel(/理由/).fill('宣伝ではなくイベントの案内');
    await target.getByRole('button', { name: '記録する' }).click();
    await page.getByText(`${ids.flaggedApprove}: 「承認して表示する」を記録しました。`).waitFor();
    expect(await card(page, 'flaggedApprove').count()).toBe(0);

    await page.goto(`${base}/console/#/comments/${ids.flaggedApprove}`);
    const row = page.locator('table.audit tbody tr', { hasText: '承認して表示' });
    await row.waitFor();
    // Oldest first: the machine's interim hide (if the office was closed) before the review.
    const kinds = await page.locator('table.audit tbody tr td:nth-child(3)').allTextContents();
    expect(kinds.at(-1)).toBe('承認して表示');
    expect(await row.textContent()).toContain('田中');
    expect(await row.textContent()).toContain('local:田中');
    expect(await row.textContent()).toContain('宣伝ではなくイベントの案内');
    const { body } = await api<{ audit: { actor: { id: string; name?: string } }[] }>(
      `/comments/${ids.flaggedApprove}`,
    );
    expect(body.audit.map((e) => e.actor)).toContainEqual({
      kind: 'staff',
      id: 'local:田中',
      name: '田中',
    });
    await screenshots(page, '03-detail');
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it('explains a stale version instead of showing an error', async () => {
    await page.goto(`${base}/console/#/queue`);
    const target = card(page, 'flaggedStale');
    await target.waitFor();
    // Someone else decides while the page is open.
    const queue = await api<{ items: ReviewView[] }>('/reviews?limit=200', '佐藤');
    const version = queue.body.items.find((i) => i.commentId === ids.flaggedStale)?.version;
    const other = await api(`/reviews/${ids.flaggedStale}`, '佐藤', {
      method: 'POST',
      body: JSON.stringify({ action: 'confirm', outcome: 'hide', version, reason: '政治活動' }),
    });
    expect(other.status).toBe(200);

    await target.getByLabel('承認して表示する').check();
    await target.getByLabel(/理由/).fill('問題なし');
    await target.getByRole('button', { name: '記録する' }).click();
    const notice = page.locator('.notice.info', { hasText: '佐藤 さんが' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('あなたの操作は記録していません');
    expect(await page.locator('.notice.error').count()).toBe(0);
    const detail = await api<{ decision: ReviewView }>(`/comments/${ids.flaggedStale}`);
    expect(detail.body.decision.reviewOutcome?.reviewer).toBe('local:佐藤');
  });

  it('clears a comment from the keyboard alone, with the focus visible', async () => {
    await page.goto(`${base}/console/#/queue`);
    await card(page, 'flaggedKeyboard').waitFor();
    await page.locator('main').focus();
    const cards = await page
      .locator('article.card')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.commentId));
    const index = cards.indexOf(ids.flaggedKeyboard);
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= index; i++) await page.keyboard.press('j');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { id: el.dataset.commentId, outline: s.outlineStyle, width: s.outlineWidth };
    });
    expect(focused.id).toBe(ids.flaggedKeyboard);
    expect(focused.outline).not.toBe('none');
    expect(Number.parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('h');
    // The page moves the focus after it renders the form: poll rather than read once (a loaded
    // machine may render after the key press returns).
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value))
      .toBe('方針に該当するため非表示');
    await page.keyboard.press('Enter');
    await page.getByText(`${ids.flaggedKeyboard}: 「非表示で確定する」を記録しました。`).waitFor();
    const detail = await api<{ decision: ReviewView }>(`/comments/${ids.flaggedKeyboard}`);
    expect(detail.body.decision.reviewOutcome).toMatchObject({
      decision: 'confirm',
      finalAction: 'hide',
      reviewer: 'local:田中',
    });
  });

  it('lets a viewer read but not act, in the page and at the API', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const viewerPage = await context.newPage();
      await signIn(viewerPage, '閲覧者', 'viewer');
      await viewerPage.getByText('閲覧のみの権限です').waitFor();
      await viewerPage.locator('article.card').first().waitFor();
      expect(await viewerPage.locator('form.review-form').count()).toBe(0);
      await viewerPage.keyboard.press('j');
      await viewerPage.keyboard.press('a');
      expect(await viewerPage.locator('form.review-form').count()).toBe(0);
      await viewerPage.goto(`${base}/console/#/inquiries`);
      await viewerPage.locator('li.inquiry').first().waitFor();
      expect(await viewerPage.locator('form.inquiry-form').count()).toBe(0);
    } finally {
      await context.close();
    }
    const queue = await api<{ items: ReviewView[] }>('/reviews?limit=200');
    const item = queue.body.items.find((i) => i.commentId === ids.personalData);
    const refused = await fetch(`${base}/api/reviews/${ids.personalData}`, {
      method: 'POST',
      headers: { ...staffHeaders('閲覧者', 'viewer'), 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'approve', version: item?.version, reason: 'x' }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: 'forbidden',
      message: 'Only members of the reviewer group may do this.',
    });
  });

  it('lists inquiries by date and marks one handled with a department note', async () => {
    await page.goto(`${base}/console/#/inquiries`);
    const item = page.locator(`li.inquiry[data-comment-id="${ids.inquiry}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain(TEXTS.inquiry);
    expect(await page.getByRole('button', { name: /返信/ }).count()).toBe(0);
    await page.getByText('市は Instagram 上でコメントに返信しません', { exact: false }).waitFor();
    await screenshots(page, '04-inquiries');
    expect(await checkAccessibility(page)).toEqual([]);
    await item.getByLabel('担当課で対応済み').check();
    await item.getByLabel(/担当課メモ/).fill('環境課が窓口で年末年始の収集日程を案内');
    await item.getByRole('button', { name: '保存' }).click();
    await item.getByText('対応済みにしました。').waitFor();
    await page.reload();
    await item.locator('.badge.done').waitFor();
    const { body } = await api<{ items: ReviewView[] }>('/inquiries?limit=100');
    expect(body.items.find((i) => i.commentId === ids.inquiry)?.inquiryHandling).toMatchObject({
      handled: true,
      note: '環境課が窓口で年末年始の収集日程を案内',
      by: 'local:田中',
    });
  });

  it('searches decisions by action and category', async () => {
    await page.goto(`${base}/console/#/decisions`);
    await page.getByLabel('対応').selectOption('hide');
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByRole('status').filter({ hasText: '件' }).waitFor();
    await page.waitForFunction(
      (id) => document.querySelector(`a[href="#/comments/${id}"]`) !== null,
      ids.abuse,
    );
    const rows = await page.locator('table.results tbody tr').count();
    const { body } = await api<{ total: number }>('/comments?from=2000-01-01&to=2000-03-31');
    expect(body.total).toBe(0);
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() + 9 * 3_600_000 - 6 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const hidden = await api<{ total: number; items: ReviewView[] }>(
      `/comments?from=${weekAgo}&to=${today}&action=hide`,
    );
    expect(rows).toBe(hidden.body.items.length);
    expect(hidden.body.items.every((i) => i.action === 'hide')).toBe(true);
    await screenshots(page, '05-decisions');
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it('draws the monthly report with the counts the API returns, which match the decisions', async () => {
    await page.goto(`${base}/console/#/report`);
    await page.waitForFunction(() => document.querySelectorAll('canvas[data-series]').length === 4);
    const month = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7);
    const { body: report } = await api<MonthlyReport>(`/reports/monthly?month=${month}`);
    const series = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]')].map((c) => [
          c.id,
          JSON.parse(c.dataset.series ?? '[]') as { label: string; data: number[] }[],
        ]),
      ),
    );
    const names = { allow: '許可', review: '要確認', hide: '非表示', delete: '削除' } as const;
    for (const [action, label] of Object.entries(names) as [keyof typeof names, string][]) {
      expect(series['chart-category']?.find((s) => s.label === label)?.data).toEqual(
        CATEGORY_IDS.map((id) => report.byCategory[id][action]),
      );
      expect(series['chart-day']?.find((s) => s.label === label)?.data).toEqual(
        report.byDay.map((d) => d.byAction[action]),
      );
    }
    expect(series['chart-hour']?.[0]?.data).toEqual(report.byHour);
    expect(series['chart-inquiries']?.[0]?.data).toEqual(
      report.inquiriesByMonth.map((m) => m.total),
    );
    // The API's numbers against the decisions themselves (read API, as stored).
    const stored = await fetch(`${base}/api/decisions?limit=1000`).then(
      (r) => r.json() as Promise<{ items: { action: keyof typeof names; decidedAt: string }[] }>,
    );
    const inMonth = stored.items.filter(
      (d) => d.decidedAt >= report.from && d.decidedAt < report.to,
    );
    expect(report.total).toBe(inMonth.length);
    for (const action of Object.keys(names) as (keyof typeof names)[]) {
      expect(report.byAction[action]).toBe(inMonth.filter((d) => d.action === action).length);
    }
    expect(await page.locator('dd[data-key="total"]').textContent()).toBe(String(report.total));
    expect(report.inquiriesByMonth.at(-1)?.handled).toBe(1);
    // The canvases are drawn, not blank.
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('canvas')].map((c) => {
        const blank = document.createElement('canvas');
        blank.width = c.width;
        blank.height = c.height;
        return c.toDataURL() !== blank.toDataURL();
      }),
    );
    expect(drawn).toEqual([true, true, true, true]);
    const csv = await fetch(`${base}/api/reports/monthly?month=${month}&format=csv`, {
      headers: staffHeaders('田中', 'viewer'),
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(`判定件数,${report.total}`);
    await screenshots(page, '06-report');
    expect(await checkAccessibility(page)).toEqual([]);
    // The printed copy for the monthly meeting: no menu or buttons, the charts and numbers stay.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await page.locator('header.site').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'CSV を保存' }).isVisible()).toBe(false);
    expect(await page.locator('canvas[data-series]').count()).toBe(4);
    await page.screenshot({ path: `${SCREENSHOTS}/06-report-print-a4.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the health of the pipeline', async () => {
    await page.goto(`${base}/console/#/health`);
    await page.getByText('試行（記録のみ。Instagram は操作しません）').waitFor();
    await page.getByText('正常に動いています', { exact: false }).waitFor();
    await screenshots(page, '07-health');
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it('raised no script error and no content-security-policy violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
