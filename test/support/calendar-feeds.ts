import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Recorded-style booking feeds of each platform, as their ICS exports look (Rental Control's
 * fixtures and the platforms' own exports: Airbnb's "Reserved" with the reservation URL and the
 * phone's last four digits, Vrbo's "Reserved - Name" without description, Booking.com's "CLOSED -
 * Not available", a PMS's timed events with a TZID and no VTIMEZONE), and a local server that
 * serves them with ETags, errors, delays and oversize bodies on demand.
 */

export interface Stay {
  uid: string;
  start: string; // YYYY-MM-DD
  end: string; // exclusive: the departure day
  code?: string;
  phone?: string;
  name?: string;
  status?: 'CANCELLED';
}

const d = (date: string) => date.replaceAll('-', '');
const wrap = (prodid: string, events: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${prodid}`,
    'CALSCALE:GREGORIAN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');

export function airbnb(
  stays: Stay[],
  blocks: Array<{ uid: string; start: string; end: string }> = [],
): string {
  return wrap('-//Airbnb Inc//Hosting Calendar 1.0//EN', [
    ...stays.map((s) =>
      [
        'BEGIN:VEVENT',
        `DTSTAMP:20261201T120000Z`,
        `DTSTART;VALUE=DATE:${d(s.start)}`,
        `DTEND;VALUE=DATE:${d(s.end)}`,
        'SUMMARY:Reserved',
        `UID:${s.uid}`,
        `DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/${s.code ?? 'HMXXXX'}\\n` +
          `Phone Number (Last 4 Digits): ${s.phone ?? '0000'}`,
        ...(s.status ? [`STATUS:${s.status}`] : []),
        'END:VEVENT',
      ].join('\r\n'),
    ),
    ...blocks.map((b) =>
      [
        'BEGIN:VEVENT',
        'DTSTAMP:20261201T120000Z',
        `DTSTART;VALUE=DATE:${d(b.start)}`,
        `DTEND;VALUE=DATE:${d(b.end)}`,
        'SUMMARY:Airbnb (Not available)',
        `UID:${b.uid}`,
        'END:VEVENT',
      ].join('\r\n'),
    ),
  ]);
}

export function vrbo(stays: Stay[]): string {
  return wrap('-//HomeAway.com, Inc.//EN', [
    ...stays.map((s) =>
      [
        'BEGIN:VEVENT',
        `UID:${s.uid}`,
        'DTSTAMP:20261201T120000Z',
        `DTSTART;VALUE=DATE:${d(s.start)}`,
        `DTEND;VALUE=DATE:${d(s.end)}`,
        `SUMMARY:Reserved - ${s.name ?? 'Guest'}`,
        'END:VEVENT',
      ].join('\r\n'),
    ),
    // Vrbo exports the owner's own blocks as well.
    [
      'BEGIN:VEVENT',
      'UID:vrbo-block-1',
      'DTSTAMP:20261201T120000Z',
      'DTSTART;VALUE=DATE:20270801',
      'DTEND;VALUE=DATE:20270803',
      'SUMMARY:Blocked',
      'END:VEVENT',
    ].join('\r\n'),
  ]);
}

export function bookingCom(stays: Stay[]): string {
  return wrap('-//booking.com//EN', [
    ...stays.map((s) =>
      [
        'BEGIN:VEVENT',
        `UID:${s.uid}@booking.com`,
        `DTSTART;VALUE=DATE:${d(s.start)}`,
        `DTEND;VALUE=DATE:${d(s.end)}`,
        `SUMMARY:${s.name ?? 'Booking.com guest'}`,
        `DESCRIPTION:Booking number: ${s.code ?? '0000000000'}`,
        'END:VEVENT',
      ].join('\r\n'),
    ),
    [
      'BEGIN:VEVENT',
      'UID:closed-1@booking.com',
      'DTSTART;VALUE=DATE:20270901',
      'DTEND;VALUE=DATE:20270905',
      'SUMMARY:CLOSED - Not available',
      'END:VEVENT',
    ].join('\r\n'),
  ]);
}

/** A PMS (Hostaway/Guesty style): timed stays with a TZID and no VTIMEZONE, a phone in full. */
export function pms(
  stays: Array<{
    uid: string;
    start: string;
    end: string;
    tzid: string;
    name: string;
    id: string;
    phone?: string;
  }>,
  extra: string[] = [],
): string {
  return wrap('-//Hostaway//Calendar//EN', [
    ...stays.map((s) =>
      [
        'BEGIN:VEVENT',
        `UID:${s.uid}`,
        `DTSTART;TZID=${s.tzid}:${s.start}`,
        `DTEND;TZID=${s.tzid}:${s.end}`,
        `SUMMARY:${s.name}`,
        `DESCRIPTION:Reservation ID: ${s.id}\\nGuest: ${s.name}\\nPhone: ${s.phone ?? ''}\\nChannel: direct`,
        'STATUS:CONFIRMED',
        'END:VEVENT',
      ].join('\r\n'),
    ),
    ...extra,
  ]);
}

export const recurring = (uid: string) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTART;VALUE=DATE:20270105',
    'DTEND;VALUE=DATE:20270106',
    'SUMMARY:Cleaning',
    'RRULE:FREQ=WEEKLY;COUNT=20',
    'END:VEVENT',
  ].join('\r\n');

export interface Served {
  body: string;
  status?: number;
  etag?: string;
  lastModified?: string;
  delayMs?: number;
}

/** One local server; each path answers what `feeds` holds for it now. */
export class FeedServer {
  readonly feeds = new Map<string, Served>();
  readonly hits: Array<{ path: string; ifNoneMatch: string | null; ifModifiedSince: string | null }> = [];
  #server: Server;
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.hits.push({
        path,
        ifNoneMatch: (req.headers['if-none-match'] as string) ?? null,
        ifModifiedSince: (req.headers['if-modified-since'] as string) ?? null,
      });
      const f = this.feeds.get(path);
      const answer = () => {
        if (!f) return res.writeHead(404).end('no such calendar');
        if (f.status && f.status !== 200) return res.writeHead(f.status).end('server trouble');
        if (f.etag && req.headers['if-none-match'] === f.etag) return res.writeHead(304).end();
        if (f.lastModified && !f.etag && req.headers['if-modified-since'] === f.lastModified)
          return res.writeHead(304).end();
        res.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          ...(f.etag ? { etag: f.etag } : {}),
          ...(f.lastModified ? { 'last-modified': f.lastModified } : {}),
        });
        res.end(f.body);
      };
      if (f?.delayMs) setTimeout(answer, f.delayMs);
      else answer();
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(() => r()));
  }
}
