import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../../src/store/server-queries.js';
import { tokenHash } from '../../src/store/tokens.js';
import { Harness } from './dialects.js';

const h = new Harness();
afterEach(() => h.cleanup());

describe('API tokens in the store', () => {
  it('are 256 random bits behind kw_, stored only as their SHA-256, and audited without the token', async () => {
    const store = await h.fresh('sqlite');
    const { id, token } = await store.createApiToken({ name: 'phone', role: 'viewer' });
    expect(token).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    expect(id).toMatch(/^tok_/);
    expect(tokenHash(token)).toBe(createHash('sha256').update(token).digest('hex'));
    const row = await store.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'phone',
      role: 'viewer',
      token_sha256: tokenHash(token),
      revoked_at: null,
    });
    expect(JSON.stringify(await store.dump())).not.toContain(token.slice(3));
    const audit = await store.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', id)
      .execute();
    expect(audit.map((a) => [a.action, a.subject_type, JSON.parse(a.detail)])).toEqual([
      ['token.create', 'api_token', { role: 'viewer' }],
    ]);
    expect(await store.findApiToken(token)).toEqual({ id, role: 'viewer' });
  });

  it('refuses a role that does not exist, writing nothing', async () => {
    const store = await h.fresh('sqlite');
    await expect(store.createApiToken({ name: 'x', role: 'owner' as never })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'role must be one of admin, manager, viewer',
    });
    expect(await store.ctx.db.selectFrom('api_tokens').selectAll().execute()).toEqual([]);
  });

  it('finds no token once it is revoked, and no token for a wrong one', async () => {
    const store = await h.fresh('sqlite');
    const a = await store.createApiToken({ name: 'a', role: 'admin' });
    const b = await store.createApiToken({ name: 'b', role: 'manager' });
    await revokeApiToken(store.ctx, b.id);
    expect(await store.findApiToken(b.token)).toBeNull();
    expect(await store.findApiToken(`${a.token}x`)).toBeNull();
    expect(await store.findApiToken(a.token)).toEqual({ id: a.id, role: 'admin' });
  });
});
