import { BlockList, isIP } from 'node:net';

/**
 * The rule for addresses Keyward calls (issue 16 §3): http or https only, and not the machine's
 * own or private network unless the server was started with --allow-private-urls. The check runs
 * on every address a name resolves to, at connection time (fetch.ts passes `checkAddress` as
 * the socket's lookup), so a name that resolves to a public address when checked and a private
 * one when called cannot slip through. Interim copy until helper "activity"'s
 * src/core/net/outbound-url.ts is merged.
 */

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
    return PRIVATE.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse rather than guess
}

/** Why the address may not be called, in a host's words; null when it may. */
export function urlProblem(url: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'the address is not a web address';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'the address must start with https:// or http://';
  if (u.username || u.password) return 'the address may not carry a user name or password';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))
  )
    return 'the address points at this machine or a private network, which the server does not allow (start it with --allow-private-urls to allow it)';
  return null;
}

/** Checks one resolved address at connection time. */
export function addressProblem(address: string, allowPrivate: boolean): string | null {
  if (allowPrivate || !isPrivateAddress(address)) return null;
  return 'the address resolves to this machine or a private network, which the server does not allow (start it with --allow-private-urls to allow it)';
}
