import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, Harness } from './dialects.js';

const h = new Harness();
afterAll(() => h.cleanup());

const NOW = Date.UTC(2026, 11, 4, 12);
const HOUR = 3_600_000;

describe.each(DIALECTS)('the lock states keyward status reads in one statement (%s)', (dialect) => {
  it("agrees with the API: a stay starting later is scheduled and comes up on the site's clock, a refusal is a problem", async () => {
    const store = await h.fresh(dialect, { now: () => NOW });
    const site = await store.addSite({ name: 'Lakeside', tzOffsetMinutes: 60 });
    const front = await store.addLock({ siteId: site.id, name: 'Front door', model: '264', driver: 'sim' });
    const shed = await store.addLock({ siteId: site.id, name: 'Shed', model: '264', driver: 'sim' });
    const ana = await store.addCredential({ name: 'Ana', code: '482913', lockIds: [front.id, shed.id] });
    await store.addCredential({
      name: 'Smith family',
      kind: 'guest',
      code: '91735',
      lockIds: [front.id],
      startsAt: NOW + 50 * HOUR,
      endsAt: NOW + 100 * HOUR,
    });
    await store.ctx.db
      .updateTable('credential_locks')
      .set({ status: 'set' })
      .where('credential_id', '=', ana.id)
      .execute();
    await store.ctx.db
      .updateTable('credential_locks')
      .set({ status: 'unset', error: 'prefix_reserved' })
      .where('credential_id', '=', ana.id)
      .where('lock_id', '=', shed.id)
      .execute();
    const lines = await store.lockStatus(NOW, 7 * 24 * HOUR);
    expect(lines.map((l) => [l.name, l.state])).toEqual([
      ['Front door', 'in-step'],
      ['Shed', 'problem'],
    ]);
    const [f, s] = lines;
    expect(f!.upcoming.map((u) => [u.kind, u.at, u.local])).toEqual([
      ['arrival', NOW + 50 * HOUR, 'Sun 2026-12-06 15:00'],
      ['departure', NOW + 100 * HOUR, 'Tue 2026-12-08 17:00'],
    ]);
    expect(s!.problem).toEqual({
      code: 'code-refused',
      message:
        "Slot 1 cannot set Ana's code: the lock remembers a deleted code starting with the same digits",
    });
  });
});
