import type { ModelProfile } from '../../core/catalog/types.js';
import type { StateField } from '../../core/diagnose/index.js';
import type { Io } from '../io.js';
import type { StateOptions } from '../state-input.js';

const FIELDS: readonly StateField[] = [
  'slots',
  'deleted',
  'programmingCode',
  'voltsPerCell',
  'programmingSwitch',
];

const FLAG_OF: Record<StateField, keyof StateOptions> = {
  slots: 'slots',
  deleted: 'deleted',
  programmingCode: 'programming',
  voltsPerCell: 'volts',
  programmingSwitch: 'programmingSwitch',
};

export interface KnownFields {
  /** Pass this to readLockState: it remembers the state file it reads. */
  io: Io;
  /** Which fields the person gave; call after readLockState. */
  fields(): Set<StateField>;
}

/**
 * The lock state fills what it is not told with a factory-new lock. That is right for checking a
 * code, but a diagnosis must not rule a cause out on a default: it needs to know which fields the
 * person actually gave, from flags or from the state file.
 */
export function knownStateFields(io: Io, opts: StateOptions): KnownFields {
  let text: string | null = null;
  const remembering: Io = {
    ...io,
    readStdin: () => {
      text = io.readStdin();
      return text;
    },
    readFile: (path) => {
      text = io.readFile(path);
      return text;
    },
  };
  return {
    io: remembering,
    fields: () => {
      const given = new Set<StateField>();
      let file: Record<string, unknown> = {};
      if (text !== null) {
        // readLockState has parsed and validated it by now.
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null) file = parsed as Record<string, unknown>;
      }
      for (const field of FIELDS) {
        if (opts[FLAG_OF[field]] !== undefined || file[field] !== undefined) given.add(field);
      }
      return given;
    },
  };
}

/** Fields not given that matter on this model (no switch or programming code, nothing to know). */
export function unknownFields(given: () => Set<StateField>, model: ModelProfile): StateField[] {
  const known = given();
  return FIELDS.filter((f) => {
    if (known.has(f)) return false;
    if (f === 'programmingSwitch') return model.quirks.programmingSwitch;
    if (f === 'programmingCode') return model.programmingCode !== null;
    if (f === 'deleted') return model.quirks.deletedCodeMemory;
    return true;
  });
}

const WORDS: Record<StateField, string> = {
  slots: 'the codes in the slots (--slots)',
  deleted: 'deleted codes (--deleted)',
  programmingCode: 'the programming code (--programming)',
  voltsPerCell: 'the battery voltage (--volts)',
  programmingSwitch: 'the programming switch (--programming-switch)',
};

export function describeFields(fields: readonly StateField[]): string {
  return fields.map((f) => WORDS[f]).join(', ');
}
