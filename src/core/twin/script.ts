import type { Key, ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import type { Input } from './types.js';

const MAX_WAIT_MS = 7 * 24 * 3600 * 1000;

function bad(where: string, message: string): never {
  throw new KeywardError('BAD_SCRIPT', `${where}: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function key(value: unknown, model: ModelProfile, where: string): Key {
  if (typeof value !== 'string')
    bad(where, 'a key is a string such as "1", "program", "kwikset", "lock" or "enter"');
  if (!(model.keys as readonly string[]).includes(value)) {
    bad(where, `model ${model.id} has no key "${value}" (its keys: ${model.keys.join(', ')})`);
  }
  return value as Key;
}

/** Validates one script input against the model; nothing runs until the whole script is valid. */
export function parseInput(raw: unknown, model: ModelProfile, where: string): Input {
  if (!isRecord(raw)) bad(where, 'each input is a JSON object such as {"press": "1"}');
  const fields = Object.keys(raw);
  const only = (...allowed: string[]) => {
    for (const f of fields) if (!allowed.includes(f)) bad(where, `unexpected field "${f}"`);
  };
  if ('press' in raw) {
    only('press');
    return { press: key(raw.press, model, where) };
  }
  if ('down' in raw) {
    only('down');
    return { down: key(raw.down, model, where) };
  }
  if ('up' in raw) {
    only('up');
    return { up: key(raw.up, model, where) };
  }
  if ('wait' in raw) {
    only('wait');
    const ms = raw.wait;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) bad(where, '"wait" takes a number of milliseconds');
    if (ms < 0) bad(where, `"wait" cannot be negative (${ms})`);
    if (ms > MAX_WAIT_MS) bad(where, `"wait" of ${ms} ms is longer than a week`);
    return { wait: ms };
  }
  if ('batteries' in raw) {
    only('batteries');
    if (raw.batteries !== 'remove' && raw.batteries !== 'insert')
      bad(where, '"batteries" takes "remove" or "insert"');
    return { batteries: raw.batteries };
  }
  if ('volts' in raw) {
    only('volts');
    const v = raw.volts;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 2) {
      bad(where, '"volts" takes the volts per AA cell, between 0 and 2');
    }
    return { volts: v };
  }
  if ('switch' in raw) {
    only('switch', 'on');
    if (raw.switch !== 'programming') bad(where, '"switch" takes "programming"');
    if (typeof raw.on !== 'boolean') bad(where, '"on" must be true or false');
    if (!model.quirks.programmingSwitch) bad(where, `model ${model.id} has no programming switch`);
    return { switch: 'programming', on: raw.on };
  }
  bad(
    where,
    `unknown input ${JSON.stringify(raw).slice(0, 60)}: use press, down, up, wait, batteries, volts or switch`,
  );
}

/** A script is a JSON array of inputs, or one JSON input per line. */
export function parseScript(text: string, model: ModelProfile): Input[] {
  const trimmed = text.trim();
  if (trimmed === '') bad('script', 'is empty');
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      bad('script', `is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) bad('script', 'must be a JSON array of inputs');
    return parsed.map((raw, i) => parseInput(raw, model, `input ${i + 1}`));
  }
  const inputs: Input[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      bad(`line ${i + 1}`, `is not valid JSON: ${(e as Error).message}`);
    }
    inputs.push(parseInput(raw, model, `line ${i + 1}`));
  });
  return inputs;
}
