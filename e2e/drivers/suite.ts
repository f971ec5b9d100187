import { afterAll, beforeAll } from 'vitest';
import { appPool, type AppServer, type AppServerOptions } from '../fixtures/app-server';
import { ExtensionState } from '../pages/extension-state';
import { launch, type BrowserName } from './launch';
import type { ChromiumOptions } from './chromium';
import type { FirefoxOptions } from './firefox';
import type { BrowserSession } from './session';

/**
 * One browser with the built extension for a describe block, launched before its
 * tests and closed after them, with the apps its tests serve (stopped together).
 * Call it inside the describe; read `session` and `state` inside the tests.
 */
export function browserSuite(browserName: BrowserName, options: ChromiumOptions & FirefoxOptions = {}): { readonly session: BrowserSession; readonly state: ExtensionState; serve: (options: AppServerOptions) => Promise<AppServer> } {
  const pool = appPool();
  let session: BrowserSession | null = null;
  let state: ExtensionState | null = null;
  beforeAll(async () => {
    session = await launch(browserName, options);
    state = new ExtensionState(session);
  });
  afterAll(async () => {
    await session?.close();
    await pool.stopAll();
  });
  return {
    get session() {
      if (!session) throw new Error('the browser is launched before the tests run');
      return session;
    },
    get state() {
      if (!state) throw new Error('the browser is launched before the tests run');
      return state;
    },
    serve: pool.serve,
  };
}
