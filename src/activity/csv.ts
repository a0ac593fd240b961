import { ACTIVITY_LABELS, isActivityType } from '../core/activity/kinds.js';
import type { ActivityEvent } from '../store/activity.js';

/** One CSV field (RFC 4180), with spreadsheet formulas defused (a name starting with "="). */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = [
  'time',
  'what',
  'type',
  'lock',
  'person',
  'slot',
  'detail',
  'lock id',
  'credential id',
  'event id',
];

/** One row per event (pure); `lockName` names each lock for a reader of the file. */
export function csvRow(e: ActivityEvent, lockName: (id: string) => string | undefined): string {
  return [
    new Date(e.at).toISOString(),
    isActivityType(e.type) ? ACTIVITY_LABELS[e.type] : e.type,
    e.type,
    e.lockId ? (lockName(e.lockId) ?? '') : '',
    e.personName,
    e.slot,
    Object.keys(e.detail).length ? JSON.stringify(e.detail) : '',
    e.lockId,
    e.credentialId,
    e.id,
  ]
    .map(csvField)
    .join(',');
}
