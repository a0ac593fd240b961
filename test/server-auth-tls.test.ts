import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProxySetting } from '../src/server/auth-address.js';
import { exposureWarning, isLoopbackHost } from '../src/server/auth-serve.js';
import { type Running, startServer } from '../src/server/serve.js';
import { cli } from './support/fake-io.js';

/** Issue 14 §4: HTTPS served directly, and a warning when listening beyond this machine without it. */

const OPENSSL = '/usr/bin/openssl';
const ROOT = join(import.meta.dirname, '..');

/** GET over HTTPS, trusting only the test's own certificate. */
function get(
  url: string,
  ca: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost', headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the exposure warning', () => {
  it('is given for any address other machines can reach, unless the server speaks TLS', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'keyward.example.org', '[2001:db8::1]'])
      expect(exposureWarning(host, false), host).toMatch(
        /without TLS.*--tls-cert and --tls-key.*reverse proxy/,
      );
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(exposureWarning(host, false), host).toBeNull();
    }
    expect(exposureWarning('0.0.0.0', true)).toBeNull();
  });

  it('lists --trust-proxy and the TLS options in keyward serve --help', async () => {
    const r = await cli(['serve', '--help']);
    for (const flag of ['--trust-proxy', '--tls-cert <file>', '--tls-key <file>', '--no-sign-in-link'])
      expect(r.stdout).toContain(flag);
  });

  it('refuses a certificate without its key in one line, exit 2', async () => {
    const r = await cli(['serve', '--tls-cert', '/nonexistent.pem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/both --tls-cert and --tls-key/);
  });

  const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
  it.skipIf(!built)(
    'is printed on stderr by keyward serve --host 0.0.0.0, with the sign-in link on stdout',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keyward-expose-'));
      let child: ChildProcess | null = null;
      try {
        child = spawn(
          process.execPath,
          [join(ROOT, 'bin', 'keyward.js'), 'serve', '--host', '0.0.0.0', '--port', '0', '--no-sync'],
          {
            env: { ...process.env, KEYWARD_DATA_DIR: dir, NO_COLOR: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout!.on('data', (c) => {
          out += c;
        });
        child.stderr!.on('data', (c) => {
          err += c;
        });
        const deadline = Date.now() + 20_000;
        while (!/signin\//.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(out).toMatch(
          /open this link in your browser.*\n\n {2}http:\/\/127\.0\.0\.1:\d+\/signin\/[A-Za-z0-9_-]{43}\n/s,
        );
        expect(err).toMatch(/Warning: listening on 0\.0\.0\.0 without TLS/);
      } finally {
        child?.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

const HAS_OPENSSL = existsSync(OPENSSL);
if (!HAS_OPENSSL) console.warn(`SKIPPED: the HTTPS test needs ${OPENSSL} to make a self-signed certificate`);

describe.skipIf(!HAS_OPENSSL)('keyward serve --tls-cert --tls-key', () => {
  let dir: string;
  let r: Running;
  let cert: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-tls-'));
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    r = await startServer({
      port: 0,
      dataDir: join(dir, 'data'),
      env: {},
      logLevel: false,
      web: false,
      sync: false,
      tlsCert: join(dir, 'cert.pem'),
      tlsKey: join(dir, 'key.pem'),
    });
  });
  afterAll(async () => {
    await r?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate, and prints https addresses', async () => {
    expect(r.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(r.signIn!.url.startsWith(`${r.url}/signin/`)).toBe(true);
    const health = await get(`${r.url}/healthz`, cert);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
  });

  it('sets the session cookie Secure when the link is opened over HTTPS', async () => {
    const res = await get(r.signIn!.url, cert);
    expect(res.status).toBe(303);
    const set = String(res.headers['set-cookie']);
    expect(set.split('; ')).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']),
    );
    // The __Host- prefix: only a Secure cookie for this very host, set by HTTPS, is taken.
    expect(set).toMatch(/^__Host-keyward_session=[A-Za-z0-9_-]{43}; /);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    const me = await get(`${r.url}/api/v1/me`, cert, { cookie: set.split(';')[0]! });
    expect(JSON.parse(me.body)).toMatchObject({ role: 'admin' });
    // The same secret under the plain name is not read over HTTPS.
    const plain = await get(`${r.url}/api/v1/me`, cert, {
      cookie: set.split(';')[0]!.replace('__Host-', ''),
    });
    expect(plain.status).toBe(401);
  });

  it('does not answer plain HTTP on the same port', async () => {
    await expect(fetch(r.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
  });
});

/**
 * The README's reverse-proxy way: Keyward on loopback with --trust-proxy, a proxy in front that
 * terminates HTTPS and appends X-Forwarded-For / X-Forwarded-Proto (here a few lines of
 * node:http standing in for Caddy or nginx; the client's address comes from a test header,
 * since every test client is on loopback).
 */
describe('keyward serve --trust-proxy behind a reverse proxy', () => {
  let dir: string;
  let r: Running;
  let proxy: Server;
  let proxyUrl = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-proxy-'));
    r = await startServer({
      port: 0,
      dataDir: dir,
      env: {},
      logLevel: false,
      web: false,
      sync: false,
      trustProxy: trustProxySetting(true),
      // One throttle window for the whole test.
      auth: { now: () => Date.UTC(2026, 0, 5, 12, 0, 30) },
    });
    const target = new URL(r.url);
    proxy = createServer((req, res) => {
      const client = String(req.headers['x-test-client'] ?? req.socket.remoteAddress);
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, 'x-forwarded-for': client, 'x-forwarded-proto': 'https' },
        },
        (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await r?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const me = (token: string, client: string) =>
    fetch(`${proxyUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}`, 'x-test-client': client },
    });

  it("counts each client's failures under its own address, and never locks the owner out", async () => {
    const owner = r.admin.kind === 'created' ? r.admin.token : '';
    for (let i = 0; i < 25; i++) await me(`kw_guess_${i}_${'0'.repeat(40)}`, '198.51.100.7');
    expect((await me(`kw_guess_more_${'0'.repeat(40)}`, '198.51.100.7')).status).toBe(429);
    expect((await me(`kw_guess_b_${'0'.repeat(40)}`, '198.51.100.8')).status).toBe(401);
    expect((await me(owner, '198.51.100.7')).status).toBe(200);
  });

  it('sets the session cookie Secure when the proxy says the browser came over HTTPS', async () => {
    const res = await fetch(`${proxyUrl}${new URL(r.signIn!.url).pathname}`, {
      redirect: 'manual',
      headers: { 'x-test-client': '198.51.100.9' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')!.split('; ')).toContain('Secure');
  });
});
