import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_APP_PATH_LENGTH, appBase, appPathOf, isAppPath, normaliseAppPath, otherAppsWithin, parseSiteInput } from './app-path';

describe('parseSiteInput', () => {
  it.each([
    ['lab.test:8080', 'http://lab.test:8080', null],
    ['http://lab.test:8080/', 'http://lab.test:8080', null],
    ['https://lab.example/comfy/', 'https://lab.example', '/comfy/'],
    ['https://lab.example/comfy', 'https://lab.example', null],
    ['http://localhost:7860/index.html?__theme=dark', 'http://localhost:7860', null],
    ['  HTTP://Lab.Example/user/ana/lab?x=1#top ', 'http://lab.example', '/user/ana/'],
    ['  HTTP://Lab.Example/user/ana/lab/?x=1#top ', 'http://lab.example', '/user/ana/lab/'],
    ['gpu-box.local:8188/comfy/', 'http://gpu-box.local:8188', '/comfy/'],
    ['[::1]:8080/other/', 'http://[::1]:8080', '/other/'],
  ])('reads %j as %s under %s', (input, origin, path) => {
    expect(parseSiteInput(input)).toEqual({ ok: true, origin, path });
  });

  it.each([
    ['', 'empty'],
    ['javascript:alert(1)', 'bad-scheme'],
    ['http://lab.test/co*fy/', 'wildcard'],
    ['http://lab.test//comfy/', 'bad-path'],
    [`http://lab.test/${'a'.repeat(MAX_APP_PATH_LENGTH)}/`, 'bad-path'],
  ])('refuses %j (%s)', (input, error) => {
    expect(parseSiteInput(input)).toEqual({ ok: false, error });
  });

  it('keeps markup in a path only as the URL escapes it', () => {
    expect(parseSiteInput('http://lab.test/"><script>alert(1)</script>/')).toEqual({ ok: true, origin: 'http://lab.test', path: '/%22%3E%3Cscript%3Ealert(1)%3C/script%3E/' });
    expect(parseSiteInput('http://lab.test/x/"><img src=x onerror=alert(1)>')).toEqual({ ok: true, origin: 'http://lab.test', path: '/x/' });
  });

  it('never throws, and what it accepts is a canonical origin and a valid app path', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.webPath().map((p) => `lab.test:8080${p}`)), (raw) => {
        const r = parseSiteInput(raw);
        if (!r.ok) return;
        expect(new URL(r.origin).origin).toBe(r.origin);
        if (r.path !== null) expect(isAppPath(r.path)).toBe(true);
      }),
    );
  });
});

describe('normaliseAppPath', () => {
  it('is idempotent, and its paths start and end with a slash', () => {
    fc.assert(
      fc.property(fc.webPath(), (p) => {
        const once = normaliseAppPath(p === '' ? '/' : p);
        if (once === undefined || once === null) return;
        expect(once.startsWith('/') && once.endsWith('/')).toBe(true);
        expect(normaliseAppPath(once)).toBe(once);
      }),
    );
  });
});

describe('appPathOf', () => {
  const paths = ['/comfy/', '/comfy/v2/', '/other/'];
  it.each([
    ['http://lab.test/comfy/', '/comfy/'],
    ['http://lab.test/comfy', '/comfy/'],
    ['http://lab.test/comfy/index.html?x#y', '/comfy/'],
    ['http://lab.test/comfy/v2/app', '/comfy/v2/'],
    ['http://lab.test/other/', '/other/'],
    ['http://lab.test/comfyx/', null],
    ['http://lab.test/', null],
    ['not a url', null],
  ])('places %s in %s (the longest prefix)', (url, path) => {
    expect(appPathOf(paths, url)).toBe(path);
  });

  it('finds nothing where the origin declares no paths', () => {
    expect(appPathOf(undefined, 'http://lab.test/comfy/')).toBeNull();
    expect(appPathOf([], 'http://lab.test/comfy/')).toBeNull();
  });

  it('places a URL in the deepest declared app that holds it, and in none only when none does', () => {
    const segment = fc.constantFrom('comfy', 'other', 'user', 'ana', 'x');
    const dir = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}/`);
    fc.assert(
      fc.property(fc.uniqueArray(dir, { maxLength: 5 }), fc.array(segment, { maxLength: 4 }), fc.boolean(), (declared, segments, slash) => {
        const pathname = `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`;
        const found = appPathOf(declared, `http://lab.test:8080${pathname}`);
        // An independent reading: the app's segments are a prefix of the URL's segments.
        const holds = (p: string) => p.split('/').filter(Boolean).every((s, i) => segments[i] === s) && p.split('/').filter(Boolean).length <= segments.length;
        const holding = declared.filter(holds);
        if (holding.length === 0) expect(found).toBeNull();
        else expect(found).toBe(holding.sort((a, b) => b.length - a.length)[0]);
      }),
    );
  });
});

describe('appBase and otherAppsWithin', () => {
  it('name an app\'s address, and the apps a clear must leave alone', () => {
    expect(appBase('http://lab.test:8080', '/comfy/')).toBe('http://lab.test:8080/comfy/');
    expect(appBase('http://lab.test:8080', null)).toBe('http://lab.test:8080/');
    const paths = ['/comfy/', '/comfy/sub/', '/other/'];
    expect(otherAppsWithin(paths, '/comfy/')).toEqual(['/comfy/sub/']);
    expect(otherAppsWithin(paths, '/other/')).toEqual([]);
    expect(otherAppsWithin(paths, null)).toEqual(paths);
  });
});

describe('isAppPath', () => {
  it.each(['/../', '/./', '/comfy/../other/', '/%2e%2e/', '/%2E/', '/%/', '/a%zz/', '//', '/', 'comfy/', '/comfy'])('refuses %j', (p) => {
    expect(isAppPath(p)).toBe(false);
  });
  it.each(['/comfy/', '/user/ana/', '/a%20b/', '/~x/'])('accepts %j', (p) => {
    expect(isAppPath(p)).toBe(true);
  });
});
