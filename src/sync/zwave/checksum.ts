import { CRC16_CCITT } from '@zwave-js/core';

/**
 * The User Code checksum (CC v2) the lock would report for these slots: CRC-16-CCITT over every
 * occupied slot as user id (2 bytes), status, then the code's ASCII bytes. Undefined when a code
 * is masked, since the lock's figure covers digits Keyward cannot see.
 */
export function expectedChecksum(slots: ReadonlyMap<number, string | null>): number | undefined {
  const parts: number[] = [];
  for (const slot of [...slots.keys()].sort((a, b) => a - b)) {
    const code = slots.get(slot);
    if (code === null || code === undefined) return undefined;
    parts.push(slot >> 8, slot & 0xff, 1);
    for (let i = 0; i < code.length; i++) parts.push(code.charCodeAt(i));
  }
  return parts.length === 0 ? 0 : CRC16_CCITT(Uint8Array.from(parts));
}
