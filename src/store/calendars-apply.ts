import { isKeywardError } from '../core/errors.js';
import { revokeAssignments } from './assignments.js';
import { insertRows } from './bulk.js';
import { type AuditFn, change, notFound, type StoreContext, type Trx } from './context.js';
import { type Creation, insertCredentials } from './credential-add.js';
import { editCredentialIn } from './credential-edit.js';
import type { CalendarBookingTable } from './schema.js';

/**
 * What one refresh of a calendar writes, in one transaction: the credentials made for new
 * bookings, the moved dates of changed ones, the revocations of cancelled ones, every booking
 * row, and the calendar's fetch state. The decisions are src/calendar/match.ts's; this applies
 * them. A fetch that failed writes only the failure (recordFetchFailure): the bookings and their
 * codes stay as the last good fetch left them.
 */

export interface StoredBookingRow {
  key: string;
  uid: string;
  summary: string;
  name: string;
  startDate: string;
  endDate: string;
  startsAt: number;
  endsAt: number;
  credentialId: string | null;
  status: 'active' | 'cancelled' | 'ended' | 'failed';
  misses: number;
}

/** What the store needs of a fetched booking. */
export interface IncomingRow {
  key: string;
  uid: string;
  summary: string;
  name: string;
  startDate: string;
  endDate: string;
  startsAt: number;
  endsAt: number;
  phoneLast4: string | null;
  cancelled: boolean;
}

export type ApplyAction =
  | { type: 'add'; booking: IncomingRow; replaces: StoredBookingRow | null }
  | { type: 'change'; stored: StoredBookingRow; booking: IncomingRow }
  | { type: 'cancel'; stored: StoredBookingRow; why: 'cancelled' | 'missing'; booking: IncomingRow | null }
  | { type: 'keep'; stored: StoredBookingRow; booking: IncomingRow }
  | { type: 'miss'; stored: StoredBookingRow; misses: number }
  | { type: 'end'; stored: StoredBookingRow };

export interface RefreshCounts {
  added: number;
  changed: number;
  cancelled: number;
  unchanged: number;
}

/** Draws a code for a booking: attempt 0 may be the guest's phone digits, later ones are random. */
export type DrawCode = (booking: IncomingRow, attempt: number) => string;

/** Redraws of a code the locks refused (a prefix taken, say) before the booking is given up. */
const ATTEMPTS = 8;

type Row = Omit<CalendarBookingTable, 'calendar_id' | 'updated_at'>;

const rowOf = (b: IncomingRow, extra: Pick<Row, 'credential_id' | 'status' | 'problem' | 'misses'>): Row => ({
  key: b.key,
  uid: b.uid,
  summary: b.summary,
  name: b.name,
  start_date: b.startDate,
  end_date: b.endDate,
  starts_at: b.startsAt,
  ends_at: b.endsAt,
  ...extra,
});

export async function applyRefresh(
  ctx: StoreContext,
  calendarId: string,
  actions: readonly ApplyAction[],
  fetched: { etag: string | null; lastModified: string | null },
  draw: DrawCode,
): Promise<RefreshCounts & { lockIds: string[] }> {
  return change(ctx, async (trx, audit) => {
    const cal = await trx.selectFrom('calendars').selectAll().where('id', '=', calendarId).executeTakeFirst();
    if (!cal) throw notFound('calendar', calendarId);
    const lockIds = JSON.parse(cal.lock_ids) as string[];
    const now = ctx.now();
    const actor = `calendar:${calendarId}`;
    const counts: RefreshCounts = { added: 0, changed: 0, cancelled: 0, unchanged: 0 };
    const inserts: Row[] = [];
    const updates: Row[] = [];

    const adds = actions.filter((a): a is Extract<ApplyAction, { type: 'add' }> => a.type === 'add');
    const made = await createFor(
      ctx,
      trx,
      audit,
      adds.map((a) => a.booking),
      lockIds,
      actor,
      draw,
    );
    adds.forEach((a, i) => {
      const m = made[i]!;
      const row = rowOf(a.booking, {
        credential_id: 'id' in m ? m.id : null,
        status: 'id' in m ? 'active' : 'failed',
        problem: 'id' in m ? null : m.problem,
        misses: 0,
      });
      if ('id' in m) counts.added++;
      (a.replaces ? updates : inserts).push(row);
    });

    for (const a of actions) {
      if (a.type === 'change') {
        const problem = a.stored.credentialId
          ? await moveStay(ctx, trx, audit, a.stored.credentialId, a.booking)
          : 'it has no code';
        if (problem === null) {
          counts.changed++;
          updates.push(
            rowOf(a.booking, {
              credential_id: a.stored.credentialId,
              status: 'active',
              problem: null,
              misses: 0,
            }),
          );
        } else {
          // The old dates stay on the code (and on the row, so the next fetch tries again).
          updates.push({
            ...rowOfStored(a.stored, 'active', 0),
            problem: `new dates not applied: ${problem}`,
          });
        }
      } else if (a.type === 'cancel') {
        if (a.stored.credentialId) await revokeIn(trx, audit, a.stored.credentialId, now, actor, a.why);
        counts.cancelled++;
        const base = a.booking
          ? rowOf(a.booking, blank(a.stored))
          : rowOfStored(a.stored, 'cancelled', a.stored.misses + 1);
        updates.push({ ...base, status: 'cancelled', credential_id: a.stored.credentialId, problem: null });
      } else if (a.type === 'keep') {
        counts.unchanged++;
        const s = a.stored;
        if (s.misses !== 0 || s.uid !== a.booking.uid || s.summary !== a.booking.summary)
          updates.push({ ...rowOfStored(s, s.status, 0), uid: a.booking.uid, summary: a.booking.summary });
      } else if (a.type === 'miss') {
        counts.unchanged++;
        updates.push(rowOfStored(a.stored, a.stored.status, a.misses));
      } else if (a.type === 'end') {
        updates.push(rowOfStored(a.stored, 'ended', a.stored.misses));
      }
    }

    const COLUMNS = [
      'calendar_id',
      'key',
      'uid',
      'summary',
      'name',
      'start_date',
      'end_date',
      'starts_at',
      'ends_at',
      'credential_id',
      'status',
      'problem',
      'misses',
      'updated_at',
    ] as const;
    const values = (r: Row) =>
      COLUMNS.map((c) => (c === 'calendar_id' ? calendarId : c === 'updated_at' ? now : r[c]));
    await insertRows(trx, ctx.dialect, 'calendar_bookings', COLUMNS, inserts.map(values));
    for (const u of updates) {
      await trx
        .updateTable('calendar_bookings')
        .set({ ...u, updated_at: now })
        .where('calendar_id', '=', calendarId)
        .where('key', '=', u.key)
        .execute();
    }
    await trx
      .updateTable('calendars')
      .set({
        etag: fetched.etag,
        last_modified: fetched.lastModified,
        last_fetch_at: now,
        last_success_at: now,
        last_error: null,
        failures: 0,
        next_fetch_at: now + cal.refresh_minutes * 60_000,
      })
      .where('id', '=', calendarId)
      .execute();
    return { ...counts, lockIds };
  });
}

