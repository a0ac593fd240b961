import { KeywardError } from '../core/errors.js';
import { verifyAudit } from './audit.js';
import { change, type StoreContext } from './context.js';
import { KEYS, TABLES, type TableName } from './schema.js';

const FORMAT = 'keyward-backup';
const FORMAT_VERSION = 1;

type Dump = Record<TableName, Record<string, unknown>[]>;

/** Every row of every table, in primary-key order, so two dumps of equal data are equal text. */
export async function dump(ctx: StoreContext): Promise<Dump> {
  const out = {} as Dump;
  for (const t of TABLES) {
    let q = ctx.db.selectFrom(t).selectAll();
    for (const k of KEYS[t]) q = q.orderBy(k as never);
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
  await change(ctx, async (trx) => {
    for (const t of TABLES) {
      if (t === 'meta') continue;
      const one = await trx.selectFrom(t).selectAll().limit(1).executeTakeFirst();
      if (one)
        throw new KeywardError(
          'BAD_INPUT',
          `the target register is not empty (table ${t} has rows): restore needs an empty database`,
        );
    }
    for (const t of TABLES) {
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
  const audit = await verifyAudit(ctx.db, ctx.sealer);
  if (!audit.ok)
    throw new KeywardError(
      'STORE_FAILED',
      `the restored audit log does not verify: ${audit.problems[0]!.message}`,
    );
  return { rows };
}
