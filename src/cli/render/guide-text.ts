import type { Signal } from '../../core/catalog/types.js';
import { describeSignals, type Guide, type GuideResult } from '../../core/guide/index.js';
import type { Input } from '../../core/twin/index.js';
import { type Io, paint } from '../io.js';

export function inputWords(input: Input): string {
  if ('press' in input) return input.press;
  if ('down' in input) return `hold ${input.down}`;
  if ('up' in input) return `release ${input.up}`;
  if ('wait' in input) return `wait ${input.wait / 1000} s`;
  if ('batteries' in input) return `${input.batteries} batteries`;
  if ('volts' in input) return `${input.volts} V per cell`;
  return `programming switch ${input.on ? 'on' : 'off'}`;
}

function keys(inputs: Input[]): string {
  return inputs.map(inputWords).join(' ');
}

function expectWords(signals: Signal[]): string {
  return signals.length ? describeSignals(signals) : 'nothing yet';
}

export function guideText(io: Io, guide: Guide): string {
  const lines = [paint(io, 'bold', guide.title), '', paint(io, 'bold', 'Before you start:')];
  for (const p of guide.preconditions) lines.push(`  [ ] ${p}`);
  lines.push('', paint(io, 'bold', 'Steps:'));
  for (const s of guide.steps) {
    lines.push(`  ${paint(io, 'cyan', `${s.n}.`)} ${s.instruction}`);
    lines.push(paint(io, 'dim', `     keys: ${keys(s.inputs)}   expect: ${expectWords(s.expect)}`));
    if (s.ifDifferent) lines.push(paint(io, 'yellow', `     if not: ${s.ifDifferent}`));
  }
  if (guide.notes.length) {
    lines.push('', paint(io, 'bold', 'Notes:'));
    for (const n of guide.notes) lines.push(`  - ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

export function guideMarkdown(guide: Guide): string {
  const lines = [`# ${guide.title}`, '', '## Before you start', ''];
  for (const p of guide.preconditions) lines.push(`- [ ] ${p}`);
  lines.push('', '## Steps', '');
  for (const s of guide.steps) {
    lines.push(`${s.n}. ${s.instruction}  `);
    lines.push(`   Keys: \`${keys(s.inputs)}\` — expect: ${expectWords(s.expect)}.`);
    if (s.ifDifferent) lines.push(`   *If not:* ${s.ifDifferent}`);
  }
  if (guide.notes.length) {
    lines.push('', '## Notes', '');
    for (const n of guide.notes) lines.push(`- ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

export function refusalText(io: Io, result: Extract<GuideResult, { ok: false }>): string {
  const lines = [`${paint(io, 'red', 'NO GUIDE')}  this would fail on the ${result.model} as it is now:`];
  result.reasons.forEach((r, i) => {
    lines.push(`  - ${r.message} [${r.rule}]`);
    lines.push(`    fix: ${result.fixes[i]}`);
  });
  return `${lines.join('\n')}\n`;
}
