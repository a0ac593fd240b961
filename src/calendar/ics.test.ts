import { describe, expect, it } from 'vitest';
import { ianaZone } from '../store/time-zone.js';
import { parseFeed } from './ics.js';

const feed = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
  ].join('\r\n');

describe('the ICS adapter', () => {
  const paris = ianaZone('Europe/Paris');

  it('reads all-day dates as days, whatever the process clock', async () => {
    const [e] = await parseFeed(
      feed(['UID:1', 'DTSTART;VALUE=DATE:20270501', 'DTEND;VALUE=DATE:20270504', 'SUMMARY:Reserved']),
      paris,
    );
    expect(e).toMatchObject({
      start: { allDay: true, date: '2027-05-01' },
      end: { allDay: true, date: '2027-05-04' },
    });
  });

  it('resolves a TZID that has no VTIMEZONE, a Windows zone name and UTC', async () => {
    const events = await parseFeed(
      feed(
        [
          'UID:1',
          'DTSTART;TZID=America/New_York:20270310T160000',
          'DTEND;TZID=America/New_York:20270315T110000',
        ],
        ['UID:2', 'DTSTART;TZID=W. Europe Standard Time:20270701T150000', 'DTEND:20270705T090000Z'],
      ),
      paris,
    );
    const byUid = new Map(events.map((e) => [e.uid, e]));
    // New York changes its clocks on 14 March 2027: EST before, EDT after.
    expect(byUid.get('1')).toMatchObject({
      start: { allDay: false, at: Date.UTC(2027, 2, 10, 21) },
      end: { allDay: false, at: Date.UTC(2027, 2, 15, 15) },
    });
    expect(byUid.get('2')).toMatchObject({
      start: { allDay: false, at: Date.UTC(2027, 6, 1, 13) },
      end: { allDay: false, at: Date.UTC(2027, 6, 5, 9) },
    });
  });

  it("reads floating times and unknown TZIDs on the calendar's own clock, across its clock change", async () => {
    const events = await parseFeed(
      feed(
        ['UID:f', 'DTSTART:20270326T160000', 'DTEND:20270329T110000'],
        [
          'UID:u',
          'DTSTART;TZID=Somewhere/Unknown:20270326T160000',
          'DTEND;TZID=Somewhere/Unknown:20270329T110000',
        ],
      ),
      paris,
    );
    for (const e of events) {
      // Paris is UTC+1 until 28 March 2027, UTC+2 after.
      expect(e.start).toEqual({ allDay: false, at: Date.UTC(2027, 2, 26, 15) });
      expect(e.end).toEqual({ allDay: false, at: Date.UTC(2027, 2, 29, 9) });
    }
  });

  it('marks recurring events and reads the status', async () => {
    const [e] = await parseFeed(
      feed([
        'UID:r',
        'DTSTART;VALUE=DATE:20270105',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'STATUS:cancelled',
        'SUMMARY:Cleaning',
      ]),
      paris,
    );
    expect(e).toMatchObject({ recurring: true, status: 'CANCELLED' });
  });

  it('refuses a page that is no calendar', async () => {
    await expect(parseFeed('<html>Sign in</html>', paris)).rejects.toThrow(/did not answer with a calendar/);
  });
});
