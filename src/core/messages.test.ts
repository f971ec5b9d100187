import { describe, expect, it } from 'vitest';
import { parseUiMessage } from './messages';

describe('parseUiMessage', () => {
  it('accepts the contract', () => {
    expect(parseUiMessage({ type: 'clear-tab', tabId: 3 })).toEqual({ type: 'clear-tab', tabId: 3 });
    expect(parseUiMessage({ type: 'check-version', origin: 'http://localhost:7860' })).toEqual({ type: 'check-version', origin: 'http://localhost:7860' });
  });

  it.each([null, 'clear-tab', {}, { type: 'eval', code: 'x' }, { type: 'clear-tab' }, { type: 'clear-tab', tabId: -1 }, { type: 'tab-status', tabId: 1.5 }, { type: 'check-version', origin: 7 }])(
    'ignores %j',
    (raw) => {
      expect(parseUiMessage(raw)).toBeNull();
    },
  );
});
