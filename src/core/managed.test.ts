import { describe, expect, it } from 'vitest';
import { buildRules, isProtected } from './dnr-rules';
import { EMPTY_POLICY, effectiveSettings, lockedBy, parsePolicy, policySiteOptions, summariseIssues } from './managed';
import { defaultSettings, loadSettings, siteOptions, withCustomOrigin, withSiteOptions } from './settings';

const LAB = 'http://gpu-01.lab:7860';
const LOCAL = 'http://localhost:4190';

describe('parsePolicy', () => {
  it('reads every known key', () => {
    const { policy, issues } = parsePolicy({
      protectedOrigins: ['HTTP://GPU-01.lab:7860/', 'localhost:4190'],
      allLoopbackPorts: true, defaultMode: 'bypass', autoClearDefault: true, keepSiteDataDefault: true, undoCapMb: 1000, lockProtection: true,
    });
    expect(issues).toEqual([]);
    expect(policy).toEqual({ protectedOrigins: [LAB, LOCAL], allLoopbackPorts: true, defaultMode: 'bypass', autoClearDefault: true, keepSiteDataDefault: true, undoCapMb: 1000, lockProtection: true });
  });

  it('ignores each bad value with its reason, and keeps the rest', () => {
    const { policy, issues } = parsePolicy({
      protectedOrigins: ['*://*/*', 'javascript:alert(1)', 7, LAB],
      defaultMode: 'turbo', allLoopbackPorts: 'yes', undoCapMb: 5, evilKey: { a: 1 }, lockProtection: true,
    });
    expect(policy).toEqual({ ...EMPTY_POLICY, protectedOrigins: [LAB], lockProtection: true });
    expect(issues).toEqual([
      { key: 'protectedOrigins[0]', reason: 'too-broad', value: '*://*/*' },
      { key: 'protectedOrigins[1]', reason: 'not-an-origin', value: 'javascript:alert(1)' },
      { key: 'protectedOrigins[2]', reason: 'wrong-type', value: '7' },
      { key: 'defaultMode', reason: 'wrong-type', value: 'turbo' },
      { key: 'allLoopbackPorts', reason: 'wrong-type', value: 'yes' },
      { key: 'undoCapMb', reason: 'out-of-range', value: '5' },
      { key: 'evilKey', reason: 'unknown-key', value: '{"a":1}' },
    ]);
  });

  it('no policy is an empty policy, without complaint', () => {
    expect(parsePolicy(undefined)).toEqual({ policy: EMPTY_POLICY, issues: [] });
    expect(parsePolicy({})).toEqual({ policy: EMPTY_POLICY, issues: [] });
  });
});

