import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core (no browser download). `.ci/run` installs the
 * package and a Japanese font when they are missing. The flags keep Chromium off the network: this
 * machine has none, and without them it keeps trying Google's hosts.
 */

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-output', 'console-screenshots');

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  tablet: { width: 768, height: 1024 },
} as const;

const launchChromium = async (): Promise<{ browser: Browser; close: () => Promise<void> }> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} missing: apt-get install chromium fonts-noto-cjk (see .ci/run)`);
  }
  // Playwright starts each launch on a fresh, empty temporary profile (its own --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Date and month inputs follow the browser's language, as on the city's PCs.
      '--lang=ja-JP',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
};

/** Both viewports of the page as it stands, into test-output/ (gitignored). */
const screenshots = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
};

interface A11yProblem {
  readonly kind: 'unlabelled' | 'contrast' | 'focus';
  readonly what: string;
}

/**
 * Accessibility basics in the page: every form control and button has an accessible name, text
 * has WCAG AA contrast against its background (4.5:1, 3:1 for large text), and every focusable
 * element shows a focus indicator when reached with Tab.
 */
const checkAccessibility = async (page: Page, tabStops = 12): Promise<A11yProblem[]> => {
  const problems = await page.evaluate(() => {
    const out: { kind: 'unlabelled' | 'contrast'; what: string }[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
    for (const el of document.querySelectorAll(
      'input, select, textarea, button, a[href], canvas',
    )) {
      const html = el as HTMLElement;
      const labelled =
        (html as HTMLInputElement).labels?.length ||
        html.getAttribute('aria-label') ||
        html.getAttribute('aria-labelledby') ||
        ((el.tagName === 'BUTTON' || el.tagName === 'A') && html.textContent?.trim());
      if (!labelled) out.push({ kind: 'unlabelled', what: describe(el) });
    }
    const parse = (c: string): [number, number, number, number] => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r ?? 0) + 0.7152 * f(g ?? 0) + 0.0722 * f(b ?? 0);
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0.5) return c;
      }
      return [255, 255, 255, 1];
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || !node.textContent?.trim()) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
      if ((el as HTMLElement).closest('[disabled]')) continue;
      const fg = luminance(parse(style.color));
      const bg = luminance(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        out.push({ kind: 'contrast', what: `${describe(el)} ${ratio.toFixed(2)}:1` });
      }
    }
    return out;
  });
  const focus: A11yProblem[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < tabStops; i++) {
    await page.keyboard.press('Tab');
    const shown = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { ok: true, what: 'body' };
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2;
      return {
        ok: outline || s.boxShadow !== 'none',
        what: `${el.tagName}#${el.id} ${el.getAttribute('type') ?? ''} ${s.outlineStyle} ${s.outlineWidth} ${el.textContent?.slice(0, 20)}`,
      };
    });
    if (!shown.ok) focus.push({ kind: 'focus', what: shown.what });
  }
  return [...problems, ...focus];
};

export type { A11yProblem };
export { checkAccessibility, launchChromium, SCREENSHOTS, screenshots, VIEWPORTS };
