import type { Key, ModelProfile, Signal } from '../core/catalog/types.js';
import type { LockState } from '../core/codes/lock-state.js';
import type { Clock } from '../core/ports.js';
import { createTwin, type Input, runEnd, step, type TwinState } from '../core/twin/index.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit.js';
import { redrawOnChange } from './twin-redraw.js';

interface Box {
  key: Key;
  label: string;
  row: number;
  col: number;
  width: number;
}

const systemClock: Clock = { now: () => Date.now() };

/** The keypad as the model's face shows it: 2x5 buttons, one column of 5, or a 3x4 touchscreen. */
function layout(model: ModelProfile): Box[] {
  const boxes: Box[] = [];
  const top = 4;
  if (model.keypad === 'touchscreen') {
    const grid = [
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
      ['lock', '0', 'enter'],
    ];
    for (const [r, row] of grid.entries()) {
      for (const [c, k] of row.entries()) {
        const label = k === 'enter' ? '  ⏎  ' : k === 'lock' ? ' LOCK' : `  ${k}  `;
        boxes.push({ key: k as Key, label, row: top + r * 2, col: 4 + c * 8, width: 7 });
      }
    }
  } else if (model.keypad === '5-button') {
    for (const [r, b] of model.buttons.entries()) {
      boxes.push({ key: b[0]!, label: ` ${b.join(' | ')} `, row: top + r * 2, col: 4, width: 9 });
    }
    boxes.push({ key: 'kwikset', label: 'KWIKSET', row: top + 10, col: 4, width: 9 });
  } else {
    for (const [i, b] of model.buttons.entries()) {
      const row = top + Math.floor(i / 2) * 2;
      boxes.push({ key: b[0]!, label: `  ${b[0]}  `, row, col: 4 + (i % 2) * 8, width: 7 });
    }
    boxes.push({ key: 'kwikset', label: '   KWIKSET   ', row: top + 10, col: 4, width: 15 });
  }
  boxes.push({ key: 'program', label: 'PROGRAM', row: top, col: 30, width: 9 });
  return boxes;
}

function describe(signals: readonly Signal[]): string {
  return signals
    .map((s) => ('led' in s ? `${s.led} flash ×${s.count}` : `${s.beep} beep ×${s.count}`))
    .join(', ');
}

/** SGR mouse report: ESC [ < button ; column ; row M (press) or m (release). */
const MOUSE = new RegExp(`${String.fromCharCode(27)}\\[<(\\d+);(\\d+);(\\d+)([Mm])`);

const COLOR: Record<string, string> = { green: '42', red: '41', amber: '43' };

/**
 * A keypad in the terminal: keys typed or clicked, the LED and beeps shown as they happen. Time
 * reaches the twin only as `wait` inputs measured on the clock port.
 */
