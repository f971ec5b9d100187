import { describe, expect, it } from 'vitest';
import { defaultSettings, withSiteOptions } from '../core/settings';
import { local } from '../platform/storage';
import { onHistoryReturn } from './history-return';

describe('onHistoryReturn', () => {
  it('reloads a protected page that came back through history', async () => {
    expect(await onHistoryReturn({ id: 1, url: 'http://localhost:7860/?x=1' })).toEqual({ reload: true });
  });

  it('leaves unprotected and paused pages alone', async () => {
    await local.set('settings', withSiteOptions(defaultSettings(), 'http://localhost:7860', { protect: false }));
    expect(await onHistoryReturn({ id: 1, url: 'http://localhost:7860/' })).toEqual({ reload: false });
    expect(await onHistoryReturn({ id: 1, url: 'http://localhost:4173/' })).toEqual({ reload: false });
    expect(await onHistoryReturn({ id: 1, url: 'chrome://newtab' })).toEqual({ reload: false });
  });
});
