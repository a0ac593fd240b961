import type { ModelProfile } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import type { Reason } from '../codes/rules.js';
import type { GuideRequest } from './types.js';

/** The way out of each refusal, worded for the person at the door and true for this model. */
export function fixFor(reason: Reason, model: ModelProfile, state: LockState, req: GuideRequest): string {
  const memory = model.quirks.deletedCodeMemory;
  switch (reason.rule) {
    case 'prefix': {
      const slot = reason.conflictsWith as number;
      const held = state.slots[String(slot)] ?? '';
      const whose = `slot ${slot} holds ${held}, whose first four digits match`;
      if (memory) {
        return `${whose}; on the ${model.id} a deleted code keeps its first four digits reserved, so choose a code with other first four digits (or factory reset and re-add every code)`;
      }
      return slot === req.slot
        ? `${whose}: the lock compares against the code it replaces; delete slot ${slot} first (keyward guide --op delete-user --slot ${slot}), then add the new code`
        : `${whose}; delete slot ${slot} first (keyward guide --op delete-user --slot ${slot}) or choose another code`;
    }
    case 'deleted-prefix':
      return 'choose a code with other first four digits, or factory reset (keyward guide --op factory-reset) and re-add every code';
    case 'programming-code':
      return reason.conflictsWith === 'programming'
        ? 'choose a code whose first four digits differ from the programming code, or change the programming code first'
        : `choose a programming code whose first four digits differ from slot ${reason.conflictsWith}`;
    case 'capacity':
      return `every slot is taken: delete a code first (keyward guide --op delete-user --slot N)`;
    case 'slot':
      return `choose a slot from 1 to ${model.slots}${req.op === 'delete-user' ? ' that holds a code' : ''}`;
    case 'length': {
      const r = req.op === 'set-programming-code' ? model.programmingCode?.length : model.userCodeLength;
      return `use a code of ${r?.min}-${r?.max} digits`;
    }
    case 'digits':
      return 'use digits 0-9 only';
    case 'battery':
      return 'fit four new alkaline AA cells (1.5 V each), then start again';
    case 'programming-disabled':
      return model.quirks.programmingSwitch && !state.programmingSwitch
        ? 'turn on the interior programming switch'
        : 'set the programming code through the Z-Wave controller (admin code) first';
  }
}
