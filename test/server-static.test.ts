import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './support/server-app.js';

describe('the web UI files, whatever path is asked for', () => {
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
