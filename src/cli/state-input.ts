import type { Command } from 'commander';
import { getModel } from '../core/catalog/index.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { type LockState, parseLockState } from '../core/codes/lock-state.js';
import { UsageError } from './exit.js';
import { type Io, parseJson, readSource } from './io.js';

export interface StateOptions {
  state?: string;
  model?: string;
  slots?: string;
  programming?: string;
  deleted?: string;
  volts?: string;
  programmingSwitch?: string;
}

/** The lock-state flags every lock command shares (docs/contracts.md, "Lock state"). */
export function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--state <file>', 'lock state as JSON (- for stdin)')
    .option('--model <id>', 'lock model, e.g. 264, 910')
    .option('--slots <list>', 'occupied slots, e.g. 1=29475,2=8163')
    .option('--programming <code>', 'the programming code, or "none"')
    .option('--deleted <list>', 'codes deleted since the last factory reset, e.g. 1234,5678')
    .option('--volts <v>', 'battery volts per AA cell (fresh: 1.5)')
    .option('--programming-switch <on|off>', '955 interior programming switch');
}

function parseList(text: string, flag: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} is empty`);
  return items;
}

/** Builds the raw JSON shape from flags; parseLockState then validates it like a state file. */
export function readLockState(io: Io, opts: StateOptions): { state: LockState; model: ModelProfile } {
  let raw: Record<string, unknown>;
  if (opts.state) {
    const parsed = parseJson(readSource(io, opts.state), opts.state === '-' ? 'standard input' : opts.state);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`${opts.state}: a lock state must be a JSON object with at least "model"`);
    }
    raw = { ...(parsed as Record<string, unknown>) };
  } else raw = {};
  if (opts.model) raw.model = opts.model;
  if (raw.model === undefined) throw new UsageError('no lock model: give --model M or --state FILE');
  if (opts.slots !== undefined) {
    const slots: Record<string, string> = {};
    for (const item of parseList(opts.slots, '--slots')) {
      const m = /^([^=]+)=(.*)$/.exec(item);
      if (!m) throw new UsageError(`--slots: "${item}" is not SLOT=CODE`);
      const [, slot, code] = m as unknown as [string, string, string];
      if (slots[slot.trim()] !== undefined)
        throw new UsageError(`--slots: slot ${slot.trim()} is given twice`);
      slots[slot.trim()] = code.trim();
    }
    raw.slots = slots;
  }
  if (opts.programming !== undefined) {
    raw.programmingCode = opts.programming === 'none' ? null : opts.programming;
  }
  if (opts.deleted !== undefined) raw.deleted = parseList(opts.deleted, '--deleted');
  if (opts.volts !== undefined) {
    const v = Number(opts.volts);
    if (opts.volts.trim() === '' || !Number.isFinite(v))
      throw new UsageError(`--volts: "${opts.volts}" is not a number`);
    raw.voltsPerCell = v;
  }
  if (opts.programmingSwitch !== undefined) {
    if (!['on', 'off', 'true', 'false'].includes(opts.programmingSwitch)) {
      throw new UsageError('--programming-switch takes on or off');
    }
    raw.programmingSwitch = opts.programmingSwitch === 'on' || opts.programmingSwitch === 'true';
  }
  const where = opts.state ? (opts.state === '-' ? 'stdin' : opts.state) : 'lock state';
  const state = parseLockState(raw, where);
  return { state, model: getModel(state.model) };
}

export function parseSlot(text: string | undefined, model: ModelProfile): number | undefined {
  if (text === undefined) return undefined;
  const slot = Number(text);
  if (!/^[0-9]+$/.test(text) || slot < 1 || slot > model.slots) {
    throw new UsageError(`--slot ${text} is out of range: model ${model.id} has slots 1-${model.slots}`);
  }
  return slot;
}
