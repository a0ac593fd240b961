import { CompiledQuery } from 'kysely';
import type { AccessCodeError, SlotStatus } from '../core/access/lifecycle.js';
import { DEFAULT_HORIZON_MS } from '../core/access/policies.js';
import { recordUse, setAssignmentStatus } from './assignments.js';
import { AUDIT_HEAD_KEY, sealLegacyHead, startAudit, verifyAudit } from './audit.js';
import { connect, type Dialect } from './connect.js';
import type { StoreContext } from './context.js';
import { type CredentialEdit, editCredential } from './credential-edit.js';
import * as credentialOps from './credentials.js';
import { locate, type StoreLocation } from './data-dir.js';
import { openFailure } from './driver.js';
import { sealLegacyUrlCredentials, URL_SECRETS_KEY } from './lock-config.js';
import { lockStatus } from './lock-status.js';
import { lockView } from './lock-view.js';
import { migrate } from './migrations.js';
import * as registerOps from './register.js';
import { KEY_CHECK, Sealer, verifyKeyCheck } from './secrets.js';
import { setSiteCheckTimes } from './site-settings.js';
import * as statusOps from './status.js';
import * as tokenOps from './tokens.js';

export interface StoreOptions extends StoreLocation {
  now?: () => number;
  actor?: string;
}

/**
 * Seals the key check on a new database, with the head of its empty audit log, then opens it
 * (secrets.ts, KEY_CHECK).
 */
