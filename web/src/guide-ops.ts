import type { ModelProfile } from '../../src/core/catalog/types.js';
import type { GuideOp } from '../../src/core/guide/index.js';
import { href } from './route.js';

/** The operations the practice keypad walks through, in a host's words. */
export const OPS: { op: GuideOp; label: string; needs: ('code' | 'slot')[] }[] = [
  { op: 'add-user', label: 'Add a user code', needs: ['slot', 'code'] },
  { op: 'test-code', label: 'Test a code (unlock)', needs: ['code'] },
  { op: 'delete-user', label: 'Delete a user code', needs: ['slot'] },
  { op: 'set-programming-code', label: 'Change the programming code', needs: ['code'] },
  { op: 'factory-reset', label: 'Factory reset', needs: [] },
  { op: 'programming-switch', label: 'Turn programming on', needs: [] },
];

/** The operations this model has (a switch only where there is one, a programming code likewise). */
export function opsFor(model: ModelProfile) {
  return OPS.filter(
    (o) =>
      (o.op !== 'programming-switch' || model.quirks.programmingSwitch) &&
      (o.op !== 'set-programming-code' || model.programmingCode !== null),
  );
}

export const opLabel = (op: GuideOp) => OPS.find((o) => o.op === op)?.label ?? op;

/** The practice keypad of a model, opened on an operation's guide (and slot). */
export const practiseHref = (model: string, op?: GuideOp, slot?: number) =>
  op ? href('practise', model, op, ...(slot ? [String(slot)] : [])) : href('practise', model);
