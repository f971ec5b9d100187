import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostKind } from './network';

/** What the browser would call the host of `url`: the classifier sees only URL-normalised names. */
const hostOf = (url: string) => new URL(url).hostname;

describe('hostKind', () => {
  it.each([
    ['http://localhost:7860', 'loopback'],
    ['http://127.0.0.1:8188', 'loopback'],
    ['http://127.8.9.10', 'loopback'],
    ['http://[::1]:8501', 'loopback'],
    ['http://192.168.1.50:7860', 'private'],
    ['http://10.0.0.7:8188', 'private'],
    ['http://172.16.0.1', 'private'],
    ['http://172.31.255.255', 'private'],
    ['http://169.254.10.20', 'private'],
    ['http://100.101.102.103:8080', 'private'],
    ['http://[fd12:3456:789a::1]:7860', 'private'],
    ['http://[fc00::1]', 'private'],
    ['http://[fe80::1]', 'private'],
    ['http://[::ffff:192.168.1.9]', 'private'],
    ['http://[::ffff:8.8.8.8]', 'public'],
    ['http://0xC0A80132', 'private'], // 192.168.1.50, as the URL parser reads hex
    ['http://gpu-box.local:8188', 'local-name'],
    ['http://GPU-BOX.LOCAL.', 'local-name'],
    ['http://nas.lan', 'local-name'],
    ['http://box.home.arpa', 'local-name'],
    ['http://comfy.internal', 'local-name'],
    ['http://app.localhost', 'loopback'],
    ['http://0.0.0.0:8188', 'loopback'],
    ['http://[::]:7860', 'loopback'],
    ['http://0.0.0.1', 'public'],
    ['http://gpu-box.tail1234.ts.net', 'local-name'],
    ['http://gpu-box:7860', 'local-name'],
    ['https://example.com', 'public'],
    ['http://172.32.0.1', 'public'],
    ['http://172.15.0.1', 'public'],
    ['http://100.128.0.1', 'public'],
    ['http://192.169.1.1', 'public'],
    ['http://8.8.8.8', 'public'],
    ['http://[2001:db8::1]', 'public'],
    ['http://local', 'local-name'],
    ['http://evil.local.example.com', 'public'],
    ['http://notts.net', 'public'],
    ['http://lan', 'local-name'],
  ])('%s is %s', (url, kind) => {
    expect(hostKind(hostOf(url))).toBe(kind);
  });

  it('reads the prefix boundaries of every private IPv4 range exactly', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const [a, b] = ip.split('.').map(Number) as [number, number];
        const expected =
          a === 127 ? 'loopback'
          : a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) ? 'private'
          : 'public';
        expect(hostKind(hostOf(`http://${ip}/`))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the mapped IPv4 address for any ::ffff: form the URL parser writes', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(hostKind(hostOf(`http://[::ffff:${ip}]/`))).toBe(hostKind(ip));
      }),
    );
  });

  it('never throws and never calls a public domain local, whatever the name', () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        const kind = hostKind(hostOf(`http://${domain}/`));
        const local = /\.(local|lan|home\.arpa|internal|localdomain|ts\.net)$/.test(domain) || !domain.includes('.');
        expect(kind === 'local-name').toBe(local && !domain.endsWith('.localhost'));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes hostile input without throwing', () => {
    for (const junk of ['', '[', '[]', '[::ffff:999.1.1.1]', '[1:2:3:4:5:6:7:8:9]', '[::1::2]', '.'.repeat(300), 'a'.repeat(10_000), '[' + ':'.repeat(5000) + ']']) {
      expect(['loopback', 'private', 'local-name', 'public']).toContain(hostKind(junk));
    }
  });
});
