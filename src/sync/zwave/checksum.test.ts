import { CRC16_CCITT } from '@zwave-js/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16ccitt, expectedChecksum } from './checksum.js';

describe('the User Code checksum', () => {
  it('is the same CRC as zwave-js computes, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(crc16ccitt(bytes)).toBe(CRC16_CCITT(bytes));
      }),
    );
  });

  it('is 0 for an empty lock and unknown when a code is masked', () => {
    expect(expectedChecksum(new Map())).toBe(0);
    expect(expectedChecksum(new Map([[1, null]]))).toBeUndefined();
  });
});
