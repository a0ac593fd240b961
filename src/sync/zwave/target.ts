/** Where a network is reached: Keyward's own stick, or someone else's zwave-js-server. */
export type ZWaveTarget = { serialPort: string } | { url: string };

export function describeTarget(target: ZWaveTarget): string {
  return 'url' in target ? target.url : target.serialPort;
}
