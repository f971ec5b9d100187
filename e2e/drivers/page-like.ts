import { pollPage } from './poll';
import type { PageLike } from './session';

/** What Playwright's and puppeteer's pages have in common, which is all the tests use. */
export interface DriverPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  evaluate(fn: never, arg?: unknown): Promise<unknown>;
  title(): Promise<string>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
  evaluateHandle(fn: never, arg?: unknown): Promise<{ asElement(): { click(): Promise<void> } | null }>;
}

/** The first button named `name` (its text or aria-label) in the document or any open shadow root in it. */
function findButton(name: string): HTMLButtonElement | null {
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    for (const b of root.querySelectorAll('button')) if ((b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === name) return b;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  return null;
}

export function wrapPage(page: DriverPage): PageLike {
  const evaluate = (fn: unknown, arg?: unknown) => page.evaluate(fn as never, arg);
  return {
    // After a back/forward-cache restore WebDriver BiDi keeps the old URL for the
    // page and its next goto never reports the load (Firefox ESR 153), though the
    // browser navigates. So a goto also ends when the page itself shows a new
    // document at that URL, whichever comes first.
    goto: async (url) => {
      const marker = Math.random().toString(36).slice(2);
      await evaluate((m: unknown) => void ((window as unknown as { __navMarker?: string }).__navMarker = m as string), marker).catch(() => undefined);
      const driven = page.goto(url);
      driven.catch(() => undefined);
      const landed = pollPage(
        evaluate,
        ({ url, marker }) => (window as unknown as { __navMarker?: string }).__navMarker !== marker && location.href === url && document.readyState === 'complete',
        { url: new URL(url).href, marker },
        30_000,
      );
      await Promise.race([driven, landed]);
    },
    reload: async () => void (await page.reload()),
    // The page's own history.back(), the same traversal as the Back button: a
    // driver's goBack waits for a load event that a back/forward-cache restore
    // never fires (WebDriver BiDi then hangs, and so does its next navigation).
    // Returns once the tab shows another document; callers then poll the page.
    back: async () => {
      const before = (await evaluate(() => location.href)) as string;
      await evaluate(() => void history.back());
      await pollPage(evaluate, (href) => location.href !== href, before, 15_000);
    },
    evaluate: (fn, arg) => evaluate(fn, arg) as never,
    waitFor: (fn, arg, timeout = 15_000) => pollPage(evaluate, fn, arg, timeout),
    title: () => page.title(),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
    // The driver's own click on the element: the browser's input events (isTrusted), in both drivers.
    clickButton: async (name) => {
      const button = (await page.evaluateHandle(findButton as never, name)).asElement();
      if (!button) throw new Error(`no button named ${name}`);
      await button.click();
    },
  };
}
