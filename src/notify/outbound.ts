import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { KeywardError } from '../core/errors.js';
import { checkOutboundUrl, classifyAddress, mayCall, PRIVATE_REFUSED } from '../core/net/outbound-url.js';

/**
 * Calling an address someone typed into Keyward (a webhook, an ntfy topic, an ICS calendar). The
 * rule is src/core/net/outbound-url.ts; this adapter resolves names and checks every address a
 * name resolves to, at connect time (the lookup the socket itself uses), so a name that resolves
 * to a public address when checked and to 127.0.0.1 when connecting (DNS rebinding) is refused
 * too.
 */
export interface OutboundOptions {
  /** --allow-private-urls: loopback and private networks may be called (tests, a LAN). */
  allowPrivate: boolean;
}

/** Throws BAD_INPUT (in a host's words) unless the URL may be called; resolves names. */
export async function assertOutboundUrl(text: string, opts: OutboundOptions): Promise<URL> {
  const check = checkOutboundUrl(text, opts.allowPrivate);
  if (!check.ok) throw new KeywardError('BAD_INPUT', check.reason);
  if (check.literal === null && !opts.allowPrivate) {
    const addresses = await resolveAll(check.host);
    if (addresses.some((a) => !mayCall(classifyAddress(a.address) ?? 'reserved', false)))
      throw new KeywardError('BAD_INPUT', PRIVATE_REFUSED);
  }
  return check.url;
}

/** The scheme and literal-address rule only (no DNS): for validating input synchronously. */
export function outboundUrlProblem(text: string, opts: OutboundOptions): string | null {
  const check = checkOutboundUrl(text, opts.allowPrivate);
  return check.ok ? null : check.reason;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) =>
      err
        ? reject(new KeywardError('BAD_INPUT', `the address's host ${host} could not be found`))
        : resolve(addresses),
    ),
  );
}

/** A `lookup` for http(s).request that refuses what the socket would reach unless allowed. */
export function guardedLookup(opts: OutboundOptions): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => !mayCall(classifyAddress(a.address) ?? 'reserved', opts.allowPrivate));
      if (bad) return callback(Object.assign(new Error(PRIVATE_REFUSED), { code: 'EPRIVATE' }), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole request, connect to last byte. */
  timeoutMs?: number;
  /** Answers longer than this are cut off with an error. */
  maxBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * One request to an address checked by the rule, with a timeout and a size cap; no redirects
 * are followed (a redirect could lead anywhere: the caller sees the 3xx).
 */
export async function requestOutbound(
  text: string,
  req: OutboundRequest,
  opts: OutboundOptions,
): Promise<OutboundResponse> {
  const check = checkOutboundUrl(text, opts.allowPrivate);
  if (!check.ok) throw new KeywardError('BAD_INPUT', check.reason);
  const url = check.url;
  const mod = url.protocol === 'https:' ? https : http;
  const timeoutMs = req.timeoutMs ?? 15_000;
  const maxBytes = req.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const r = mod.request(
      url,
      {
        method: req.method ?? 'GET',
        headers: req.headers,
        lookup: guardedLookup(opts),
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            reject(new Error(`the answer is larger than ${maxBytes} bytes`));
            res.destroy();
            r.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', (e) => reject(e));
        res.on('aborted', () => reject(new Error('the answer was cut off')));
      },
    );
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    r.on('close', () => clearTimeout(timer));
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
