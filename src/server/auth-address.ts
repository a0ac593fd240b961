import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client's sign-in attempts are counted under. An IPv6 host is usually given a whole
 * /64, so counting per address would hand one attacker 2^64 allowances: attempts are counted
 * per /64. An IPv4 address written as IPv6 (::ffff:10.0.0.1) counts as itself.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros ('2001:db8::1' -> 2001,db8,0,...,1). */
function expandIPv6(ip: string): string[] {
  const bare = ip.split('%')[0]!;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // A trailing IPv4 part counts as two groups.
  const groups = (parts: string[]) =>
    parts.flatMap((p) => {
      if (!p.includes('.')) return [p];
      const b = p.split('.').map(Number);
      return [((b[0]! << 8) | b[1]!).toString(16), ((b[2]! << 8) | b[3]!).toString(16)];
    });
  const l = groups(left);
  const r = groups(right);
  const zeros = tail === undefined ? [] : Array(8 - l.length - r.length).fill('0');
  return [...l, ...zeros, ...r].map((g) => Number.parseInt(g, 16).toString(16));
}

/**
 * What `--trust-proxy` means to Fastify: with no value, proxies on this machine (loopback) are
 * believed; otherwise a hop count ("2") or a comma-separated list of addresses and CIDR ranges.
 * A client that reaches the server directly can then not choose its own address by sending an
 * X-Forwarded-For header: only what a trusted proxy appended is read.
 */
export function trustProxySetting(value: string | boolean | undefined): false | number | string[] {
  if (value === undefined || value === false) return false;
  if (value === true || value.trim() === '') return ['loopback'];
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Fastify's options for how the server is reached: which proxies to believe, and HTTPS when a
 * certificate is given. The HTTPS server answers as the HTTP one does; its type is kept as the
 * plain server's so that the rest of the app is written once.
 */
export function transportOptions(opts: {
  trustProxy?: false | number | string[];
  https?: { key: Buffer; cert: Buffer };
}): { trustProxy: boolean | string[] | ((address: string, hop: number) => boolean) } {
  const t = opts.trustProxy ?? false;
  const trustProxy = typeof t === 'number' ? (_: string, hop: number) => hop < t : t;
  return opts.https
    ? ({ trustProxy, https: opts.https } as { trustProxy: typeof trustProxy })
    : { trustProxy };
}