export async function runInteractive(
  lock: LockState,
  model: ModelProfile,
  clock: Clock = systemClock,
): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    process.stderr.write(
      'keyward: the interactive keypad needs a terminal; for scripts use keyward twin run\n',
    );
    return EXIT_BAD_INPUT;
  }
  let state: TwinState = createTwin(lock);
  let last = clock.now();
  const log: string[] = [];
  let led: { color: string; until: number } | null = null;
  let showState = false;
  let silentDigits = '';
  const boxes = layout(model);
  const confirm: Key = model.confirmKey;

  const apply = (input: Input, label: string) => {
    const now = clock.now();
    const waited = step(state, { wait: now - last }, model);
    last = now;
    state = waited.state;
    if (waited.signals.length) announce(waited.signals, 'time');
    const r = step(state, input, model);
    state = r.state;
    announce(r.signals, label);
    draw();
  };

  const announce = (signals: readonly Signal[], label: string) => {
    const seconds = (state.at / 1000).toFixed(1).padStart(6);
    // Silent digits read better as one entry: "keys 8 1 6 3" rather than four lines.
    const digit = /^press \d$/.test(label);
    if (digit && signals.length === 0 && silentDigits && log.length) {
      silentDigits += ` ${label.slice(6)}`;
      log[log.length - 1] = `${seconds}s  ${silentDigits}`;
      return;
    }
    silentDigits = digit && signals.length === 0 ? `keys ${label.slice(6)}` : '';
    log.push(
      `${seconds}s  ${(silentDigits || label).padEnd(14)} ${signals.length ? describe(signals) : silentDigits ? '' : '·'}`,
    );
    if (log.length > 8) log.shift();
    const flash = signals.find((s): s is Extract<Signal, { led: string }> => 'led' in s);
    if (flash) led = { color: flash.led, until: clock.now() + 300 * flash.count };
    if (signals.some((s) => 'beep' in s)) stdout.write('\x07');
  };

  const show = redrawOnChange((text) => stdout.write(text));
  const draw = () => {
    // The running time is left out: it would make every tick a change. The log keeps the times.
    let screen = `\x1b[1mKwikset ${model.name}\x1b[0m — Keyward twin (${state.mode.kind === 'off' ? 'no power' : state.mode.kind === 'idle' ? 'ready' : 'programming'})\n`;
    const lit = led && led.until > clock.now() ? led : null;
    screen += `\x1b[2;4HLED ${lit ? `\x1b[${COLOR[lit.color]}m  ${lit.color.toUpperCase()}  \x1b[0m` : '[ off ]'}`;
    screen += `   bolt: ${state.bolt}   batteries: ${state.mode.kind === 'off' ? 'out' : `${state.lock.voltsPerCell.toFixed(2)} V/cell`}`;
    if (model.quirks.programmingSwitch) screen += `   switch: ${state.lock.programmingSwitch ? 'on' : 'off'}`;
    screen += `\x1b[3;4H\x1b[2mentered: ${'•'.repeat(state.buffer.length)}\x1b[0m`;
    for (const b of boxes) {
      const down = b.key === 'program' && state.programDown;
      screen += `\x1b[${b.row};${b.col}H${down ? '\x1b[7m' : ''}[${b.label}]\x1b[0m`;
    }
    screen += `\x1b[${boxes.find((b) => b.key === 'program')!.row + 1};30H\x1b[2m(interior)\x1b[0m`;
    const help = [
      'keys: 0-9 digits   k/Enter ' + confirm + '   l lock   p Program press',
      'h hold/release Program   b remove/insert batteries   + - volts',
      (model.quirks.programmingSwitch ? 'w programming switch   ' : '') +
        's show state   q quit   (click keys too)',
    ];
    help.forEach((line, i) => {
      screen += `\x1b[${17 + i};2H\x1b[2m${line}\x1b[0m`;
    });
    log.forEach((line, i) => {
      screen += `\x1b[${21 + i};2H${line}`;
    });
    if (showState) screen += `\x1b[30;2H${JSON.stringify(runEnd(state))}`;
    show(screen);
  };

  const keyFor = (ch: string): [Input, string] | null => {
    if (/^[0-9]$/.test(ch)) return [{ press: ch as Key }, `press ${ch}`];
    if (ch === 'k' || ch === '\r') return [{ press: confirm }, `press ${confirm}`];
    if (ch === 'l') return [{ press: 'lock' }, 'press lock'];
    if (ch === 'p') return [{ press: 'program' }, 'press program'];
    if (ch === 'h')
      return state.programDown
        ? [{ up: 'program' }, 'release program']
        : [{ down: 'program' }, 'hold program'];
    if (ch === 'b') {
      return state.mode.kind === 'off'
        ? [{ batteries: 'insert' }, 'insert batteries']
        : [{ batteries: 'remove' }, 'remove batteries'];
    }
    if (ch === '+' || ch === '-') {
      const v = Math.min(
        2,
        Math.max(0, Math.round((state.lock.voltsPerCell + (ch === '+' ? 0.05 : -0.05)) * 100) / 100),
      );
      return [{ volts: v }, `${v.toFixed(2)} V/cell`];
    }
    if (ch === 'w' && model.quirks.programmingSwitch) {
      return [{ switch: 'programming', on: !state.lock.programmingSwitch }, 'switch'];
    }
    return null;
  };

  return new Promise<number>((resolve) => {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    stdout.write('\x1b[?25l\x1b[?1000h\x1b[?1006h');
    const timer = setInterval(() => {
      const now = clock.now();
      const waited = step(state, { wait: now - last }, model);
      last = now;
      state = waited.state;
      if (waited.signals.length) announce(waited.signals, 'time');
      draw();
    }, 100);
    const finish = () => {
      clearInterval(timer);
      stdout.write('\x1b[?1000l\x1b[?1006l\x1b[?25h\x1b[H\x1b[2J');
      stdout.write(`${JSON.stringify(runEnd(state))}\n`);
      stdin.setRawMode(false);
      stdin.pause();
      resolve(EXIT_OK);
    };
    stdin.on('data', (data: string) => {
      // SGR mouse: ESC [ < button ; col ; row M
      const mouse = MOUSE.exec(data);
      if (mouse) {
        if (mouse[4] !== 'M' || mouse[1] !== '0') return;
        const col = Number(mouse[2]);
        const row = Number(mouse[3]);
        const hit = boxes.find((b) => b.row === row && col >= b.col && col < b.col + b.width + 2);
        if (hit) apply({ press: hit.key }, `press ${hit.key}`);
        return;
      }
      for (const ch of data) {
        if (ch === 'q' || ch === '\x03') return finish();
        if (ch === 's') {
          showState = !showState;
          draw();
          continue;
        }
        const mapped = keyFor(ch);
        if (mapped) apply(mapped[0], mapped[1]);
      }
    });
    draw();
  });
}
