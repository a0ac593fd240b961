import type { TimerClock } from '../clock.js';
import type { LinkSignal } from './link.js';
import { radioClock } from './radio-clock.js';
import { CC, isAlarmValue, isBatteryStatusValue } from './value-ids.js';

interface ValueChange {
  commandClass: number;
  property: string | number;
  propertyKey?: string | number;
  newValue?: unknown;
}

/**
 * Turns zwave-js value changes into signals. zwave-js stores every V1 alarm as two values, type
 * then level, and then, when its device config maps the alarm, also reports it as a
 * notification. So an alarm waits briefly and is dropped if its notification follows.
 */
export const ALARM_SETTLE_MS = 50;

export class SignalDecoder {
  private readonly listeners = new Set<(signal: LinkSignal) => void>();
  private alarmType: number | undefined;
  private batteryLow = false;
  /** Cancels the alarm waiting to see whether its notification follows. */
  private pendingAlarm: (() => void) | undefined;

  constructor(private readonly clock: TimerClock = radioClock) {}

  /** A notification (or the state value a mapped alarm sets) supersedes the raw alarm. */
  private supersedeAlarm(): void {
    this.pendingAlarm?.();
    this.pendingAlarm = undefined;
  }

  notification(signal: LinkSignal & { kind: 'notification' }): void {
    this.supersedeAlarm();
    this.emit(signal);
  }

  private alarm(alarmType: number, alarmLevel: number): void {
    this.supersedeAlarm();
    this.pendingAlarm = this.clock.at(this.clock.now() + ALARM_SETTLE_MS, () => {
      this.pendingAlarm = undefined;
      this.emit({ kind: 'alarm', alarmType, alarmLevel });
    });
  }

  close(): void {
    this.supersedeAlarm();
    this.listeners.clear();
  }

  subscribe(listener: (signal: LinkSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(signal: LinkSignal): void {
    for (const listener of this.listeners) listener(signal);
  }

  value(change: ValueChange): void {
    const { commandClass, property, propertyKey, newValue } = change;
    if (isAlarmValue(commandClass, property)) {
      if (typeof newValue !== 'number') return;
      if (property === 'alarmType') this.alarmType = newValue;
      else if (this.alarmType) this.alarm(this.alarmType, newValue);
      return;
    }
    if (isBatteryStatusValue(commandClass, property, propertyKey)) {
      if (typeof newValue !== 'number') return;
      this.supersedeAlarm();
      this.emit({ kind: 'battery-status', state: newValue });
      return;
    }
    if (commandClass === CC.battery && property === 'isLow') {
      this.batteryLow = newValue === true;
      return;
    }
    if (commandClass === CC.battery && property === 'level' && typeof newValue === 'number') {
      this.emit({ kind: 'battery', percent: newValue, isLow: this.batteryLow || newValue === 0 });
    }
  }
}
