import {
  DEFAULT_HORIZON_MS,
  type DueCredential,
  type DueItem,
  dueCutoffs,
  dueItems,
  type RotationPolicy,
} from '../core/access/policies.js';
import { getModel, MODELS } from '../core/catalog/index.js';
import { type Dialect, placeholder } from './driver.js';
import type { CredentialTable, LockTable } from './schema.js';

export interface Status {
  at: number;
  horizonMs: number;
  items: DueItem[];
  counts: Record<DueItem['kind'], number> & { overdue: number };
}

/** Runs one read statement; the store passes Kysely, the reader (reader.ts) the bare driver. */
export type RunQuery = (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const CREDENTIAL_COLUMNS = [
  'id',
  'name',
  'kind',
  'ends_at',
  'code_set_at',
  'rotation',
  'revoked_at',
] as const;
const LOCK_COLUMNS = ['id', 'name', 'model', 'volts_per_cell', 'maintained_at'] as const;

/** A row as the JSON array of its columns, in the order of the lists above. */
type RowOf<Table, Columns extends readonly (keyof Table)[]> = {
  -readonly [K in keyof Columns]: Table[Columns[K] & keyof Table];
};
type CredentialRow = RowOf<CredentialTable, typeof CREDENTIAL_COLUMNS>;
type LockRow = RowOf<LockTable, typeof LOCK_COLUMNS>;

/**
 * What is due: the database narrows credentials and locks to those that can matter within the
 * horizon (dueCutoffs; credentials from covering indexes), and the pure policy decides.
 *
 * Plain SQL in one statement answering three JSON arrays of row arrays. Plain, because `keyward
 * status` runs in a fresh process that would otherwise spend more on loading Kysely than on its
 * query; JSON, because pg parses rows in JavaScript, and for a fresh process a few thousand rows
 * cost more CPU than the query (61 -> 24 ms of client CPU on 100,000 credentials; SQLite is as
 * fast either way); arrays rather than objects, because repeating every column name per row
 * made the answer twice as long and the query 5 ms slower.
 */
export async function status(
  run: RunQuery,
  dialect: Dialect,
  at: number,
  horizonMs = DEFAULT_HORIZON_MS,
): Promise<Status> {
  const cut = dueCutoffs(at, horizonMs, MODELS);
  const p = (n: number) => placeholder(dialect, n);
  const jsonArray = (columns: readonly string[], from: string) => {
    const row = columns.map((c) => `x.${c}`).join(', ');
    return dialect === 'postgres'
      ? `(select coalesce(json_agg(json_build_array(${row})), '[]') from (${from}) x)`
      : `(select coalesce(json_group_array(json_array(${row})), '[]') from (${from}) x)`;
  };
  const credentials = `select ${CREDENTIAL_COLUMNS.map((c) => `c.${c}`).join(', ')}`;
  const text = `select
    ${jsonArray(
      [...CREDENTIAL_COLUMNS, 'held_by'],
      // Whether some lock may still hold the code: cleared_at narrows the candidates, but a
      // writer that changes a slot status without refreshing it must not hide a guest code still
      // on a door, so the assignments have the last word. A scalar subquery, looked up per row in
      // the partial index of open assignments (credential_locks_open) without visiting the table:
      // PostgreSQL turned EXISTS into a hash of every assignment in the register (80 ms on
      // 100,000 credentials instead of 3). 'guest' and 'removed' are literals, not parameters:
      // SQLite uses a partial index only when it can see the value.
      `${credentials}, (select cl.credential_id from credential_locks cl
          where cl.credential_id = c.id and cl.status <> 'removed' limit 1) as held_by
        from credentials c
        where c.kind = 'guest' and c.cleared_at is null and c.ends_at <= ${p(1)}`,
    )} as guests,
    ${jsonArray(
      CREDENTIAL_COLUMNS,
      `${credentials} from credentials c where c.rotate_due_at <= ${p(2)} and c.revoked_at is null`,
    )} as rotations,
    ${jsonArray(
      LOCK_COLUMNS,
      `select ${LOCK_COLUMNS.join(', ')} from locks where maintained_at <= ${p(3)} or volts_per_cell < ${p(4)}`,
    )} as locks`;
  const [row] = await run(text, [
    cut.endsAtOrBefore,
    cut.rotationDueAtOrBefore,
    cut.maintainedAtOrBefore,
    cut.batteryBelow,
  ]);
  const credentialsDue: DueCredential[] = [
    ...fromJson<[...CredentialRow, string | null]>(row!.guests).map((r) =>
      dueCredential(r, r[CREDENTIAL_COLUMNS.length] !== null),
    ),
    ...fromJson<CredentialRow>(row!.rotations).map((r) => dueCredential(r, true)),
  ];
  const locks = fromJson<LockRow>(row!.locks).map(([id, name, model, voltsPerCell, maintainedAt]) => ({
    id,
    name,
    model: getModel(model),
    voltsPerCell,
    maintainedAt,
  }));
  const items = dueItems({ credentials: credentialsDue, locks }, at, horizonMs);
  const counts = { 'guest-departure': 0, rotation: 0, battery: 0, maintenance: 0, overdue: 0 };
  for (const i of items) {
    counts[i.kind]++;
    if (i.overdue) counts.overdue++;
  }
  return { at, horizonMs, items, counts };
}

function dueCredential(
  [id, name, kind, endsAt, codeSetAt, rotation, revokedAt]: CredentialRow | [...CredentialRow, string | null],
  onLocks: boolean,
): DueCredential {
  return {
    id,
    name,
    kind: kind as 'guest' | 'permanent',
    endsAt,
    codeSetAt,
    rotation: rotation as RotationPolicy,
    revokedAt,
    onLocks,
  };
}

/** PostgreSQL's driver parses json columns itself; SQLite hands back the text. */
function fromJson<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}
