import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './store/dialects.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

describe.each(DIALECTS)('a burst of code creations over HTTP on %s', (dialect) => {
  let s: TestServer;
  let lockIds: string[];
  beforeAll(async () => {
    s = await testServer(dialect);
    lockIds = [];
    for (const name of ['Room 1', 'Room 2', 'Room 3']) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/v1/locks',
        headers: bearer(s.tokens.admin),
        payload: { name, model: '264', driver: 'manual' },
      });
      lockIds.push(r.json().id);
    }
  });
  afterAll(() => s.close());

  it('creates every valid code, answers each refused one with its own 4xx, and keeps the audit chain whole', async () => {
    const bodies: Array<Record<string, unknown>> = Array.from({ length: 15 }, (_, i) => ({
      name: `Guest ${i}`,
      code: `${2000 + i * 53}7`,
      lockIds: [lockIds[i % 3]],
      kind: 'guest',
      endsAt: Date.now() + 86_400_000,
    }));
    // Same first four digits as Guest 0, on Guest 0's lock.
    bodies[4] = { name: 'Clash', code: '20009', lockIds: [lockIds[0]] };
    bodies[9] = { name: 'Generated', generate: true, lockIds };
    bodies[12] = { name: 'Unknown lock', code: '8642', lockIds: ['lock_nowhere'] };
    const answers = await Promise.all(
      bodies.map((payload) =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/credentials',
          headers: bearer(s.tokens.manager),
          payload,
        }),
      ),
    );
    // Guest 0 and Clash arrive together, so either may be stored first: concurrent requests have
    // no order to keep. What holds is that exactly one is stored and the other is refused with a
    // message naming the lock, never the digits.
    const clashing = [0, 4];
    const refused = clashing.filter((i) => answers[i]!.statusCode === 400);
    expect(refused).toHaveLength(1);
    expect(clashing.filter((i) => answers[i]!.statusCode === 201)).toHaveLength(1);
    const others = answers.map((a) => a.statusCode).filter((_, i) => !clashing.includes(i));
    expect(others).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 404, 201, 201]);
    const refusal = answers[refused[0]!]!;
    expect(refusal.json()).toMatchObject({
      error: { code: 'BAD_INPUT', message: expect.stringContaining('Room 1') },
    });
    expect(refusal.body).not.toContain('2000');
    expect(answers[12]!.json().error.code).toBe('NOT_FOUND');
    expect(answers[9]!.json().code).toMatch(/^\d+$/);
    expect(answers[1]!.json().code).toBeUndefined();

    const verify = await s.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(s.tokens.viewer),
    });
    expect(verify.json()).toMatchObject({ ok: true, problems: [] });
    for (const id of lockIds) {
      const lock = (
        await s.app.inject({ method: 'GET', url: `/api/v1/locks/${id}`, headers: bearer(s.tokens.viewer) })
      ).json();
      const slots = lock.slots.filter((x: { credentialId: string | null }) => x.credentialId);
      const placed = bodies.filter(
        (b, i) => answers[i]!.statusCode === 201 && (b.lockIds as string[]).includes(id),
      );
      expect(slots).toHaveLength(placed.length);
      expect(new Set(slots.map((x: { slot: number }) => x.slot)).size).toBe(slots.length);
    }
  });
});
