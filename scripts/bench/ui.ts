/** Bundle sizes per entry point (gzipped, as served in the store package) and popup first paint. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ChromiumSession } from '../../e2e/drivers/chromium';
import { CHROME_DIST } from '../../e2e/drivers/paths';
import { AppServer } from '../../e2e/fixtures/app-server';
import { kb, median, ratio, table } from './stats';

const FIRST_PAINT_RUNS = 21;

/** The JS a page or worker loads: its entry and every static import, once each. */
function jsClosure(entryFiles: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(CHROME_DIST, file), 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) {
      const ref = m[1]!;
      visit(ref.startsWith('/') ? ref.slice(1) : normalize(join(dirname(file), ref)));
    }
  };
  entryFiles.forEach(visit);
  return [...seen];
}

function htmlEntries(htmlPath: string): string[] {
  const html = readFileSync(join(CHROME_DIST, htmlPath), 'utf8');
  return [...html.matchAll(/<script[^>]*src="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => {
    const ref = (m[1] ?? m[2])!;
    return ref.startsWith('/') ? ref.slice(1) : normalize(join(dirname(htmlPath), ref));
  });
}

const gz = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(join(CHROME_DIST, f)), { level: 9 }).length, 0);

export async function benchUi(): Promise<string> {
  const entries = {
    popup: jsClosure(htmlEntries('src/popup/index.html')),
    options: jsClosure(htmlEntries('src/options/index.html')),
    background: jsClosure(['service-worker-loader.js']),
  };
  const budgets: Record<string, number> = { popup: 85 * 1024, background: 25 * 1024 };
  const sizeRows = Object.entries(entries).map(([name, files]) => {
    const size = gz(files);
    const budget = budgets[name];
    return [name, String(files.length), kb(size), budget ? `${kb(budget)} ${size <= budget ? 'met' : 'MISSED'}` : '—'];
  });
  const react = gz(entries.popup.filter((f) => gzipSync(readFileSync(join(CHROME_DIST, f))).length > 40_000));

  // The floor: an extension page with one heading and no script, measured in the same run.
  const blank = join(CHROME_DIST, 'bench-blank.html');
  writeFileSync(blank, '<!doctype html><html><body><h1>Stalebuster</h1></body></html>');
  const app = await new AppServer({ port: 7868, urlHost: 'localhost', name: 'popup-bench-app', gradio: true }).start();
  const session = await ChromiumSession.launch();
  const paints = { popup: [] as number[], blank: [] as number[] };
  const shifts: number[] = [];
  try {
    const appPage = await session.newRawPage();
    await appPage.goto(`${app.origin}/`);
    const tabId = await session.extension(async (origin) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(origin))!.id!, app.origin);
    const page = await session.newRawPage();
    for (let i = 0; i < FIRST_PAINT_RUNS; i++) {
      // The popup as it opens on an app's tab: its frame, then the background's answer, then the fresh checks.
      for (const [key, path] of [['popup', `src/popup/index.html?tab=${tabId}`], ['blank', 'bench-blank.html']] as const) {
        await page.goto(`chrome-extension://${session.extensionId}/${path}`);
        paints[key].push(
          await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                new PerformanceObserver((list) => {
                  const fcp = list.getEntriesByName('first-contentful-paint')[0];
                  if (fcp) resolve(fcp.startTime);
                }).observe({ type: 'paint', buffered: true });
              }),
          ),
        );
        if (key === 'popup') {
          // Everything the popup loads after its first paint arrives within this time here.
          await page.waitForSelector('[data-testid="page-status"]:not(.status-checking)');
          await new Promise((r) => setTimeout(r, 300));
          shifts.push(
            await page.evaluate(() => {
              let total = 0;
              for (const e of performance.getEntriesByType('layout-shift') as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) total += e.value;
              return total;
            }),
          );
        }
      }
    }
  } finally {
    await session.close();
    await app.stop();
    rmSync(blank, { force: true });
  }
  const popupPaint = median(paints.popup);
  const blankPaint = median(paints.blank);
  const cls = Math.max(...shifts);
  return [
    table(['entry', 'JS files', 'JS gzipped', 'budget'], sizeRows),
    '',
    `Of the popup's JS, the shared React/ReactDOM/UI chunk is ${kb(react)} gzipped. The popup reads no schema code: the background answers with validated state.`,
    '',
    table(
      ['first contentful paint (headless Chromium tab, median of ' + FIRST_PAINT_RUNS + ')', 'time', 'vs blank page'],
      [
        ['extension page with one heading, no script (the floor here)', `${blankPaint.toFixed(0)} ms`, '1.00×'],
        ['popup (its frame is prerendered into the HTML at build time)', `${popupPaint.toFixed(0)} ms`, ratio(popupPaint, blankPaint)],
      ],
    ),
    '',
    `Goal: at most 1.25× the blank page (${ratio(popupPaint, blankPaint)}: ${popupPaint <= blankPaint * 1.25 ? 'met' : 'MISSED'}). ` +
      `Cumulative layout shift while the popup fills in, worst of ${FIRST_PAINT_RUNS} opens: ${cls.toFixed(3)} (goal 0: ${cls === 0 ? 'met' : 'MISSED'}).`,
  ].join('\n');
}