describe('apps under a path in a policy', () => {
  const PROXY = 'https://lab.example';
  it('protects the origin and scopes it to the listed apps; a bad path is named and changes nothing', () => {
    const { policy, issues } = parsePolicy({ protectedOrigins: [`${PROXY}/comfy/`, `${PROXY}/user/ana/`, `${PROXY}/comfy/index.html`, `${PROXY}//x/`, 'https://other.example/comfy', 'https://other.example/index.html', 'https://third.example\\comfy', 'lab.example:8080', '[::1]:8080/', 'https://lab.example/?x=1', 'https://lab.example#x'] });
    expect(policy.protectedOrigins).toEqual(['http://[::1]:8080', 'http://lab.example:8080', PROXY]);
    expect(policy.appPaths).toEqual({ [PROXY]: ['/comfy/', '/user/ana/'] });
    // A page, not an app: protecting its whole origin would reach the other apps there, so it is refused.
    expect(issues).toEqual([
      { key: 'protectedOrigins[3]', reason: 'not-an-origin', value: `${PROXY}//x/` },
      { key: 'protectedOrigins[4]', reason: 'not-an-app', value: 'https://other.example/comfy' },
      { key: 'protectedOrigins[5]', reason: 'not-an-app', value: 'https://other.example/index.html' },
      { key: 'protectedOrigins[6]', reason: 'not-an-app', value: 'https://third.example\\comfy' },
    ]);
    const merged = effectiveSettings(defaultSettings(), policy);
    expect(merged.appPaths).toEqual({ [PROXY]: ['/comfy/', '/user/ana/'] });
    const filters = buildRules(merged, new Set([PROXY])).map((r) => r.condition.urlFilter);
    expect(filters).toEqual(expect.arrayContaining([`|${PROXY}/comfy/`, `|${PROXY}/user/ana/`]));
    expect(filters).not.toContain(`|${PROXY}/`);
  });

  it('more than 20 apps on one origin: the rest are named, not silently dropped', () => {
    const { policy, issues } = parsePolicy({ protectedOrigins: Array.from({ length: 22 }, (_, i) => `${PROXY}/app${i}/`) });
    expect(policy.appPaths?.[PROXY]).toHaveLength(20);
    expect(issues.map((i) => [i.key, i.reason])).toEqual([['protectedOrigins[20]', 'too-many-apps'], ['protectedOrigins[21]', 'too-many-apps']]);
  });

  it('a user\'s app paths on a managed origin are kept (a clear of their app never takes the whole origin), the policy\'s join them', () => {
    const user = { ...defaultSettings(), customOrigins: [PROXY], appPaths: { [PROXY]: ['/mine/'] } };
    expect(effectiveSettings(user, parsePolicy({ protectedOrigins: [PROXY] }).policy).appPaths).toEqual({ [PROXY]: ['/mine/'] });
    expect(effectiveSettings(user, parsePolicy({ protectedOrigins: [`${PROXY}/comfy/`] }).policy).appPaths).toEqual({ [PROXY]: ['/comfy/', '/mine/'] });
  });

  it('a plain origin list has no app paths', () => {
    expect(parsePolicy({ protectedOrigins: [LAB] }).policy).not.toHaveProperty('appPaths');
  });
});

