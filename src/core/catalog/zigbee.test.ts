import { describe, expect, it } from 'vitest';
import { getModel } from './index.js';
import { matchZigbeeModel } from './zigbee.js';

describe('matching Zigbee model ids to catalog models', () => {
  it('knows the 910, 912 and 914 ids and names models that really have a Zigbee radio', () => {
    for (const id of ['SMARTCODE_DEADBOLT_5', 'SMARTCODE_LEVER_5', 'SMARTCODE_DEADBOLT_10_W3']) {
      const m = matchZigbeeModel('Kwikset', id);
      expect(m.exact).toBe(true);
      for (const c of m.candidates) expect(getModel(c).radio).toMatch(/zigbee/);
    }
  });

  it('refuses the Weiser lock that shares a family name, conversion kits and other makers', () => {
    expect(matchZigbeeModel('Weiser', 'SMARTCODE_DEADBOLT_10').candidates).toEqual([]);
    expect(matchZigbeeModel('Kwikset', 'SMARTCODE_DEADBOLT_10').candidates).toEqual([]);
    expect(matchZigbeeModel('Kwikset', 'SMARTCODE_CONVERT_GEN1').candidates).toEqual([]);
    expect(matchZigbeeModel('Yale', 'YRD226').candidates).toEqual([]);
  });

  it('offers every Zigbee Kwikset for a Kwikset id it does not know', () => {
    expect(matchZigbeeModel('Kwikset', 'SMARTCODE_NEW_THING')).toEqual({
      candidates: ['910', '912', '914', '916'],
      exact: false,
    });
  });
});
