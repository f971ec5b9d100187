import { describe, expect, it } from 'vitest';
import { BROWSERS, protect } from './drivers/launch';
import { browserSuite } from './drivers/suite';
import { timePasses } from './pages/extension-state';
import { openPopup } from './pages/popup-page';

/**
 * A Gradio app embedded in an iframe of another local page (gradio#7106): only
 * the top frame used to be judged. The app is judged in its frame, and the tab's
 * popup says when it runs old code; a frame is never reloaded or cleared by itself.
 */
describe.each(BROWSERS)('an app in a frame, in %s', (browserName) => {
  const suite = browserSuite(browserName);
  const { serve } = suite;

  /** The verdicts of the frames Stalebuster judged, by the frame's origin. */
  function frameVerdicts(): Promise<Record<string, string>> {
    return suite.session.extension(async () => {
      // One record per tab ('frames:<tabId>'), by frame id.
      const all = (await chrome.storage.session.get(null)) as Record<string, Record<string, { origin: string; verdict: { state: string } | null }>>;
      const frames = Object.entries(all).filter(([k]) => k.startsWith('frames:')).flatMap(([, byFrame]) => Object.values(byFrame));
      return Object.fromEntries(frames.map((r) => [r.origin, r.verdict?.state ?? 'none']));
    });
  }

  async function waitForFrameVerdict(origin: string, state: string): Promise<void> {
    await expect.poll(async () => (await frameVerdicts())[origin], { timeout: 25_000 }).toBe(state);
  }

  it('a Gradio app in an iframe of a protected page: judged in its frame, and the popup names it once it runs old code', async () => {
    const gradio = await serve({ name: 'embedded-gradio', gradio: true });
    const host = await serve({ name: 'lab-portal', htmlTail: `<iframe id="embedded" src="${gradio.origin}/" width="600" height="300"></iframe>` });
    const elsewhere = await serve({ name: 'elsewhere' });
    await protect(suite.session, host.origin);
    await protect(suite.session, gradio.origin);
    const page = await suite.session.newPage();
    await page.goto(`${host.origin}/`);
    await waitForFrameVerdict(gradio.origin, 'fresh');

    // Upgraded while the user was on another page; Back shows the portal and its frame as the browser kept them.
    await page.goto(`${elsewhere.origin}/`);
    gradio.upgrade();
    await timePasses(suite.session); // some minutes later: the frame's report asks the server afresh
    await page.back();
    await waitForFrameVerdict(gradio.origin, 'stale');
    const popup = await openPopup(suite.session, page, host.origin);
    await popup.page.waitForSelector(`::-p-text(The embedded Gradio (${new URL(gradio.origin).host}) runs old code)`);
    // The portal itself is unchanged and says so; the frame was not reloaded by Stalebuster.
    expect((await popup.status()).title).toBe('Up to date');
    await popup.page.close().catch(() => undefined);
    expect(gradio.requests.filter((r) => r.dest === 'iframe' && r.path === '/')).toHaveLength(1);
    await page.close();
  });
});
