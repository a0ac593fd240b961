import type { Credential, LockView, Person, Site } from '../../store/index.js';
import { iso } from './store-cli.js';

// The register's records as `--json` prints them: times in ISO 8601 rather than milliseconds.

export function siteJson(s: Site) {
  return { ...s, createdAt: iso(s.createdAt) };
}

export function lockJson(l: Omit<LockView, 'slots' | 'unplaced' | 'nextChange'> & Partial<LockView>) {
  return {
    ...l,
    batteryAt: iso(l.batteryAt),
    maintainedAt: iso(l.maintainedAt),
    createdAt: iso(l.createdAt),
    ...(l.nextChange !== undefined ? { nextChange: iso(l.nextChange) } : {}),
  };
}

export function personJson(p: Person) {
  return { ...p, createdAt: iso(p.createdAt) };
}

export function credentialJson(c: Credential) {
  return {
    ...c,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    codeSetAt: iso(c.codeSetAt),
    rotateDueAt: iso(c.rotateDueAt),
    revokedAt: iso(c.revokedAt),
    createdAt: iso(c.createdAt),
  };
}
