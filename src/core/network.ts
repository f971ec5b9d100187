/**
 * Where a host lives, as far as its name tells: the machine itself, the user's
 * own network (a private or link-local address, a local name), or the internet.
 * Decides nothing by itself; the popup uses it to say what a site is, and no
 * request is ever made to learn it.
 */
import { isLoopbackHost } from './permissions';

export type HostKind = 'loopback' | 'private' | 'local-name' | 'public';

/**
 * Names that resolve only inside a home or lab network: mDNS (`.local`, RFC 6762),
 * `.home.arpa` (RFC 8375), `.internal` (ICANN's reserved private TLD, 2024),
 * the common router suffixes `.lan` and `.localdomain`, and Tailscale's
 * MagicDNS (`*.ts.net`; a name Tailscale Funnel publishes is on the internet,
 * which its name does not tell).
 */
const LOCAL_SUFFIXES = ['.local', '.lan', '.home.arpa', '.internal', '.localdomain', '.ts.net'] as const;

/** `hostname` as `URL.hostname` spells it: lower case, IPv4 in dotted decimal, IPv6 in brackets. */
export function hostKind(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(host)) return 'loopback';
  // `*.localhost` (RFC 6761: browsers resolve it to loopback themselves), and the "any address" a tool
  // prints when it listens on every interface (ComfyUI --listen, Gradio server_name="0.0.0.0").
  if (host.endsWith('.localhost') || host === '0.0.0.0' || host === '[::]') return 'loopback';
  if (host.startsWith('[') && host.endsWith(']')) return ipv6Kind(host.slice(1, -1));
  const v4 = ipv4(host);
  if (v4) return ipv4Kind(v4);
  if (LOCAL_SUFFIXES.some((s) => host.endsWith(s) && host.length > s.length)) return 'local-name';
  // One label ("gpu-box"): a name only the local resolver knows.
  if (host !== '' && !host.includes('.')) return 'local-name';
  return 'public';
}

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function ipv4Kind([a, b]: number[]): HostKind {
  if (a === 127) return 'loopback';
  if (a === 10) return 'private'; // RFC 1918
  if (a === 172 && b! >= 16 && b! <= 31) return 'private'; // RFC 1918
  if (a === 192 && b === 168) return 'private'; // RFC 1918
  if (a === 169 && b === 254) return 'private'; // link-local, RFC 3927
  if (a === 100 && b! >= 64 && b! <= 127) return 'private'; // shared address space, RFC 6598 (Tailscale's 100.x)
  return 'public';
}

function ipv6Kind(address: string): HostKind {
  const groups = expandIpv6(address);
  if (!groups) return 'public';
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return 'loopback';
  const [first] = groups as [number];
  if ((first & 0xfe00) === 0xfc00) return 'private'; // unique local, fc00::/7 (RFC 4193)
  if ((first & 0xffc0) === 0xfe80) return 'private'; // link-local, fe80::/10
  // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:xxxx:xxxx): the IPv4 address decides.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Kind([groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff]);
  }
  return 'public';
}

/** Eight 16-bit groups, or null for anything that is not a plain IPv6 address. */
function expandIpv6(address: string): number[] | null {
  if (!/^[0-9a-f:.]+$/.test(address)) return null;
  let text = address;
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const v4 = ipv4(dotted[1]!);
    if (!v4) return null;
    text = text.slice(0, -dotted[1]!.length) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}
