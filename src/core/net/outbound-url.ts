/**
 * Which addresses Keyward may call (webhooks, ntfy topics, ICS calendars). Pure: the scheme rule
 * and the classification of IP addresses; the adapter that resolves names is
 * src/notify/outbound.ts. An address someone types into Keyward must not make the server reach
 * its own machine or the private network behind it (SSRF), unless an admin started the server
 * with --allow-private-urls.
 */

/** What an IP address is, for the one question: may Keyward call it? */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

export type OutboundCheck =
  | { ok: true; url: URL /** The host without IPv6 brackets. */; host: string; literal: AddressClass | null }
  | { ok: false; reason: string };

export const PRIVATE_REFUSED =
  'the address points to this machine or a private network; Keyward calls those only when the server is started with --allow-private-urls';

/** Parses a dotted IPv4 address into its four bytes, or null. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** Parses an IPv6 address (with an optional embedded IPv4 tail or zone) into 8 groups, or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    const prefix = s.slice(0, lastColon + 1);
    s = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const read = (h: string | undefined) => (h ? h.split(':') : []);
  const head = read(halves[0]);
  const rest = halves.length === 2 ? read(halves[1]) : [];
  const groups: number[] = [];
  for (const g of [...head, ...rest]) if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
  const want = 8 - tail.length;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== want : given > want - 1) return null;
  groups.push(...head.map((g) => Number.parseInt(g, 16)));
  if (halves.length === 2) for (let i = given; i < want; i++) groups.push(0);
  groups.push(...rest.map((g) => Number.parseInt(g, 16)));
  groups.push(...tail);
  return groups.length === 8 ? groups : null;
}

function classifyV4(b: number[]): AddressClass {
  const [a, c] = [b[0]!, b[1]!];
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return 'private';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 100 && c >= 64 && c <= 127) return 'shared';
  if (a >= 224 && a <= 239) return 'multicast';
  // 192.0.0/24 (protocol assignments), 198.18/15 (benchmarking), 240/4 and broadcast, and the
  // documentation ranges: nobody's webhook lives there.
  if (
    (a === 192 && c === 0 && b[2] === 0) ||
    (a === 192 && c === 0 && b[2] === 2) ||
    (a === 198 && (c === 18 || c === 19)) ||
    (a === 198 && c === 51 && b[2] === 100) ||
    (a === 203 && c === 0 && b[2] === 113) ||
    a >= 240
  )
    return 'reserved';
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(8)) return 'unspecified';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): the
  // IPv4 address inside decides.
  const v4 = [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(v4);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'private'; // site-local, deprecated but still routed inside
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && g[1] === 0xdb8) return 'reserved';
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (first === 0x2002) return classifyV4([g[1]! >> 8, g[1]! & 255, g[2]! >> 8, g[2]! & 255]);
  return 'public';
}

/** The class of an IP address given as text, or null when the text is not an IP address. */
export function classifyAddress(text: string): AddressClass | null {
  const v4 = parseIPv4(text);
  if (v4) return classifyV4(v4);
  const v6 = parseIPv6(text);
  return v6 ? classifyV6(v6) : null;
}

/** Whether an address of this class may be called. */
export function mayCall(cls: AddressClass, allowPrivate: boolean): boolean {
  return cls === 'public' || allowPrivate;
}

/**
 * The scheme rule and, for an IP literal or a name that always means this machine, the address
 * rule. A name that needs DNS passes here (literal null); the adapter checks what it resolves to.
 */
export function checkOutboundUrl(text: string, allowPrivate: boolean): OutboundCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'the address is not a web address (it must start with https:// or http://)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'the address must start with https:// or http://' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === '') return { ok: false, reason: 'the address has no host' };
  let literal = classifyAddress(host);
  if (literal === null && (host === 'localhost' || host.endsWith('.localhost'))) literal = 'loopback';
  if (literal !== null && !mayCall(literal, allowPrivate)) return { ok: false, reason: PRIVATE_REFUSED };
  return { ok: true, url, host, literal };
}
