import { sql } from 'kysely';
import { aad } from '../src/store/context.js';
import type { DiscoveredLock } from '../src/sync/zwave/discovery.js';
import { ZWaveHub } from '../src/sync/zwave/hub.js';
import { type FuzzRequest, fuzzRequest, type Operation, operationsOf } from './fuzz-requests.js';
import { type Rng, rng } from './fuzz-values.js';
import type { DialectName } from './store/dialects.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

/**
 * The fuzz suite's driver (issue 14 §5): every route of the OpenAPI document, called with
 * admin, manager and viewer tokens (and none, and a wrong one), each field mutated; in-process
 * through fastify's inject. It records every 5xx, every hang, every viewer answer that carries
 * a seeded code's digits and every error answer that is not the JSON error shape; afterwards
 * the database must pass its integrity check, the audit chain verify and every secret decrypt.
 */

export interface FuzzOptions {
  dialect: DialectName;
  requests: number;
  seed: number;
  /** A request that takes longer is a hang. */
  timeoutMs?: number;
}

export interface FuzzReport {
  dialect: DialectName;
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  /** 2xx answers per operation: the fuzz must get through to the handlers, not only bounce off. */
  succeeded: Record<string, number>;
  operations: number;
  failures: string[];
  after: { integrity: string; auditOk: boolean; auditRows: number; decrypted: number };
  ms: number;
}

/** Z-Wave discovery answers "no locks" instead of opening the network a fuzzed value names. */
class OfflineHub extends ZWaveHub {
  override async discover(): Promise<DiscoveredLock[]> {
    return [];
  }
}

/**
 * Codes whose digits no viewer may ever see. First four digits differ on every keypad (5-button
 * folds included) so they can all live on the same locks.
 */
export const SECRETS = ['40721859', '63918274', '85206317', '29640583', '07385296'];
export const PROGRAMMING = '71604938';

export async function seed(s: TestServer): Promise<Map<string, string[]>> {
  const st = s.store;
  const site = await st.addSite({ name: 'Fuzz cabins' });
  const locks = [];
  locks.push(
    await st.addLock({ siteId: site.id, name: 'Front', model: '264', programmingCode: PROGRAMMING }),
  );
  for (const model of ['910', '916', '275']) {
    locks.push(await st.addLock({ siteId: site.id, name: `Door ${model}`, model, driver: 'sim' }));
  }
  const person = await st.addPerson({ name: 'Ann Guest', siteId: site.id });
  const creds = [];
  for (const [i, code] of SECRETS.entries()) {
    creds.push(
      await st.addCredential({
        name: `Seeded ${i}`,
        code,
        lockIds: locks.map((l) => l.id),
        personId: i % 2 ? person.id : null,
      }),
    );
  }
  await st.revokeCredential(creds[4]!.id);
  const ids = new Map<string, string[]>();
  const add = (kind: string, id: string) => ids.set(kind, [...(ids.get(kind) ?? []), id]);
  // Tokens the fuzz may revoke; its own three are never in the pool.
  for (const role of ['viewer', 'manager', 'admin'] as const)
    add('token', (await st.createApiToken({ name: `spare ${role}`, role })).id);
  add('site', site.id);
  for (const l of locks) add('lock', l.id);
  add('person', person.id);
  for (const c of creds) add('credential', c.id);
  return ids;
}

/** Ids found in a success answer join the pool, so later requests reach records made by earlier ones. */
function harvest(
  value: unknown,
  pool: Map<string, string[]>,
  prefixes: Map<string, string>,
  own: Set<string>,
  depth = 0,
): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && (k === 'id' || k.endsWith('Id')) && /^[a-z]+_[A-Za-z0-9_-]+$/.test(v)) {
      const kind = prefixes.get(v.split('_')[0]!);
      const list = kind ? pool.get(kind) : undefined;
      if (list && !own.has(v) && !list.includes(v) && list.length < 200) list.push(v);
    } else harvest(v, pool, prefixes, own, depth + 1);
  }
}

/** Where a viewer answer shows a secret: as a string containing its digits, or as its number. */
export function leak(value: unknown, secrets: readonly string[], depth = 0): string | null {
  if (typeof value === 'string') {
    // A 64-hex audit hash is random digits and letters, never a code.
    if (/^[0-9a-f]{64}$/.test(value)) return null;
    return secrets.find((c) => value.includes(c)) ?? null;
  }
  if (typeof value === 'number') return secrets.find((c) => Number(c) === value) ?? null;
  if (depth > 50 || value === null || typeof value !== 'object') return null;
  for (const v of Object.values(value)) {
    const found = leak(v, secrets, depth + 1);
    if (found) return found;
  }
  return null;
}

const DB_MESSAGE =
  /SQLITE_|sqlite3|better-sqlite|syntax error at or near|violates .*constraint|relation "|\bat .*\.(js|ts):\d+/i;

