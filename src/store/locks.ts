import { findModel, MODELS } from '../core/catalog/index.js';
import { isDigits } from '../core/codes/keypad.js';
import { KeywardError } from '../core/errors.js';
import { refreshCleared } from './assignments.js';
import {
  type AuditFn,
  aad,
  bumpVersion,
  change,
  newId,
  notFound,
  requireName,
  type StoreContext,
  type Trx,
} from './context.js';
import { DRIVERS, type DriverKind } from './kinds.js';
import { checkDriverConfig, sealDriverConfig, shownDriverConfig } from './lock-config.js';
import type { LockTable } from './schema.js';

/** How Keyward reaches a lock (declared in kinds.ts, which API schemas can load without I/O). */
export { DRIVERS, type DriverKind };

/** A lock in the register: its model, how Keyward reaches it, its battery and upkeep. */
export interface Lock {
  id: string;
  siteId: string;
  name: string;
  model: string;
  driver: DriverKind;
  /** Without a server address's credentials: only the lock's driver gets those (driverSettings). */
  driverConfig: Record<string, unknown>;
  hasProgrammingCode: boolean;
  voltsPerCell: number | null;
  batteryAt: number | null;
  maintainedAt: number;
  version: number;
  createdAt: number;
}

type LockRow = LockTable;

export const lockOf = (r: LockRow): Lock => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  model: r.model,
  driver: r.driver as DriverKind,
  driverConfig: shownDriverConfig(r.driver_config),
  hasProgrammingCode: r.programming_code_enc !== null,
  voltsPerCell: r.volts_per_cell,
  batteryAt: r.battery_at,
  maintainedAt: r.maintained_at,
  version: r.version,
  createdAt: r.created_at,
});

export interface LockInput {
  siteId: string;
  name: string;
  model: string;
  driver?: string;
  driverConfig?: Record<string, unknown>;
  programmingCode?: string | null;
}

export async function addLock(ctx: StoreContext, input: LockInput): Promise<Lock> {
  return change(ctx, (trx, audit) => insertLock(ctx, trx, audit, input));
}

/** Inside the caller's transaction (adding Z-Wave locks with their codes is one change). */
export async function insertLock(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  input: LockInput,
): Promise<Lock> {
  const name = requireName(input.name, 'a lock');
  const model = findModel(input.model);
  if (!model) {
    throw new KeywardError(
      'UNKNOWN_MODEL',
      `unknown model "${input.model}" (known: ${MODELS.map((m) => m.id).join(', ')})`,
    );
  }
  const driver = (input.driver ?? 'manual') as DriverKind;
  if (!DRIVERS.includes(driver))
    throw new KeywardError('BAD_INPUT', `driver must be one of ${DRIVERS.join(', ')}`);
  checkDriverConfig(input.driverConfig ?? {});
  const pc = input.programmingCode ?? null;
  if (pc !== null) {
    if (!model.programmingCode)
      throw new KeywardError('BAD_INPUT', `model ${model.id} has no programming code`);
    const { min, max } = model.programmingCode.length;
    if (!isDigits(pc) || pc.length < min || pc.length > max) {
      throw new KeywardError('BAD_INPUT', `the programming code of a ${model.id} is ${min}-${max} digits`);
    }
  }
  const site = await trx.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
  if (!site) throw notFound('site', input.siteId);
  const id = newId('lock');
  const now = ctx.now();
  const row: LockRow = {
    id,
    site_id: input.siteId,
    name,
    model: model.id,
    driver,
    driver_config: sealDriverConfig(ctx.sealer, id, input.driverConfig ?? {}),
    programming_code_enc: pc === null ? null : ctx.sealer.seal(pc, aad.programming(id)),
    volts_per_cell: null,
    battery_at: null,
    maintained_at: now,
    version: 1,
    created_at: now,
  };
  await trx.insertInto('locks').values(row).execute();
  await audit({
    action: 'lock.add',
    subjectType: 'lock',
    subjectId: id,
    detail: { name, model: model.id, driver },
  });
  return lockOf(row);
}

export async function listLocks(ctx: StoreContext, siteId?: string): Promise<Lock[]> {
  let q = ctx.db.selectFrom('locks').selectAll();
  if (siteId) q = q.where('site_id', '=', siteId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(lockOf);
}

export async function getLock(ctx: StoreContext, id: string): Promise<Lock> {
  const r = await ctx.db.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('lock', id);
  return lockOf(r);
}

/** A new name; the codes, slots and driver stay as they are. */
export async function renameLock(
  ctx: StoreContext,
  id: string,
  name: string,
  expectedVersion?: number,
): Promise<Lock> {
  const n = requireName(name, 'a lock');
  return change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', id).executeTakeFirst();
    if (!lock) throw notFound('lock', id);
    await bumpVersion(trx, 'locks', id, expectedVersion ?? lock.version);
    await trx.updateTable('locks').set({ name: n }).where('id', '=', id).execute();
    await audit({ action: 'lock.rename', subjectType: 'lock', subjectId: id, detail: { name: n } });
    return lockOf(await trx.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}

/** The credentials stay in the register; only this lock's share of them goes. */
export async function removeLock(ctx: StoreContext, id: string, expectedVersion?: number): Promise<void> {
  await change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', id).executeTakeFirst();
    if (!lock) throw notFound('lock', id);
    await bumpVersion(trx, 'locks', id, expectedVersion ?? lock.version);
    const holders = await trx
      .selectFrom('credential_locks')
      .select('credential_id')
      .where('lock_id', '=', id)
      .execute();
    for (const t of ['credential_locks', 'lock_slots', 'deleted_codes', 'battery_readings'] as const) {
      await trx.deleteFrom(t).where('lock_id', '=', id).execute();
    }
    await trx.deleteFrom('locks').where('id', '=', id).execute();
    await refreshCleared(
      trx,
      holders.map((h) => h.credential_id),
      ctx.now(),
    );
    await audit({ action: 'lock.remove', subjectType: 'lock', subjectId: id });
  });
}

export async function recordBattery(ctx: StoreContext, lockId: string, voltsPerCell: number): Promise<Lock> {
  if (!Number.isFinite(voltsPerCell) || voltsPerCell < 0 || voltsPerCell > 2) {
    throw new KeywardError('BAD_INPUT', 'battery volts per AA cell must be between 0 and 2');
  }
  return change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', lockId).executeTakeFirst();
    if (!lock) throw notFound('lock', lockId);
    await bumpVersion(trx, 'locks', lockId, lock.version);
    const at = ctx.now();
    await trx
      .insertInto('battery_readings')
      .values({ id: newId('bat'), lock_id: lockId, volts_per_cell: voltsPerCell, at })
      .execute();
    await trx
      .updateTable('locks')
      .set({ volts_per_cell: voltsPerCell, battery_at: at })
      .where('id', '=', lockId)
      .execute();
    await audit({ action: 'lock.battery', subjectType: 'lock', subjectId: lockId, detail: { voltsPerCell } });
    return lockOf(
      await trx.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow(),
    );
  });
}

export async function recordMaintenance(ctx: StoreContext, lockId: string): Promise<Lock> {
  return change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', lockId).executeTakeFirst();
    if (!lock) throw notFound('lock', lockId);
    await bumpVersion(trx, 'locks', lockId, lock.version);
    await trx.updateTable('locks').set({ maintained_at: ctx.now() }).where('id', '=', lockId).execute();
    await audit({ action: 'lock.maintained', subjectType: 'lock', subjectId: lockId });
    return lockOf(
      await trx.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow(),
    );
  });
}
