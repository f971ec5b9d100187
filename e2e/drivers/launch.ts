import { ChromiumSession, type ChromiumOptions } from './chromium';
import { FirefoxSession, type FirefoxOptions } from './firefox';
import type { BrowserSession } from './session';

export const BROWSERS = ['chromium', 'firefox'] as const;
export type BrowserName = (typeof BROWSERS)[number];

export function launch(name: BrowserName, options: ChromiumOptions & FirefoxOptions = {}): Promise<BrowserSession> {
  return name === 'chromium' ? ChromiumSession.launch(options) : FirefoxSession.launch(options);
}

/** Writes one site's options straight into stored settings (null: back to the defaults). */
export async function setSiteOptions(session: BrowserSession, origin: string, options: Record<string, unknown> | null): Promise<void> {
  await session.extension(
    async ({ origin, options }) => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: { sites: Record<string, unknown> } };
      if (options) settings.sites[origin] = options;
      else delete settings.sites[origin];
      await chrome.storage.local.set({ settings });
    },
    { origin, options },
  );
}

/** Waits until the active rule for `origin` sets the request cache-control header to `value` (or no rule, for null). */
export async function waitForRule(session: BrowserSession, origin: string, value: string | null): Promise<void> {
  await session.extension(
    async ({ origin, value }) => {
      for (let i = 0; i < 200; i++) {
        const rules = await chrome.declarativeNetRequest.getDynamicRules();
        const rule = rules.find((r) => r.condition.urlFilter === `|${origin}/`);
        const current = rule?.action.requestHeaders?.find((h) => h.header === 'cache-control')?.value ?? null;
        if (current === value) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`rule for ${origin} never became ${value}`);
    },
    { origin, value },
  );
}

/**
 * Protects `origin` as a user who added it in Settings would (a test app on a
 * free port is not one of the known ports), with these site options, and waits
 * for its rule.
 */
export async function protect(session: BrowserSession, origin: string, options: Record<string, unknown> = {}): Promise<void> {
  await session.extension(
    async ({ origin, options }) => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: { customOrigins: string[]; sites: Record<string, unknown> } };
      settings.customOrigins = [...new Set([...settings.customOrigins, origin])].sort();
      settings.sites[origin] = options;
      await chrome.storage.local.set({ settings });
    },
    { origin, options },
  );
  await waitForRule(session, origin, 'max-age=0');
}
