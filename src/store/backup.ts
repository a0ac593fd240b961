import { KeywardError } from '../core/errors.js';
import { verifyAudit } from './audit.js';
import { change, type StoreContext } from './context.js';
import { sealLegacyUrlCredentials } from './lock-config.js';
import { type Database, KEYS, TABLES, type TableName } from './schema.js';

const FORMAT = 'keyward-backup';
const FORMAT_VERSION = 1;

/**
 * What the reconciler keeps beside the register and a restored register needs to carry on where
 * it stopped: intents of changes in flight (without them a frame sent just before the backup
 * could be sent again blind), suspended slots a person has to see, what was last read and
 * verified, manual guide sessions half done.
 *
 * And the host's week around it: the kept history of every use of a code, where notifications
 * go (webhook secrets stay sealed under the same key, like codes) with deliveries still owed,
 * and the booking calendars with the bookings they have turned into codes, so a restored
 * calendar recognises its bookings instead of making each guest a second code.
 *
 * Leases, sign-in links, browser sessions and sign-in attempt counts are not backed up: they
 * belong to the processes and the people signed in to the old database. Parents come before
 * the rows that name them, in restore order.
 */
const BESIDE_KEYS = {
  sync_ops: ['id'],
  sync_slots: ['lock_id', 'slot'],
  sync_locks: ['lock_id'],
  manual_sessions: ['id'],
  activity: ['id'],
  subscriptions: ['id'],
  outbox: ['id'],
  outbox_attempts: ['id'],
  calendars: ['id'],
  calendar_bookings: ['calendar_id', 'key'],
} as const satisfies Partial<Record<keyof Database, readonly string[]>>;
type BesideTableName = keyof typeof BESIDE_KEYS;
const BESIDE_TABLES = Object.keys(BESIDE_KEYS) as BesideTableName[];
const ALL_TABLES = [...TABLES, ...BESIDE_TABLES] as const;
type AnyTable = TableName | BesideTableName;
const ALL_KEYS: Record<AnyTable, readonly string[]> = { ...KEYS, ...BESIDE_KEYS };

type Dump = Partial<Record<AnyTable, Record<string, unknown>[]>>;

/** Every row of every table, in primary-key order, so two dumps of equal data are equal text. */
export async function dump(ctx: StoreContext): Promise<Dump> {
  const db = ctx.db;
  const out: Dump = {};
  for (const t of ALL_TABLES) {
    let q = db.selectFrom(t as keyof Database).selectAll();
    for (const k of ALL_KEYS[t]) q = q.orderBy(k as never);
    out[t] = (await q.execute()) as Record<string, unknown>[];
  }
  return out;
}

/**
 * The export is the dump sealed with a subkey of the secret key: codes stay encrypted inside,
 * and the whole file is unreadable and tamper-evident without the key.
 */
export async function backup(ctx: StoreContext): Promise<string> {
  const data = await dump(ctx);
  const header = { format: FORMAT, version: FORMAT_VERSION, createdAt: new Date(ctx.now()).toISOString() };
  return `${JSON.stringify({ ...header, sealed: ctx.sealer.sealBackup(JSON.stringify(data)) })}\n`;
}

function parse(text: string): { sealed: string } {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new KeywardError('BAD_INPUT', 'the backup file is not a Keyward backup (not JSON)');
  }
  const f = file as { format?: unknown; version?: unknown; sealed?: unknown };
  if (f.format !== FORMAT || typeof f.sealed !== 'string') {
    throw new KeywardError('BAD_INPUT', 'the backup file is not a Keyward backup');
  }
  if (f.version !== FORMAT_VERSION)
    throw new KeywardError('BAD_INPUT', `backup format version ${f.version} is not supported`);
  return { sealed: f.sealed };
}

/**
 * Into an empty register only, in one transaction: a restore never merges with or overwrites
 * live data, and a failed one leaves the target as it was. Audit rows are copied as written,
 * so the chain verifies in the new database.
 */
export async function restore(ctx: StoreContext, text: string): Promise<{ rows: number }> {
  const { sealed } = parse(text);
  const data = JSON.parse(ctx.sealer.openBackup(sealed)) as Dump;
  let rows = 0;
  // Table creation stays outside the restore's transaction: it is idempotent, and SQLite and
  // PostgreSQL differ on DDL inside one.
  await change(ctx, async (plain) => {
    const trx = plain;
    for (const t of ALL_TABLES) {
      if (t === 'meta') continue;
      const one = await trx
        .selectFrom(t as keyof Database)
        .selectAll()
        .limit(1)
        .executeTakeFirst();
      if (one)
        throw new KeywardError(
          'BAD_INPUT',
          `the target register is not empty (table ${t} has rows): restore needs an empty database`,
        );
    }
    // A backup written before a table was included has none of its rows: nothing to insert.
    for (const t of ALL_TABLES) {
      const list = data[t] ?? [];
      if (t === 'meta') {
        // The target's own key check is equal in meaning; the backup's audit head must win.
        for (const row of list) {
          await trx
            .deleteFrom('meta')
            .where('key', '=', row.key as string)
            .execute();
        }
      }
      for (let i = 0; i < list.length; i += 200) {
        await trx
          .insertInto(t)
          .values(list.slice(i, i + 200) as never)
          .execute();
      }
      rows += list.length;
    }
  });
  // A backup from before server passwords were sealed brings them in the clear: seal them now.
  await sealLegacyUrlCredentials(ctx);
  const audit = await verifyAudit(ctx.db, ctx.sealer);
  if (!audit.ok)
    throw new KeywardError(
      'STORE_FAILED',
      `the restored audit log does not verify: ${audit.problems[0]!.message}`,
    );
  return { rows };
}
