import type { Key, ModelProfile, Signal } from '../catalog/types.js';

/** How a person finds each key on this model. */
export function keyName(key: Key, model: ModelProfile): string {
  switch (key) {
    case 'program':
      return model.programmingCode?.style === 'menu'
        ? 'the Program button (behind the interior cover)'
        : 'the Program button (inside, under the battery cover)';
    case 'kwikset':
      return 'the Kwikset button';
    case 'lock':
      return model.confirmKey === 'kwikset' ? 'Lock (the Kwikset button)' : 'Lock (the lock symbol)';
    case 'enter':
      return 'enter (the arrow)';
    default:
      return key;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('sh') ? 'es' : 's'}`;
}

/** "1 green flash and 2 short beeps", as a person at the door sees and hears it. */
export function describeSignals(signals: readonly Signal[]): string {
  if (signals.length === 0) return 'no light and no sound';
  // One flash per Program press reads better as "3 green flashes" than as three phrases.
  const merged: Signal[] = [];
  for (const s of signals) {
    const prev = merged.at(-1);
    if (prev && 'led' in prev && 'led' in s && prev.led === s.led)
      merged[merged.length - 1] = { ...prev, count: prev.count + s.count };
    else if (prev && 'beep' in prev && 'beep' in s && prev.beep === s.beep)
      merged[merged.length - 1] = { ...prev, count: prev.count + s.count };
    else merged.push(s);
  }
  const parts = merged.map((s) =>
    'led' in s ? plural(s.count, `${s.led} flash`) : plural(s.count, `${s.beep} beep`),
  );
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

export function spaced(code: string): string {
  return code.split('').join(' ');
}
