import type { Signal } from '../../core/catalog/types.js';
import { describeSignals, type Guide } from '../../core/guide/index.js';
import { inputWords } from './guide-text.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function signalChips(signals: Signal[]): string {
  if (signals.length === 0) return '<span class="none">—</span>';
  return signals
    .map((s) =>
      'led' in s
        ? `<span class="led ${s.led}" title="${s.count} ${s.led} flash">${'●'.repeat(Math.min(s.count, 5))}${s.count > 5 ? `×${s.count}` : ''}</span>`
        : `<span class="beep ${s.beep}">${s.beep === 'long' ? '▬' : '♪'.repeat(Math.min(s.count, 5))}${s.count > 5 ? `×${s.count}` : ''}</span>`,
    )
    .join(' ');
}

/** A printable one-page card to keep by the door while programming. */
export function guideCard(guide: Guide): string {
  const steps = guide.steps
    .map(
      (s) => `<li>
      <div class="instr">${esc(s.instruction)}</div>
      <div class="keys">${s.inputs.map((i) => `<kbd>${esc(inputWords(i))}</kbd>`).join('')}</div>
      <div class="expect">expect ${signalChips(s.expect)} <span class="words">${esc(s.expect.length ? describeSignals(s.expect) : 'nothing yet')}</span></div>
      ${s.ifDifferent ? `<div class="if">If not: ${esc(s.ifDifferent)}</div>` : ''}
    </li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(guide.title)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font: 13px/1.4 system-ui, "DejaVu Sans", sans-serif; color: #111; max-width: 180mm; margin: 0 auto; }
  h1 { font-size: 19px; margin: 0 0 4px; } .sub { color: #555; margin-bottom: 10px; }
  h2 { font-size: 14px; margin: 12px 0 4px; border-bottom: 2px solid #111; }
  ul.pre { list-style: none; padding: 0; margin: 0; } ul.pre li::before { content: "☐ "; font-size: 15px; }
  ol { padding-left: 22px; margin: 0; } ol li { margin: 0 0 8px; break-inside: avoid; }
  kbd { display: inline-block; border: 1px solid #333; border-radius: 4px; padding: 0 5px; margin: 2px 3px 0 0; font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: #f4f4f4; }
  .expect { margin-top: 2px; } .words { color: #444; }
  .led { font-size: 15px; } .led.green { color: #0a8f2a; } .led.red { color: #c81e1e; } .led.amber { color: #d98b00; }
  .beep { font-weight: bold; } .if { color: #7a4a00; font-size: 12px; } .none { color: #999; }
  .notes li { margin-bottom: 2px; } footer { margin-top: 10px; color: #666; font-size: 11px; }
</style></head>
<body>
  <h1>${esc(guide.title)}</h1>
  <div class="sub">Kwikset ${esc(guide.model)} · proven step by step on the Keyward twin</div>
  <h2>Before you start</h2>
  <ul class="pre">${guide.preconditions.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
  <h2>Steps</h2>
  <ol>${steps}</ol>
  ${guide.notes.length ? `<h2>Notes</h2><ul class="notes">${guide.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
  <footer>Green flash + 1-2 beeps: success. Red flash + 3 beeps: refused or out of sequence. No response: batteries.</footer>
</body></html>
`;
}
