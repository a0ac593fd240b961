import type { ModelProfile } from '../catalog/types.js';
import { prefixKey, prefixText } from '../codes/keypad.js';
import type { Diagnosis } from './types.js';

/**
 * A diagnosis of a lock Keyward holds the codes of, fit for anyone allowed to look at that lock:
 * its codes are secrets, so each stored code is named by whose it is ("Ana's code") and any other
 * run of four or more digits is masked, except the code the person typed (they know it) and its
 * first four digits, which the explanations compare against.
 */
export function hideCodes(
  d: Diagnosis,
  model: ModelProfile,
  named: readonly { code: string; label: string }[],
  typed?: string,
): Diagnosis {
  // The guide's own example ("29475 and 29476 cannot share a lock") is no one's code, unless it
  // is one here, and then it was named above before anything is masked.
  const keep = new Set<string>(['29475', '29476']);
  if (typed && /^[0-9]+$/.test(typed)) {
    keep.add(typed);
    keep.add(typed.slice(0, 4));
    if (typed.length >= 4) keep.add(prefixText(prefixKey(typed, model)));
  }
  const byLength = [...named].filter((n) => n.code !== typed).sort((a, b) => b.code.length - a.code.length);
  const hide = (text: string): string => {
    let out = text;
    for (const n of byLength) out = out.replace(new RegExp(`(?<![0-9])${n.code}(?![0-9])`, 'g'), n.label);
    return out.replace(/[0-9]{4,}/g, (run) => (keep.has(run) ? run : '••••'));
  };
  return {
    ...d,
    causes: d.causes.map((c) => ({ ...c, explanation: hide(c.explanation), fix: c.fix.map(hide) })),
    quickFix: d.quickFix.map(hide),
  };
}
