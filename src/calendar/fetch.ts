import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from '../notify/outbound.js';
import { urlProblem } from './outbound-url.js';

/**
 * One conditional GET of a calendar: a timeout over the whole exchange, a size cap, ETag and
 * Last-Modified sent back, at most a few redirects (each checked again), and every connection
 * held to the outbound-address rule. A failure is an answer, never a throw: the caller keeps the
 * last good data and shows the reason.
 */

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
  allowPrivate?: boolean;
}

export type FetchResult =
  | { kind: 'ok'; body: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified' }
  | { kind: 'failed'; message: string };

export const FETCH_DEFAULTS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024 };
const REDIRECTS = 3;

export async function fetchCalendar(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = opts.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const allowPrivate = opts.allowPrivate ?? false;
  const deadline = Date.now() + timeoutMs;
  let target = url;
  for (let hop = 0; hop <= REDIRECTS; hop++) {
    const problem = urlProblem(target, allowPrivate);
    if (problem) return { kind: 'failed', message: problem };
    let r = await getOnce(target, opts, { deadline, maxBytes, allowPrivate, timeoutMs });
    // A connection cut mid-answer is tried once more while time remains (busy servers do that).
    if (r.kind === 'failed' && r.message === CUT && Date.now() < deadline)
      r = await getOnce(target, opts, { deadline, maxBytes, allowPrivate, timeoutMs });
    if (r.kind === 'redirect') {
      target = new URL(r.location, target).toString();
      continue;
    }
    return r;
  }
  return { kind: 'failed', message: `the address redirected more than ${REDIRECTS} times` };
}

function getOnce(
  url: string,
  opts: FetchOptions,
  limits: { deadline: number; maxBytes: number; allowPrivate: boolean; timeoutMs: number },
): Promise<FetchResult | { kind: 'redirect'; location: string }> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const headers: Record<string, string> = {
      accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1',
      'user-agent': 'Keyward calendar sync',
    };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
    const lib = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (r: FetchResult | { kind: 'redirect'; location: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = lib.get(
      u,
      { headers, lookup: guardedLookup({ allowPrivate: limits.allowPrivate }) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304 && res.headers.location) {
          res.resume();
          return finish({ kind: 'redirect', location: res.headers.location });
        }
        if (status === 304) {
          res.resume();
          return finish({ kind: 'not-modified' });
        }
        if (status !== 200) {
          res.resume();
          return finish({
            kind: 'failed',
            message: `the calendar's address answered ${status} ${res.statusMessage ?? ''}`.trim(),
          });
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > limits.maxBytes) {
          req.destroy();
          return finish({ kind: 'failed', message: tooBig(limits.maxBytes) });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limits.maxBytes) {
            req.destroy();
            finish({ kind: 'failed', message: tooBig(limits.maxBytes) });
          } else chunks.push(c);
        });
        res.on('end', () =>
          finish({
            kind: 'ok',
            body: Buffer.concat(chunks).toString('utf8'),
            etag: header(res.headers.etag),
            lastModified: header(res.headers['last-modified']),
          }),
        );
        res.on('error', (e) => finish({ kind: 'failed', message: reason(e) }));
      },
    );
    req.on('error', (e) => finish({ kind: 'failed', message: reason(e) }));
    const timer = setTimeout(
      () => {
        req.destroy();
        finish({
          kind: 'failed',
          message: `the calendar's address did not answer within ${Math.round(limits.timeoutMs / 1000)} s`,
        });
      },
      Math.max(0, limits.deadline - Date.now()),
    );
  });
}

const CUT = 'the connection was cut before the calendar arrived';
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const tooBig = (max: number) =>
  `the calendar is larger than ${Math.round(max / 1024)} KB, more than any booking feed`;

function reason(e: Error & { code?: string }): string {
  if (e.code === 'EPRIVATE') return e.message;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
    return "the calendar's address could not be found (check the link)";
  if (e.code === 'ECONNREFUSED') return "the calendar's address refused the connection";
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return CUT;
  return `the calendar could not be fetched: ${e.message}`;
}
