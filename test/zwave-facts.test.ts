import { describe, expect, it } from 'vitest';
import { SimClock } from '../src/sync/clock.js';
import { batteryVolts, voltsFromPercent } from '../src/sync/zwave/battery.js';
import { expectedChecksum } from '../src/sync/zwave/checksum.js';
import { factOf } from '../src/sync/zwave/facts.js';
import type { LinkSignal } from '../src/sync/zwave/link.js';
import { slotFrom } from '../src/sync/zwave/link.js';
import { ALARM_SETTLE_MS, SignalDecoder } from '../src/sync/zwave/signals.js';

describe('what a Kwikset says', () => {
  it('reads an Access Control notification and the matching Kwikset alarm as the same fact', () => {
    const pairs: Array<[number, number]> = [
      [0x0e, 112],
      [0x0f, 113],
      [0x0d, 33],
      [0x06, 19],
    ];
    for (const [event, alarmType] of pairs) {
      const notification = factOf({ kind: 'notification', type: 6, event, userId: 4 });
      expect(notification).toBeDefined();
      expect(factOf({ kind: 'alarm', alarmType, alarmLevel: 4 })).toEqual(notification);
    }
    expect(factOf({ kind: 'alarm', alarmType: 32, alarmLevel: 0 })).toEqual({ fact: 'all-deleted' });
    expect(factOf({ kind: 'notification', type: 6, event: 0x13 })).toEqual({ fact: 'full', slot: null });
  });

  it('takes battery alarms 167 and 168 as low and critical, capped at their thresholds', () => {
    expect(factOf({ kind: 'alarm', alarmType: 167, alarmLevel: 15 })).toMatchObject({ level: 'low' });
    expect(factOf({ kind: 'battery-status', state: 0x0f })).toMatchObject({ level: 'critical' });
    expect(batteryVolts('low', undefined)).toBe(1.2);
    expect(batteryVolts('critical', 50)).toBe(1.125);
    expect(voltsFromPercent(100)).toBe(1.5);
    expect(voltsFromPercent(0)).toBe(1.125);
  });

  it('ignores a lock operation without a slot rather than inventing one', () => {
    expect(factOf({ kind: 'notification', type: 6, event: 0x06 })).toBeUndefined();
    expect(factOf({ kind: 'notification', type: 7, event: 0x03 })).toBeUndefined();
  });

  it('counts a V1 alarm once when zwave-js also reports it as a notification', async () => {
    const clock = new SimClock();
    const decoder = new SignalDecoder(clock);
    const seen: LinkSignal[] = [];
    decoder.subscribe((s) => seen.push(s));
    decoder.value({ commandClass: 0x71, property: 'alarmType', newValue: 19 });
    decoder.value({ commandClass: 0x71, property: 'alarmLevel', newValue: 3 });
    decoder.notification({ kind: 'notification', type: 6, event: 6, userId: 3 });
    decoder.value({ commandClass: 0x71, property: 'alarmType', newValue: 112 });
    decoder.value({ commandClass: 0x71, property: 'alarmLevel', newValue: 5 });
    await clock.advance(ALARM_SETTLE_MS - 1);
    expect(seen).toEqual([{ kind: 'notification', type: 6, event: 6, userId: 3 }]);
    await clock.advance(1);
    expect(seen).toEqual([
      { kind: 'notification', type: 6, event: 6, userId: 3 },
      { kind: 'alarm', alarmType: 112, alarmLevel: 5 },
    ]);
    decoder.close();
  });
});

describe('slot read-backs and checksums', () => {
  it('treats a masked read-back as occupied with an unknown code', () => {
    expect(slotFrom(1, '****')).toEqual({ status: 'occupied', code: null });
    expect(slotFrom(1, '0000')).toEqual({ status: 'occupied', code: null });
    expect(slotFrom(1, '2580')).toEqual({ status: 'occupied', code: '2580' });
    expect(slotFrom(0, '')).toEqual({ status: 'empty' });
    expect(slotFrom(0xfe, undefined)).toBeUndefined();
  });

  it('computes the User Code checksum of known codes, and none when a code is masked', () => {
    expect(expectedChecksum(new Map())).toBe(0);
    const a = expectedChecksum(new Map([[1, '2580']]));
    const b = expectedChecksum(new Map([[1, '2581']]));
    expect(a).toBeTypeOf('number');
    expect(a).not.toBe(b);
    expect(expectedChecksum(new Map([[1, null]]))).toBeUndefined();
  });
});
