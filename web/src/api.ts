/** The HTTP API as the UI uses it: a bearer token, JSON in and out, errors with stable codes. */

import type { Signal } from '../../src/core/catalog/types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const KEY = 'keyward.token';

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
}

export function saveToken(token: string | null, remember = false): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
  if (token) (remember ? localStorage : sessionStorage).setItem(KEY, token);
}

export async function api<T>(method: string, path: string, body?: unknown, token = savedToken()): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const e = (data as { error?: { code: string; message: string; details?: Record<string, unknown> } })
      ?.error;
    throw new ApiError(res.status, e?.code ?? 'INTERNAL', e?.message ?? res.statusText, e?.details);
  }
  return data as T;
}

export type SlotStatus = 'unset' | 'setting' | 'set' | 'removing' | 'removed';

export interface Battery {
  voltsPerCell: number;
  at: number | null;
  level: 'ok' | 'replace' | 'weak' | 'dead';
}

export interface LockSummary {
  id: string;
  siteId: string;
  name: string;
  model: string;
  driver: string;
  battery: Battery | null;
  sync: {
    state: 'in-sync' | 'syncing' | 'attention' | 'empty';
    unset?: number;
    set?: number;
    error?: number;
  };
}

export interface LockDetail extends Omit<LockSummary, 'sync'> {
  slots: {
    slot: number;
    credentialId: string | null;
    name: string | null;
    status: SlotStatus | 'unmanaged';
    error: string | null;
  }[];
  unplaced: string[];
  nextChange: number | null;
}

export interface Exposure {
  length: number;
  keyspace: number;
  codes: number;
  guessesExpected: number;
  triesPerHour: number;
  expectedHours: number;
}

export interface LockRisk {
  deletedCodes: { id: string; deletedAt: number }[];
  codesOnLock: number;
  exposure: Exposure | null;
}

export interface Credential {
  id: string;
  personId: string | null;
  name: string;
  kind: 'permanent' | 'guest';
  startsAt: number | null;
  endsAt: number | null;
  revokedAt: number | null;
  code?: string;
  locks: { lockId: string; lockName: string; slot: number; status: SlotStatus; error: string | null }[];
}

export interface Person {
  id: string;
  name: string;
  siteId: string | null;
}

export interface DueItem {
  kind: 'guest-departure' | 'rotation' | 'battery' | 'maintenance';
  subject: { type: 'credential' | 'lock'; id: string; name: string };
  dueAt: number;
  overdue: boolean;
  message: string;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

export interface Cause {
  id: string;
  likelihood: number;
  explanation: string;
  fix: string[];
  basis: 'confirmed' | 'possible';
}

export interface Diagnosis {
  symptom: string;
  causes: Cause[];
  quickFix: string[];
}

export interface SessionStep {
  n: number;
  instruction: string;
  /** Key presses; empty unless the session was revealed (they spell the code). */
  inputs: unknown[];
  expect: Signal[];
  ifDifferent?: string;
}

export interface ManualSession {
  id: string;
  lockId: string;
  status: 'active' | 'paused' | 'needs-help' | 'done' | 'abandoned';
  stepNumber: number;
  totalSteps: number;
  op: { op: 'add' | 'delete'; slot: number; index: number; count: number } | null;
  step: SessionStep | null;
  symptom: string | null;
  ops: {
    op: 'add' | 'delete';
    slot: number;
    credentialId: string | null;
    name: string | null;
    firstStep: number;
    steps: SessionStep[];
  }[];
  revealed: boolean;
  diagnosis: Diagnosis | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: 'admin' | 'manager' | 'viewer';
  createdAt: number;
  revokedAt: number | null;
}
