import { afterEach, describe, expect, it } from 'vitest';
import { bearer, type TestServer, testServer } from './support/server-app.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => {});
  server = undefined;
});

describe('errors over HTTP', () => {
  it("answer a database fault with a plain message, never the database's own words", async () => {
    server = await testServer('sqlite');
    // A database that cannot write: every change fails inside its transaction.
    await server.store.ctx.db.schema.dropTable('audit_log').execute();
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: bearer(server.tokens.admin),
      payload: { name: 'Cabins' },
    });
    expect(r.statusCode).toBe(503);
    expect(r.json().error).toEqual({
      code: 'STORE_FAILED',
      message: 'the database could not complete the change: try again',
    });
    expect(r.body).not.toMatch(/audit_log|no such table|SQLITE/i);
  });
});
