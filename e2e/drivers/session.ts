/** What every test needs from a browser with the built extension loaded, whichever drives it. */
export interface PageLike {
  goto(url: string): Promise<void>;
  /** A plain F5. */
  reload(): Promise<void>;
  /** The Back button. */
  back(): Promise<void>;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitFor<A>(fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  title(): Promise<string>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
  /** A real click (the browser's own event) on the button named `name`, in the page or an open shadow root of it. */
  clickButton(name: string): Promise<void>;
}

export interface BrowserSession {
  readonly name: 'chromium' | 'firefox';
  newPage(): Promise<PageLike>;
  /**
   * Opens `url` in a window without the toolbar, as an installed web app runs:
   * the extension opens a popup window (`windows.create({ type: 'popup' })`).
   */
  newToolbarlessPage(url: string): Promise<PageLike>;
  /**
   * Runs `fn` where the extension APIs are (Chromium: its service worker; Firefox:
   * its options page). `chrome.*` returns promises in MV3 in both browsers.
   */
  extension<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  close(): Promise<void>;
}

/** The install handler writes settings and rules; a session is ready once the rules are there. */
export async function untilRulesInstalled(session: BrowserSession): Promise<void> {
  await session.extension(async () => {
    for (let i = 0; i < 100; i++) {
      if ((await chrome.declarativeNetRequest.getDynamicRules()).length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}