async function checkKey(ctx: StoreContext): Promise<void> {
  // The audit head comes in the same read: a head an earlier version wrote is sealed here, once.
  const rows = await ctx.db
    .selectFrom('meta')
    .select(['key', 'value'])
    .where('key', 'in', [KEY_CHECK.metaKey, AUDIT_HEAD_KEY, URL_SECRETS_KEY])
    .execute();
  const found = rows.find((r) => r.key === KEY_CHECK.metaKey);
  if (!found) {
    await ctx.db
      .insertInto('meta')
      .values({ key: KEY_CHECK.metaKey, value: ctx.sealer.seal(KEY_CHECK.text, KEY_CHECK.aad) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await startAudit(ctx.db, ctx.sealer);
    return checkKey(ctx);
  }
  verifyKeyCheck(ctx.sealer, found.value);
  const head = rows.find((r) => r.key === AUDIT_HEAD_KEY);
  if (head) await sealLegacyHead(ctx.db, ctx.sealer, head.value);
  // Server passwords an earlier version kept in the clear are sealed once (lock-config.ts).
  if (!rows.some((r) => r.key === URL_SECRETS_KEY)) await sealLegacyUrlCredentials(ctx);
}

export class Store {
  readonly ctx: StoreContext;
  readonly location: string;

  constructor(ctx: StoreContext, location: string) {
    this.ctx = ctx;
    this.location = location;
  }

  get dialect(): Dialect {
    return this.ctx.dialect;
  }

  close(): Promise<void> {
    return this.ctx.db.destroy();
  }

  addSite = (input: Parameters<typeof registerOps.addSite>[1]) => registerOps.addSite(this.ctx, input);
  listSites = () => registerOps.listSites(this.ctx);
  getSite = (id: string) => registerOps.getSite(this.ctx, id);
  removeSite = (id: string, expectedVersion?: number) =>
    registerOps.removeSite(this.ctx, id, expectedVersion);

  setSiteCheckTimes = (
    id: string,
    input: { checkInTime?: string; checkOutTime?: string },
    expectedVersion?: number,
  ) => setSiteCheckTimes(this.ctx, id, input, expectedVersion);

  addLock = (input: Parameters<typeof registerOps.addLock>[1]) => registerOps.addLock(this.ctx, input);
  listLocks = (siteId?: string) => registerOps.listLocks(this.ctx, siteId);
  getLock = (id: string) => registerOps.getLock(this.ctx, id);
  lockView = (id: string, at?: number) => lockView(this.ctx, id, at);
  removeLock = (id: string, expectedVersion?: number) =>
    registerOps.removeLock(this.ctx, id, expectedVersion);
  renameLock = (id: string, name: string, expectedVersion?: number) =>
    registerOps.renameLock(this.ctx, id, name, expectedVersion);
  recordBattery = (lockId: string, volts: number) => registerOps.recordBattery(this.ctx, lockId, volts);
  recordMaintenance = (lockId: string) => registerOps.recordMaintenance(this.ctx, lockId);

  addPerson = (input: Parameters<typeof registerOps.addPerson>[1]) => registerOps.addPerson(this.ctx, input);
  listPeople = (siteId?: string) => registerOps.listPeople(this.ctx, siteId);
  getPerson = (id: string) => registerOps.getPerson(this.ctx, id);
  renamePerson = (id: string, name: string, expectedVersion: number) =>
    registerOps.renamePerson(this.ctx, id, name, expectedVersion);
  removePerson = (id: string, expectedVersion?: number) =>
    registerOps.removePerson(this.ctx, id, expectedVersion);

  addCredential = (input: credentialOps.CredentialInput) => credentialOps.addCredential(this.ctx, input);
  getCredential = (id: string, opts?: { reveal?: boolean }) =>
    credentialOps.getCredential(this.ctx, id, opts);
  listCredentials = (filter?: Parameters<typeof credentialOps.listCredentials>[1]) =>
    credentialOps.listCredentials(this.ctx, filter);
  revokeCredential = (id: string, expectedVersion?: number) =>
    credentialOps.revokeCredential(this.ctx, id, expectedVersion);
  rotateCredential = (id: string, code: string, expectedVersion?: number) =>
    credentialOps.rotateCredential(this.ctx, id, code, expectedVersion);
  updateCredential = (
    id: string,
    expectedVersion: number,
    patch: Parameters<typeof credentialOps.updateCredential>[3],
  ) => credentialOps.updateCredential(this.ctx, id, expectedVersion, patch);

  editCredential = (id: string, edit: CredentialEdit, expectedVersion?: number) =>
    editCredential(this.ctx, id, edit, expectedVersion);

  setAssignmentStatus = (
    credentialId: string,
    lockId: string,
    status: SlotStatus,
    error?: AccessCodeError | null,
  ) => setAssignmentStatus(this.ctx, credentialId, lockId, status, error ?? null);

  recordUse = (credentialId: string, lockId: string) => recordUse(this.ctx, credentialId, lockId);

  status = (at?: number, horizonMs?: number) =>
    statusOps.status(
      async (text, params) =>
        (await this.ctx.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...params]))).rows,
      this.ctx.dialect,
      at ?? this.ctx.now(),
      horizonMs,
    );
  lockStatus = (at?: number, horizonMs?: number) =>
    lockStatus(
      async (text, params) =>
        (await this.ctx.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...params]))).rows,
      this.ctx.dialect,
      at ?? this.ctx.now(),
      horizonMs ?? DEFAULT_HORIZON_MS,
    );
  verifyAudit = () => verifyAudit(this.ctx.db, this.ctx.sealer);
  // Loaded on use: backup brings the sync tables' module, which no everyday command needs.
  backup = async () => (await import('./backup.js')).backup(this.ctx);
  restore = async (text: string) => (await import('./backup.js')).restore(this.ctx, text);
  dump = async () => (await import('./backup.js')).dump(this.ctx);

  createApiToken = (input: { name: string; role: tokenOps.Role }) => tokenOps.createApiToken(this.ctx, input);
  findApiToken = (token: string) => tokenOps.findApiToken(this.ctx, token);
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const { url, key } = locate(opts);
  const conn = await connect(url);
  const ctx: StoreContext = {
    db: conn.db,
    dialect: conn.dialect,
    sealer: new Sealer(key),
    now: opts.now ?? Date.now,
    actor: opts.actor ?? 'cli',
  };
  try {
    await migrate(conn.db);
    await checkKey(ctx);
  } catch (e) {
    await conn.db.destroy().catch(() => {});
    throw openFailure(conn.location, e);
  }
  return new Store(ctx, conn.location);
}