async function send(s: TestServer, req: FuzzRequest, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  const headers: Record<string, string> = { ...req.headers };
  if (req.role === 'admin' || req.role === 'manager' || req.role === 'viewer')
    Object.assign(headers, bearer(s.tokens[req.role]));
  else if (req.role === 'wrong') headers.authorization = 'Bearer kw_wrong-token';
  try {
    return await Promise.race([
      s.app.inject({
        method: req.method as 'GET',
        url: req.url,
        headers,
        ...(req.payload !== undefined ? { payload: req.payload } : {}),
        // Wrong tokens come from an address of their own, so throttling them does not refuse the rest.
        remoteAddress: req.role === 'wrong' ? '10.9.9.9' : '127.0.0.1',
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const s = await testServer(opts.dialect, { zwave: new OfflineHub() });
  const failures: string[] = [];
  const byStatus: Record<string, number> = {};
  const succeeded: Record<string, number> = {};
  try {
    const pool = await seed(s);
    const prefixes = new Map([...pool].map(([kind, ids]) => [ids[0]!.split('_')[0]!, kind]));
    const own = new Set<string>();
    for (const token of Object.values(s.tokens)) own.add((await s.store.findApiToken(token))!.id);
    const doc = (await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const ops: Operation[] = operationsOf(doc);
    const r: Rng = rng(opts.seed);
    const secrets = [...SECRETS, PROGRAMMING];
    for (let i = 0; i < opts.requests; i++) {
      const op = r.pick(ops);
      const req = fuzzRequest(r, op, pool, secrets);
      const res = await send(s, req, timeoutMs);
      const where = `#${i} ${req.role} ${req.method} ${req.url.slice(0, 200)}`;
      if (res === 'hang') {
        failures.push(`${where}: no answer within ${timeoutMs} ms`);
        byStatus.hang = (byStatus.hang ?? 0) + 1;
        continue;
      }
      byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
      let body: unknown = null;
      try {
        body = res.body ? JSON.parse(res.body) : null;
      } catch {
        body = res.body;
      }
      if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      else if (res.statusCode >= 400) {
        const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
        if (typeof e?.code !== 'string' || typeof e.message !== 'string')
          failures.push(
            `${where}: ${res.statusCode} without the JSON error shape: ${res.body.slice(0, 200)}`,
          );
        else if (DB_MESSAGE.test(e.message))
          failures.push(`${where}: a raw fault in the answer: ${e.message}`);
      } else {
        harvest(body, pool, prefixes, own);
        const key = `${req.method} ${ops.find((o) => o === op)!.path}`;
        succeeded[key] = (succeeded[key] ?? 0) + 1;
      }
      if (req.role === 'viewer') {
        const found = leak(body, secrets);
        if (found) failures.push(`${where}: a viewer answer carries the digits of a code`);
      }
      if (failures.length > 50) break;
    }
    const after = await afterwards(s, failures);
    return {
      dialect: opts.dialect,
      seed: opts.seed,
      requests: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      succeeded,
      operations: ops.length,
      failures,
      after,
      ms: Date.now() - started,
    };
  } finally {
    await s.close();
  }
}

/** The database as the fuzz left it: intact, its audit chain whole, every secret readable. */
async function afterwards(s: TestServer, failures: string[]): Promise<FuzzReport['after']> {
  const { db, sealer } = s.store.ctx;
  let integrity = 'register reads back';
  if (s.store.dialect === 'sqlite') {
    const rows = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows;
    integrity = rows.map((row) => row.integrity_check).join('; ');
    if (integrity !== 'ok') failures.push(`integrity check: ${integrity}`);
  }
  await s.store.listLocks();
  await s.store.listPeople();
  await s.store.listCredentials({ includeRevoked: true });
  const audit = await s.store.verifyAudit();
  if (!audit.ok) failures.push(`audit chain: ${audit.problems.map((p) => p.message).join('; ')}`);
  let decrypted = 0;
  const open = (sealed: string | null, aad: string, what: string) => {
    if (sealed === null) return;
    try {
      if (!/^[0-9]+$/.test(sealer.open(sealed, aad)))
        failures.push(`${what}: decrypts to something not a code`);
      decrypted++;
    } catch (e) {
      failures.push(`${what} does not decrypt: ${(e as Error).message}`);
    }
  };
  for (const c of await db.selectFrom('credentials').select(['id', 'code_enc']).execute())
    open(c.code_enc, aad.credential(c.id), `credential ${c.id}`);
  for (const l of await db.selectFrom('locks').select(['id', 'programming_code_enc']).execute())
    open(l.programming_code_enc, aad.programming(l.id), `programming code of ${l.id}`);
  for (const d of await db.selectFrom('deleted_codes').select(['id', 'code_enc']).execute())
    open(d.code_enc, aad.deleted(d.id), `deleted code ${d.id}`);
  for (const x of await db.selectFrom('lock_slots').select(['lock_id', 'slot', 'code_enc']).execute())
    open(x.code_enc, aad.slot(x.lock_id, x.slot), `slot ${x.slot} of ${x.lock_id}`);
  return { integrity, auditOk: audit.ok, auditRows: audit.rows, decrypted };
}
