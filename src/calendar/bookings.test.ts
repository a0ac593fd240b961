import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ianaZone } from '../store/time-zone.js';
import { bookingKey, bookingOf, guestName, phoneLast4, stayOf } from './bookings.js';
import type { FeedEvent } from './ics.js';
import { dateAt, wallToInstant } from './wall-time.js';

const event = (over: Partial<FeedEvent>): FeedEvent => ({
  uid: 'u1',
  summary: 'Reserved',
  description: '',
  status: null,
  recurring: false,
  start: { allDay: true, date: '2027-05-01' },
  end: { allDay: true, date: '2027-05-04' },
  ...over,
});

describe('reading a feed event as a booking', () => {
  it("takes Airbnb's reservation code as the key and the phone's last four digits", () => {
    const description =
      'Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMQ2X9ABCD\nPhone Number (Last 4 Digits): 0427';
    expect(bookingKey({ uid: 'x', description })).toBe('airbnb:HMQ2X9ABCD');
    expect(phoneLast4(description)).toBe('0427');
  });

  it('takes a PMS reservation number and a full phone number; without either the UID and no digits', () => {
    expect(bookingKey({ uid: 'x', description: 'Reservation ID: 55-123\nPhone: +1 (555) 010-7788' })).toBe(
      'ref:55-123',
    );
    expect(phoneLast4('Phone: +1 (555) 010-7788')).toBe('7788');
    expect(bookingKey({ uid: 'x', description: '' })).toBe('uid:x');
    expect(phoneLast4('Phone: 12')).toBeNull();
  });

  it('finds a guest name in the title or description, and none in a bare "Reserved"', () => {
    expect(guestName('Reserved - Jane Doe', '')).toBe('Jane Doe');
    expect(guestName('Reserved', '')).toBeNull();
    expect(guestName('Airbnb', 'Guest: Tom Lee')).toBe('Tom Lee');
  });

  it('skips blocks, "Not available" entries and recurring events; reads STATUS:CANCELLED', () => {
    for (const summary of ['Airbnb (Not available)', 'CLOSED - Not available', 'Blocked', 'Owner stay'])
      expect(bookingOf(event({ summary }))).toBe('blocked');
    expect(bookingOf(event({ recurring: true }))).toBe('recurring');
    expect(bookingOf(event({ status: 'CANCELLED' }))).toMatchObject({ cancelled: true });
    expect(bookingOf(event({ summary: 'John Blockley' }))).toMatchObject({ guest: 'John Blockley' });
  });

  it('an all-day stay arrives at check-in on its first day and leaves at check-out on its end date', () => {
    const zone = ianaZone('Europe/Paris');
    const b = bookingOf(event({}));
    if (typeof b === 'string') throw new Error(b);
    const stay = stayOf(b, {
      checkInMinutes: 16 * 60,
      checkOutMinutes: 11 * 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      zone,
    });
    expect(stay.startsAt).toBe(Date.UTC(2027, 4, 1, 14));
    expect(stay.endsAt).toBe(Date.UTC(2027, 4, 4, 9));
  });
});

describe('wall-clock times of a zone', () => {
  const zone = ianaZone('America/New_York');

  it('property: a time of any day reads back as that day, on both sides of every clock change', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        (day, minutes) => {
          const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
          expect(dateAt(wallToInstant(date, minutes, zone), zone)).toBe(date);
        },
      ),
    );
  });

  it('a time the spring change skips moves an hour on; a repeated autumn hour takes its first reading', () => {
    expect(wallToInstant('2027-03-14', 2 * 60 + 30, zone)).toBe(Date.UTC(2027, 2, 14, 7, 30));
    expect(wallToInstant('2027-11-07', 60 + 30, zone)).toBe(Date.UTC(2027, 10, 7, 5, 30));
  });
});
