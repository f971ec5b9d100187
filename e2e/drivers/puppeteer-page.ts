import type { Page } from 'puppeteer-core';
import { pollPage } from './poll';
import type { PageLike } from './session';

export function wrapPuppeteer(page: Page): PageLike {
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    waitFor: (fn, arg, timeout = 15_000) => pollPage((f, a) => page.evaluate(f as never, a), fn, arg, timeout),
    title: () => page.title(),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
