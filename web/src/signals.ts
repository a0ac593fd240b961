import type { Signal } from '../../src/core/catalog/types.js';

/** What the lock shows, played in order: LED flashes and beeps as the real keypad gives them. */
export type Led = 'green' | 'red' | 'amber' | null;

let audio: AudioContext | null = null;

function ctx(): AudioContext | null {
  if (typeof window.AudioContext === 'undefined') return null;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
  return audio;
}

function beep(ac: AudioContext, at: number, seconds: number): void {
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  osc.type = 'square';
  osc.frequency.value = 2700;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.08, at + 0.01);
  gain.gain.setValueAtTime(0.08, at + seconds - 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
  osc.connect(gain).connect(ac.destination);
  osc.start(at);
  osc.stop(at + seconds + 0.02);
}

const FLASH_MS = 220;
const SHORT_S = 0.12;
const LONG_S = 0.7;

/**
 * Schedules the signals and calls setLed as the LED turns on and off. Returns how long the show
 * lasts, so the caller can wait for it. Sound only plays after a user gesture (browser rule).
 */
export function play(signals: readonly Signal[], setLed: (led: Led) => void, sound: boolean): number {
  const ac = sound ? ctx() : null;
  let t = 0;
  for (const s of signals) {
    if ('led' in s) {
      for (let i = 0; i < s.count; i++) {
        const on = t;
        setTimeout(() => setLed(s.led), on);
        setTimeout(() => setLed(null), on + FLASH_MS);
        t += FLASH_MS * 2;
      }
    } else {
      const len = s.beep === 'long' ? LONG_S : SHORT_S;
      for (let i = 0; i < s.count; i++) {
        if (ac) beep(ac, ac.currentTime + t / 1000, len);
        t += len * 1000 + 120;
      }
    }
  }
  return t;
}
