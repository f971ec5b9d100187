import type { Page } from 'puppeteer-core';
import type { PageLike } from './session';

export function wrapPuppeteer(page: Page): PageLike {
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    waitFor: async (fn, arg, timeout = 15_000) => void (await page.waitForFunction(fn as never, { timeout, polling: 100 }, arg)),
    title: () => page.title(),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
