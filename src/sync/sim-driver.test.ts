import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from './clock.js';
import { SimLock } from './sim-driver.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a simulated lock kept in a file', () => {
  it('keeps its memory, codes included, in a file only its owner can read, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-sim-'));
    dirs.push(dir);
    const file = join(dir, 'lock.json');
    const clock = new SimClock(Date.UTC(2026, 10, 27));
    const first = new SimLock({ model: '914', clock, file });
    const wrote = first.setSlot(1, '583920');
    await clock.advance(60_000);
    expect(await wrote).toMatchObject({ ok: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = new SimLock({ model: '914', clock, file });
    const read = again.read();
    await clock.advance(60_000);
    expect((await read).slots).toEqual({ '1': '583920' });
  });
});
