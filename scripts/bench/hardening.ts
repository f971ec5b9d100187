/**
 * What a hostile page costs the extension: how fast the popup's question
 * ("tab-status") is answered while a loopback page dispatches thousands of fake
 * pageshow events, with and without 1,000 added sites, against the same
 * question asked at rest, in one run.
 */
import type { Page } from 'playwright-core';
import { ChromiumSession } from '../../e2e/drivers/chromium';
import { AppServer } from '../../e2e/fixtures/app-server';
import { median, ms, ratio, table } from './stats';

const ASKS = 30;
const FAKE_EVENTS = 5000;

async function answerTimes(options: Page, tabId: number, during?: () => Promise<unknown>): Promise<number> {
  const flood = during?.();
  const times = await options.evaluate(
    async ({ tabId, asks }) => {
      const out: number[] = [];
      for (let i = 0; i < asks; i++) {
        const start = performance.now();
        await chrome.runtime.sendMessage({ type: 'tab-status', tabId });
        out.push(performance.now() - start);
      }
      return out;
    },
    { tabId, asks: ASKS },
  );
  await flood;
  return median(times);
}

export async function benchHardening(): Promise<string> {
  const app = await new AppServer({ port: 7862, urlHost: 'localhost', name: 'flooding-page' }).start();
  const session = await ChromiumSession.launch();
  try {
    const page = await session.newRawPage();
    await page.goto(`${app.origin}/`);
    const options = await session.newRawPage();
    await options.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
    const tabId = await options.evaluate(async (origin) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(origin))!.id!, app.origin);
    const flood = () =>
      page.evaluate((n) => {
        for (let i = 0; i < n; i++) dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      }, FAKE_EVENTS);

    const idle = await answerTimes(options, tabId);
    const flooded = await answerTimes(options, tabId, flood);
    await options.evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: { customOrigins: string[] } };
      settings.customOrigins = Array.from({ length: 1000 }, (_, i) => `http://gpu-${i}.lab:7860`);
      await chrome.storage.local.set({ settings });
    });
    await new Promise((r) => setTimeout(r, 1000));
    const manyIdle = await answerTimes(options, tabId);
    const manyFlooded = await answerTimes(options, tabId, flood);
    return [
      `The popup's status request answered while a loopback page dispatches ${FAKE_EVENTS.toLocaleString('en')} fake \`pageshow\` events (median of ${ASKS}, headless Chromium).`,
      '',
      table(
        ['situation', 'answer', 'vs at rest'],
        [
          ['at rest', ms(idle), '1.00×'],
          [`during the flood`, ms(flooded), ratio(flooded, idle)],
          ['1,000 added sites, at rest', ms(manyIdle), ratio(manyIdle, idle)],
          ['1,000 added sites, during the flood', ms(manyFlooded), ratio(manyFlooded, idle)],
        ],
      ),
      '',
      '0.1.0 took 7.2 s to show its site panel after 5,000 such events, and 172 s with 1,000 added sites after 1,000.',
    ].join('\n');
  } finally {
    await session.close();
    await app.stop();
  }
}