describe('effectiveSettings', () => {
  const user = withSiteOptions(withCustomOrigin({ ...defaultSettings(), undoCapMb: 200 }, 'http://mine.local:8188'), LAB, { protect: false, mode: 'bypass' });

  it('adds managed origins to the user\'s own, and policy values win where set', () => {
    const { policy } = parsePolicy({ protectedOrigins: [LAB, LOCAL], allLoopbackPorts: true, defaultMode: 'bypass', undoCapMb: 900 });
    const merged = effectiveSettings(user, policy);
    expect(merged.customOrigins).toEqual([LAB, LOCAL, 'http://mine.local:8188'].sort());
    expect(merged).toMatchObject({ allLoopbackPorts: true, defaults: { mode: 'bypass', autoClear: false, keepSiteData: false }, undoCapMb: 900 });
    // Unlocked: the user's pause of a managed origin stands.
    expect(isProtected(merged, LAB, new Set([LAB]))).toBe(false);
  });

  it('a default the policy sets wins on every site: a user\'s own per-site value for it is ignored, and kept', () => {
    const mine = withSiteOptions(user, LOCAL, { keepSiteData: false, autoClear: true });
    const { policy } = parsePolicy({ keepSiteDataDefault: true, defaultMode: 'revalidate' });
    const merged = effectiveSettings(mine, policy);
    expect(siteOptions(merged, LOCAL)).toMatchObject({ keepSiteData: true, autoClear: true, mode: 'revalidate' });
    expect(siteOptions(merged, LAB)).toMatchObject({ protect: false, mode: 'revalidate' });
    expect(policySiteOptions(policy)).toEqual(['mode', 'keepSiteData']);
    // Not written into the user's settings: without the policy their choices come back.
    expect(siteOptions(effectiveSettings(mine, EMPTY_POLICY), LAB)).toMatchObject({ mode: 'bypass' });
  });

  it('with lockProtection a managed origin cannot be paused; the user\'s other choices for it stand', () => {
    const { policy } = parsePolicy({ protectedOrigins: [LAB], lockProtection: true });
    const merged = effectiveSettings(user, policy);
    expect(isProtected(merged, LAB, new Set([LAB]))).toBe(true);
    expect(merged.sites[LAB]).toEqual({ mode: 'bypass' });
    expect(buildRules(merged, new Set([LAB])).some((r) => r.condition.urlFilter === `|${LAB}/`)).toBe(true);
  });

  it('never changes the user\'s settings: without the policy they are exactly as they were', () => {
    const frozen = structuredClone(user);
    effectiveSettings(user, parsePolicy({ protectedOrigins: [LAB], lockProtection: true, allLoopbackPorts: true }).policy);
    expect(user).toEqual(frozen);
    expect(effectiveSettings(user, EMPTY_POLICY)).toEqual(user);
  });

  it('applies over migrated settings (a 0.1.0 user, then a policy)', () => {
    const migrated = loadSettings({ version: 2, protectKnownPorts: true, allLoopbackPorts: false, customOrigins: [], defaults: { mode: 'revalidate', autoClear: false }, sites: {} });
    expect(migrated.status).toBe('ok');
    const merged = effectiveSettings(migrated.settings, parsePolicy({ protectedOrigins: [LOCAL], keepSiteDataDefault: true }).policy);
    expect(merged).toMatchObject({ customOrigins: [LOCAL], defaults: { keepSiteData: true } });
  });

  it('says what is locked', () => {
    const locks = lockedBy(parsePolicy({ protectedOrigins: [LAB], lockProtection: true, defaultMode: 'revalidate' }).policy);
    expect([locks.defaultMode, locks.allLoopbackPorts]).toEqual([true, false]);
    expect(locks.origin(LAB)).toEqual({ managed: true, locked: true });
    expect(locks.origin(LOCAL)).toEqual({ managed: false, locked: false });
  });
});

describe('summariseIssues', () => {
  it('a policy of 10,000 origins with one bad entry: one line for the 9,499 over the limit, one for the bad entry', () => {
    const origins = Array.from({ length: 10_000 }, (_, i) => `http://gpu-${i}.lab:7860`);
    origins[3] = 'not a url';
    const { issues } = parsePolicy({ protectedOrigins: origins });
    const summary = summariseIssues(issues);
    expect(summary.overLimit).toBe(9_499); // 9,999 valid origins, 500 applied
    expect(summary.issues).toEqual([{ key: 'protectedOrigins[3]', reason: 'not-an-origin', value: 'not a url' }]);
    expect(summary.more).toBe(0);
  });

  it('past ten other issues, the rest is a count', () => {
    const { issues } = parsePolicy(Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`unknown${i}`, i])));
    expect(summariseIssues(issues)).toMatchObject({ overLimit: 0, more: 15 });
    expect(summariseIssues(issues).issues).toHaveLength(10);
  });
});

describe('a list the browser dropped', () => {
  it('a lock with no list (Chromium drops a list with one entry of the wrong type) is named', () => {
    expect(parsePolicy({ lockProtection: true }).issues).toEqual([{ key: 'protectedOrigins', reason: 'missing-list', value: '' }]);
    expect(parsePolicy({ lockProtection: true, protectedOrigins: [] }).issues).toEqual([]);
    expect(parsePolicy({ lockProtection: false }).issues).toEqual([]);
  });

  it('where the list arrives (Firefox), its valid entries apply and the bad one is named', () => {
    const { policy, issues } = parsePolicy({ lockProtection: true, protectedOrigins: ['http://localhost:4193', 42] });
    expect(policy.protectedOrigins).toEqual(['http://localhost:4193']);
    expect(issues).toEqual([{ key: 'protectedOrigins[1]', reason: 'wrong-type', value: '42' }]);
  });
});
