import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestServer, testServer } from './support/server-app.js';

/** One server for the file, with a small UI folder of its own and a file just outside it. */
let server: TestServer;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'keyward-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keyward</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'keyward-outside.txt'), 'secret');
  server = await testServer('sqlite', { web: root });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'keyward-outside.txt'), { force: true });
});

describe('the web UI files, whatever path is asked for', () => {
  it('serves an asset and the UI page', async () => {
    expect((await server.app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1)');
    expect((await server.app.inject({ url: '/' })).body).toContain('<title>Keyward</title>');
  });

  it('answers malformed or doubly encoded paths with at most a 4xx, never a 500', async () => {
    for (const url of ['/%25', '/%', '/%E0%A4%A', '/%c0%ae%c0%ae/', '/assets/%2525', '/%ff', '/a%00b']) {
      const res = await server.app.inject({ url });
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });

  it('never serves a file outside the UI folder, however the dots are encoded', async () => {
    for (const url of [
      '/../keyward-outside.txt',
      '/%2e%2e/keyward-outside.txt',
      '/%252e%252e/keyward-outside.txt',
      '/assets/..%2f..%2fkeyward-outside.txt',
    ]) {
      const res = await server.app.inject({ url });
      expect(res.body, url).not.toContain('secret');
    }
  });
});

describe('headers on every answer', () => {
  it('never lets a browser sniff an answer into another type, errors and the UI included', async () => {
    for (const url of ['/healthz', '/api/v1/locks', '/api/v1/nope', '/', '/assets/app.js', '/api/docs']) {
      const res = await server.app.inject({ url, headers: bearer(server.tokens.viewer) });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('lets no cache keep an answer that can carry a token or a code, nor an API error', async () => {
    const token = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(server.tokens.admin),
      payload: { name: 'phone', role: 'viewer' },
    });
    expect(token.statusCode).toBe(201);
    expect(token.headers['cache-control']).toBe('no-store');
    for (const url of ['/api/v1/credentials?reveal=true', '/api/v1/locks', '/api/v1/nope']) {
      const res = await server.app.inject({ url, headers: bearer(server.tokens.manager) });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const denied = await server.app.inject({ url: '/api/v1/credentials' });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['cache-control']).toBe('no-store');
  });

  it("gives the API's own page a content security policy like the UI's", async () => {
    const res = await server.app.inject({ url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("keeps the UI's own caching: hashed assets for a year, the page never stale", async () => {
    expect((await server.app.inject({ url: '/assets/app.js' })).headers['cache-control']).toContain(
      'immutable',
    );
    expect((await server.app.inject({ url: '/' })).headers['cache-control']).toBe('no-cache');
  });
});