/**
 * New dates (and name) on the booking's credential: the register's in-place edit, so the same
 * digits stay in the same slots; a refusal (the kept slot promised to another stay for the new
 * dates, say) comes back as the reason, and the edit has written nothing.
 */
async function moveStay(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  credentialId: string,
  b: IncomingRow,
): Promise<string | null> {
  try {
    await editCredentialIn(ctx, trx, audit, credentialId, {
      name: b.name,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
    });
    return null;
  } catch (e) {
    if (isKeywardError(e) && (e.code === 'BAD_INPUT' || e.code === 'NOT_FOUND')) return e.message;
    throw e;
  }
}

const blank = (s: StoredBookingRow) => ({
  credential_id: s.credentialId,
  status: s.status,
  problem: null,
  misses: 0,
});

function rowOfStored(s: StoredBookingRow, status: string, misses: number): Row {
  return {
    key: s.key,
    uid: s.uid,
    summary: s.summary,
    name: s.name,
    start_date: s.startDate,
    end_date: s.endDate,
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    credential_id: s.credentialId,
    status,
    problem: null,
    misses,
  };
}

/** The register's revocation (credentials.ts revokeCredential), inside this transaction. */
async function revokeIn(trx: Trx, audit: AuditFn, id: string, now: number, actor: string, why: string) {
  const c = await trx.selectFrom('credentials').select('revoked_at').where('id', '=', id).executeTakeFirst();
  if (!c || c.revoked_at !== null) return;
  await trx
    .updateTable('credentials')
    .set((eb) => ({ revoked_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
  await revokeAssignments(trx, id, now);
  await audit({
    action: 'credential.revoke',
    subjectType: 'credential',
    subjectId: id,
    actor,
    detail: { why: `booking ${why}` },
  });
}

/**
 * Guest credentials for new bookings, all in one batch; a code some lock refuses is drawn again
 * (the phone digits give way to a random code), up to ATTEMPTS times, and a booking that still
 * finds none (or that the register refuses for another reason) keeps the reason.
 */
async function createFor(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  bookings: readonly IncomingRow[],
  lockIds: string[],
  actor: string,
  draw: DrawCode,
): Promise<Array<{ id: string } | { problem: string }>> {
  const out: Array<{ id: string } | { problem: string }> = [];
  let pending = bookings.map((b, at) => ({ b, at }));
  for (let attempt = 0; attempt < ATTEMPTS && pending.length; attempt++) {
    const creations: Creation[] = pending.map(({ b }) => ({
      actor,
      input: {
        name: b.name,
        code: draw(b, attempt),
        kind: 'guest',
        lockIds,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
      },
    }));
    const results = await insertCredentials(ctx, trx, audit, creations);
    const again: typeof pending = [];
    results.forEach((r, i) => {
      const p = pending[i]!;
      if (!(r instanceof Error)) out[p.at] = { id: r.id };
      else if (isKeywardError(r) && r.details?.rejected && attempt + 1 < ATTEMPTS) again.push(p);
      else out[p.at] = { problem: r.message };
    });
    pending = again;
  }
  return out;
}
