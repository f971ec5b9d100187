import { describe, expect, it } from 'vitest';
import { applyEdit, parseSettingsEdit } from './settings-edits';
import { defaultSettings, withAppPath, withCustomOrigin } from './settings';

const O = 'http://lab.test:8080';
const withApps = () => withAppPath(withAppPath(withCustomOrigin(defaultSettings(), O), O, '/comfy/'), O, '/other/');

describe('settings edits for apps under a path', () => {
  it('adds an app to an origin, once', () => {
    const s = applyEdit(defaultSettings(), { op: 'add-origin', origin: O, path: '/comfy/' });
    expect(s).toMatchObject({ customOrigins: [O], appPaths: { [O]: ['/comfy/'] } });
    expect(applyEdit(s, { op: 'add-origin', origin: O, path: '/comfy/' })).toEqual(s);
  });

  it('an edited origin keeps its apps', () => {
    const s = applyEdit(withApps(), { op: 'add-origin', origin: 'http://lab.test:9090', replacing: O });
    expect(s.customOrigins).toEqual(['http://lab.test:9090']);
    expect(s.appPaths).toEqual({ 'http://lab.test:9090': ['/comfy/', '/other/'] });
  });

  it('removing the last app removes its origin, never leaving it protected whole', () => {
    const one = applyEdit(withApps(), { op: 'remove-app-path', origin: O, path: '/other/' });
    expect(one).toMatchObject({ customOrigins: [O], appPaths: { [O]: ['/comfy/'] } });
    const none = applyEdit(one, { op: 'remove-app-path', origin: O, path: '/comfy/' });
    expect(none.customOrigins).toEqual([]);
    expect(none.appPaths).toEqual({});
  });

  it.each([
    ['a path that is not one', { op: 'add-origin', origin: O, path: '/../' }],
    ['a path without its slash', { op: 'add-origin', origin: O, path: '/comfy' }],
    ['an origin that is not canonical', { op: 'add-origin', origin: `${O}/`, path: '/comfy/' }],
  ])('changes nothing for %s', (_, edit) => {
    const parsed = parseSettingsEdit(edit);
    expect(parsed).not.toBeNull();
    expect(applyEdit(withApps(), parsed!)).toEqual(withApps());
  });

  it('refuses an edit of an unknown shape', () => {
    expect(parseSettingsEdit({ op: 'add-origin', origin: O, path: 7 })).toBeNull();
    expect(parseSettingsEdit({ op: 'remove-app-path', origin: O })).toBeNull();
  });
});
