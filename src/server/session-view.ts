import type { Diagnosis } from '../core/diagnose/index.js';
import { type GuideStep, spaced } from '../core/guide/index.js';
import type { SessionOp, SessionView } from '../sync/manual-session.js';
import type { ManualSession } from './api-types.js';

/** Codes are at least 4 presses; shorter digit runs are menu choices ("Press 4, then Kwikset"). */
const MIN_CODE = 4;

/** The codes a step has the person type: runs of digit presses in its inputs. */
export function codesTyped(step: GuideStep): string[] {
  const out: string[] = [];
  let run = '';
  for (const input of [...step.inputs, null]) {
    if (input && 'press' in input && /^[0-9]$/.test(input.press)) {
      run += input.press;
      continue;
    }
    if (run.length >= MIN_CODE) out.push(run);
    run = '';
  }
  return out;
}

const dots = (n: number) => Array.from({ length: n }, () => '•').join(' ');

/**
 * A step as anyone may see it: the code it types becomes dots (its length stays, the person at
 * the door counts the presses) and the key presses are left out, since they spell the code.
 */
export function maskStep(step: GuideStep): GuideStep {
  let instruction = step.instruction;
  for (const code of codesTyped(step)) instruction = instruction.split(spaced(code)).join(dots(code.length));
  return { ...step, instruction, inputs: [] };
}

/** Diagnoses quote the codes they compare ("slot 1 holds 29475, which starts with ..."). */
export function maskDigits(text: string): string {
  return text.replace(/\d(?: ?\d){3,}/g, (m) => m.replace(/\d/g, '•'));
}

export function maskDiagnosis(d: Diagnosis): Diagnosis {
  return {
    ...d,
    causes: d.causes.map((c) => ({
      ...c,
      explanation: maskDigits(c.explanation),
      fix: c.fix.map(maskDigits),
    })),
    quickFix: d.quickFix.map(maskDigits),
  };
}

/**
 * The session as the lock page shows it: every op with its steps and who it is for, numbered
 * across the session like `stepNumber`, masked unless revealed.
 */
export function sessionOut(
  s: SessionView & { ops: SessionOp[] },
  names: ReadonlyMap<string, string>,
  diagnosis: Diagnosis | null,
  reveal: boolean,
): ManualSession {
  const show = (step: GuideStep) => (reveal ? step : maskStep(step));
  let first = 1;
  const ops = s.ops.map((o) => {
    const out = {
      op: o.op,
      slot: o.slot,
      credentialId: o.credentialId,
      name: o.credentialId ? (names.get(o.credentialId) ?? null) : null,
      firstStep: first,
      steps: o.steps.map(show),
    };
    first += o.steps.length;
    return out;
  });
  return {
    ...s,
    step: s.step ? show(s.step) : null,
    ops,
    revealed: reveal,
    diagnosis: diagnosis && !reveal ? maskDiagnosis(diagnosis) : diagnosis,
  };
}
