/** The HTTP API as the UI uses it: a bearer token, JSON in and out, errors with stable codes. */

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

/**
 * Ends the sign-in on this device. A browser signed in by the server's link holds an HttpOnly
 * session cookie that script cannot clear: the server ends the session, so the cookie is
 * refused from then on, even if it were copied. A pasted token is only forgotten here.
 */
export async function signOut(): Promise<void> {
  const token = savedToken();
  saveToken(null);
  if (token) return;
  try {
    await api('DELETE', '/api/v1/session', undefined, null);
  } catch {
    // Already ended or expired: signed out either way.
  }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = savedToken(),
): Promise<T> {
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

/**
 * The answers' types come from the server's response schemas, types only: the bundle holds
 * neither zod nor server code, and a change to a schema is a type error here.
 */
export type {
  ApiToken,
  AuditEntries,
  AuditEntry,
  AuditReport,
  Calendar,
  CalendarDetail,
  CalendarList,
  CalendarRefresh,
  Cause,
  CodePhase,
  Credential,
  CredentialList,
  Diagnosis,
  DueItem,
  LockDetail,
  LockList,
  LockRisk,
  LockSummary,
  ManualSession,
  Me,
  NewLock,
  NewToken,
  OpenSession,
  PastCredential,
  PastCredentials,
  People,
  Person,
  Role,
  SessionStep,
  SlotView,
  StatusReport,
  TokenList,
  Upcoming,
  Visit,
  ZigbeeDevices,
} from '../../src/server/api-types.js';
