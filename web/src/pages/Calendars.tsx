import { type FormEvent, useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import {
  ApiError,
  api,
  type Calendar,
  type CalendarDetail,
  type CalendarList,
  type CalendarRefresh,
  type CredentialList,
  type LockList,
  type LockSummary,
  type Role,
} from '../api.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Choices, Notice, useAction, WideTable } from '../ui.js';

/** Booking calendars: each booking of an Airbnb, Vrbo, Booking.com or PMS calendar opens the door. */

const CODE_FROM = [
  ['phone-last-4', "The guest's phone (last 4 digits) when the booking has it"],
  ['generate', 'Always a random code'],
] as const;

const BOOKING_WORDS: Record<string, string> = {
  active: 'Booked',
  cancelled: 'Cancelled',
  ended: 'Stay over',
  failed: 'No code',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function refreshText(name: string, r: CalendarRefresh): string {
  if (r.error)
    throw new ApiError(
      200,
      'FETCH_FAILED',
      `${name} could not be checked: ${r.error}. Its bookings stay as they were.`,
    );
  const parts = [
    r.added && plural(r.added, 'new booking', 'new bookings'),
    r.changed && plural(r.changed, 'booking changed', 'bookings changed'),
    r.cancelled && plural(r.cancelled, 'booking cancelled', 'bookings cancelled'),
  ].filter(Boolean);
  return `${name} is up to date${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

export function CalendarsPage({ role }: { role: Role }) {
  const calendars = useApi<CalendarList>('/api/v1/calendars', 10_000);
  const locks = useApi<LockList>('/api/v1/locks');
  const [open, setOpen] = useState<string | null>(null);
  const action = useAction();
  const canEdit = role !== 'viewer';
  const lockName = (id: string) => locks.data?.locks.find((l) => l.id === id)?.name ?? 'a removed lock';

  function refresh(c: Calendar) {
    void action.run(async () => {
      const r = await api<CalendarRefresh>('POST', `/api/v1/calendars/${c.id}/refresh`);
      calendars.reload();
      return refreshText(c.name, r);
    });
  }

  function remove(c: Calendar) {
    if (!window.confirm(`Stop following "${c.name}"? Guests already booked keep their way in.`)) return;
    void action.run(async () => {
      await api('DELETE', `/api/v1/calendars/${c.id}`);
      calendars.reload();
      return `${c.name} is no longer followed.`;
    });
  }

  return (
    <>
      <h1>Calendars</h1>
      <p className="muted">
        Each booking on a calendar gets its own way in, from check-in to check-out, on the doors you pick.
        Calendars are checked every few minutes.
      </p>
      <Notice note={action.note} />
      {canEdit && locks.data && <AddCalendar locks={locks.data.locks} onDone={calendars.reload} />}
      <h2 id="calendars-h">Followed calendars</h2>
      {calendars.data?.calendars.length === 0 && <p>No calendars yet.</p>}
      {/* One calendar a row: its bookings table needs the width. */}
      <ul className="codes" style={{ gridTemplateColumns: '1fr' }} aria-labelledby="calendars-h">
        {calendars.data?.calendars.map((c) => (
          <li key={c.id} className="card" data-calendar={c.name}>
            <h3>{c.name}</h3>
            <p className="muted">
              Opens {c.lockIds.map(lockName).join(', ')} · arrivals{' '}
              {c.checkInTime ?? "at the site's check-in time"}, departures{' '}
              {c.checkOutTime ?? "at the site's check-out time"}
            </p>
            <p>
              Last checked: {c.lastFetchAt === null ? 'not yet' : when(c.lastFetchAt)}
              {c.lastError === null && c.lastSuccessAt !== null && (
                <span className="status set"> · up to date</span>
              )}
            </p>
            {c.lastError && (
              <p className="error" data-problem>
                Could not be checked{c.failures > 1 ? ` (${c.failures} times in a row)` : ''}: {c.lastError}.
                The bookings below are from the last good check.
              </p>
            )}
            <p className="actions">
              <button
                type="button"
                className="small"
                aria-expanded={open === c.id}
                onClick={() => setOpen(open === c.id ? null : c.id)}
              >
                {open === c.id ? 'Hide' : 'Show'} bookings<span className="sr-only"> of {c.name}</span>
              </button>
              {canEdit && (
                <>
                  <button
                    type="button"
                    className="small"
                    {...busyProps(action.busy)}
                    onClick={() => refresh(c)}
                  >
                    Check now<span className="sr-only"> {c.name}</span>
                  </button>
                  <button
                    type="button"
                    className="small danger"
                    {...busyProps(action.busy)}
                    onClick={() => remove(c)}
                  >
                    Stop following<span className="sr-only"> {c.name}</span>
                  </button>
                </>
              )}
            </p>
            {open === c.id && <Bookings id={c.id} name={c.name} />}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A calendar's bookings, each with where its code stands on every door. */
function Bookings({ id, name }: { id: string; name: string }) {
  const detail = useApi<CalendarDetail>(`/api/v1/calendars/${id}`, 5000);
  const creds = useApi<CredentialList>('/api/v1/credentials?includeRevoked=true', 5000);
  const headingId = `bookings-${id}`;
  const byId = new Map(creds.data?.credentials.map((c) => [c.id, c]));
  const bookings = detail.data?.bookings ?? [];
  return (
    <>
      <h4 id={headingId}>Bookings of {name}</h4>
      {detail.data && bookings.length === 0 && <p>No bookings on this calendar yet.</p>}
      {bookings.length > 0 && (
        <WideTable labelledBy={headingId}>
          <thead>
            <tr>
              <th scope="col">Guest</th>
              <th scope="col">Arrives</th>
              <th scope="col">Leaves</th>
              <th scope="col">Booking</th>
              <th scope="col">Doors</th>
            </tr>
          </thead>
          <tbody>
            {bookings.map((b) => {
              const c = b.credentialId ? byId.get(b.credentialId) : undefined;
              return (
                <tr key={b.key} data-booking={b.status}>
                  <td>{b.name}</td>
                  <td>{when(b.startsAt)}</td>
                  <td>{when(b.endsAt)}</td>
                  <td>
                    {BOOKING_WORDS[b.status] ?? b.status}
                    {b.problem && <span className="error"> · {b.problem}</span>}
                  </td>
                  <td>
                    {c?.locks.length
                      ? c.locks.map((l) => (
                          <span key={l.lockId} className="inline">
                            {l.lockName}:{' '}
                            <span className={`status ${l.status}`}>{lifecycleLabel(l.status)}</span>{' '}
                          </span>
                        ))
                      : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </WideTable>
      )}
    </>
  );
}

function AddCalendar({ locks, onDone }: { locks: LockSummary[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  // Empty: the site's own check-in and check-out times.
  const [checkIn, setCheckIn] = useState('');
  const [checkOut, setCheckOut] = useState('');
  const [codeFrom, setCodeFrom] = useState<'phone-last-4' | 'generate'>('phone-last-4');
  const action = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const c = await api<Calendar>('POST', '/api/v1/calendars', {
        name,
        url: url.trim(),
        lockIds: chosen,
        ...(checkIn ? { checkInTime: checkIn } : {}),
        ...(checkOut ? { checkOutTime: checkOut } : {}),
        codeFrom,
      });
      const r = await api<CalendarRefresh>('POST', `/api/v1/calendars/${c.id}/refresh`);
      setName('');
      setUrl('');
      onDone();
      return refreshText(c.name, r);
    });
  }

  return (
    <section aria-labelledby="add-calendar-h" className="panel">
      <h2 id="add-calendar-h">Follow a booking calendar</h2>
      <form onSubmit={submit} className="grid-form">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            placeholder="Beach house on Airbnb"
          />
        </label>
        <label>
          Calendar link (iCal / ICS export address)
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            maxLength={2000}
            placeholder="https://www.airbnb.com/calendar/ical/…"
          />
        </label>
        <fieldset className="row">
          <legend>Doors its guests open</legend>
          {locks.map((l) => (
            <label key={l.id} className="inline">
              <input
                type="checkbox"
                checked={chosen.includes(l.id)}
                onChange={(e) =>
                  setChosen((c) => (e.target.checked ? [...c, l.id] : c.filter((x) => x !== l.id)))
                }
              />{' '}
              {l.name}
            </label>
          ))}
        </fieldset>
        <label>
          Check-in time (empty: the site's)
          <input type="time" value={checkIn} onChange={(e) => setCheckIn(e.target.value)} />
        </label>
        <label>
          Check-out time (empty: the site's)
          <input type="time" value={checkOut} onChange={(e) => setCheckOut(e.target.value)} />
        </label>
        <fieldset className="row">
          <legend>Guest's code</legend>
          <Choices name="code-from" options={CODE_FROM} value={codeFrom} onChange={setCodeFrom} />
        </fieldset>
        <button type="submit" disabled={chosen.length === 0} {...busyProps(action.busy)}>
          Follow calendar
        </button>
      </form>
      <Notice note={action.note} />
    </section>
  );
}
