/**
 * CRC-16-CCITT as the User Code CC defines it (poly 0x1021, start 0x1D0F): zwave-js's own
 * `CRC16_CCITT`, written out here so the server does not load @zwave-js/core (about 0.2 s) to
 * compare a checksum. A unit test checks the two agree.
 */
export function crc16ccitt(data: Uint8Array, start = 0x1d0f): number {
  let crc = start;
  for (const byte of data) {
    for (let mask = 0x80; mask !== 0; mask >>= 1) {
      const flip = ((byte & mask) !== 0) !== ((crc & 0x8000) !== 0);
      crc = (crc << 1) & 0xffff;
      if (flip) crc ^= 0x1021;
    }
  }
  return crc;
}

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
  return parts.length === 0 ? 0 : crc16ccitt(Uint8Array.from(parts));
}
