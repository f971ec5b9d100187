import { pollPage } from './poll';
import type { PageLike } from './session';

/** What Playwright's and puppeteer's pages have in common, which is all the tests use. */
export interface DriverPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  goBack(): Promise<unknown>;
  evaluate(fn: never, arg?: unknown): Promise<unknown>;
  title(): Promise<string>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
}

export function wrapPage(page: DriverPage): PageLike {
  const evaluate = (fn: unknown, arg?: unknown) => page.evaluate(fn as never, arg);
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    // A back/forward-cache restore fires no load event, which a driver's goBack may
    // wait for in vain (WebDriver BiDi): give it a moment, then callers poll the page.
    back: async () => {
      const done = page.goBack().catch(() => undefined);
      await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
    },
    evaluate: (fn, arg) => evaluate(fn, arg) as never,
    waitFor: (fn, arg, timeout = 15_000) => pollPage(evaluate, fn, arg, timeout),
    title: () => page.title(),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
