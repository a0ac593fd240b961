import { checkOutboundUrl } from '../core/net/outbound-url.js';

/**
 * The rule for addresses Keyward calls (issue 16 §3), src/core/net/outbound-url.ts, as the
 * calendar uses it: checked when an address is given (no DNS: a host name is checked at connect
 * time, by src/notify/outbound.ts's guarded lookup, which fetch.ts hands to the socket).
 */
export function urlProblem(url: string, allowPrivate: boolean): string | null {
  const check = checkOutboundUrl(url, allowPrivate);
  if (!check.ok) return check.reason;
  if (check.url.username || check.url.password) return 'the address may not carry a user name or password';
  return null;
}
