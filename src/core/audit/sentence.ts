/**
 * The audit log in a host's words: one sentence per entry, with the names of the people, codes
 * and locks instead of their ids ("Ana's code set on Front door"). Pure: the names come in.
 */

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

export interface AuditNames {
  locks: ReadonlyMap<string, string>;
  people: ReadonlyMap<string, string>;
  credentials: ReadonlyMap<string, { name: string; personId: string | null; lockIds: readonly string[] }>;
  /** API tokens by id, for "who" (only an admin can list them). */
  tokens: ReadonlyMap<string, string>;
  /** Which credential each sync op carried (from the send entries; see opHolders). */
  ops?: ReadonlyMap<string, string>;
}

interface SyncOp {
  op?: unknown;
  opId?: unknown;
  credentialId?: unknown;
}

/**
 * The credential each sync op carried: a send names it, its confirmation only names the op, so
 * "Ana's code set on Front door" comes from pairing the two.
 */
export function opHolders(rows: readonly AuditRow[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows) {
    if (r.action !== 'sync.send' || !Array.isArray(r.detail.ops)) continue;
    for (const o of r.detail.ops as SyncOp[]) {
      if (typeof o.opId === 'string' && typeof o.credentialId === 'string') out.set(o.opId, o.credentialId);
    }
  }
  return out;
}

/** What a host filters the log by. */
export const AUDIT_KINDS = ['codes', 'locks', 'people', 'keypad', 'access', 'sync', 'other'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const AUDIT_KIND_WORDS: Record<AuditKind, string> = {
  codes: 'Codes',
  locks: 'Locks',
  people: 'People',
  keypad: 'At the keypad',
  access: 'Sign-in and looking at codes',
  sync: 'Sync steps',
  other: 'Other',
};

export interface AuditLine {
  seq: number;
  at: number;
  who: string;
  text: string;
  kind: AuditKind;
  lockIds: string[];
  personIds: string[];
}

function kindOf(action: string): AuditKind {
  if (action === 'credential.reveal' || action === 'manual.reveal' || action.startsWith('token.'))
    return 'access';
  if (action.startsWith('credential.')) return 'codes';
  if (action.startsWith('sync.') || action === 'slot.status' || action.startsWith('lease.')) return 'sync';
  if (action.startsWith('manual.')) return 'keypad';
  if (action.startsWith('person.')) return 'people';
  if (action.startsWith('lock.') || action.startsWith('zwave.')) return 'locks';
  return 'other';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Who did it: the token's name where known, Keyward itself for what sync and the server do. */
export function whoDid(actor: string, names: AuditNames): string {
  if (actor === 'server' || actor === 'sync') return 'Keyward';
  if (actor === 'cli') return 'The command line';
  if (actor.startsWith('token:')) {
    const name = names.tokens.get(actor.slice(6));
    return name ? `${name} (token)` : 'An API token';
  }
  return actor;
}

const STATUS_WORDS: Record<string, string> = {
  unset: 'waiting to go on',
  setting: 'being set on',
  set: 'set on',
  removing: 'being removed from',
  removed: 'removed from',
};

/** One entry as a sentence, with what the filters need to know of it. */
export function auditLine(e: AuditRow, names: AuditNames): AuditLine {
  const d = e.detail;
  const lockName = (id: string | undefined) =>
    id ? (names.locks.get(id) ?? 'a lock since removed') : 'a lock';
  const cred = e.subjectType === 'credential' ? names.credentials.get(e.subjectId) : undefined;
  const personOf = cred?.personId ?? str(d.personId) ?? null;
  const person = personOf ? names.people.get(personOf) : undefined;
  const credName = cred?.name ?? str(d.name);
  // "Ana's code", or the code's own name when nobody holds it.
  const whose = person
    ? `${person}’s code${credName && credName !== person ? ` “${credName}”` : ''}`
    : credName
      ? `the code “${credName}”`
      : 'a code';
  const whoseId = (id: string) => {
    const c = names.credentials.get(id);
    const p = c?.personId ? names.people.get(c.personId) : undefined;
    return p ? `${p}’s code` : c ? `the code “${c.name}”` : 'a code since removed';
  };
  const syncOps = (Array.isArray(d.ops) ? d.ops : []) as SyncOp[];
  const opCredential = (o: SyncOp) =>
    str(o.credentialId) ?? (typeof o.opId === 'string' ? names.ops?.get(o.opId) : undefined);
  const opCredentials = syncOps.map(opCredential).filter((x): x is string => !!x);
  const lockId = str(d.lockId) ?? (e.subjectType === 'lock' ? e.subjectId : undefined);
  const lockIds = lockId
    ? [lockId]
    : Array.isArray(d.locks)
      ? d.locks.map((l) => str((l as { lockId?: unknown }).lockId)).filter((x): x is string => !!x)
      : [...(cred?.lockIds ?? [])];
  const on = lockIds.length ? lockIds.map(lockName).join(', ') : 'its locks';
  const slot = typeof d.slot === 'number' ? ` (slot ${d.slot})` : '';
  const lockNamed = lockName(lockId);
  const personName = e.subjectType === 'person' ? (str(d.name) ?? names.people.get(e.subjectId)) : undefined;

  const texts: Record<string, () => string> = {
    'credential.add': () => `${cap(whose)} added for ${on}`,
    'credential.update': () => `${cap(whose)} changed`,
    'credential.edit': () => `${cap(whose)} changed`,
    'credential.revoke': () =>
      `${cap(whose)} revoked${d.reason === 'person removed' ? ' (its holder was removed)' : ''}`,
    'credential.rotate': () => `${cap(whose)} replaced by a new code`,
    'credential.use': () => `${cap(whose)} opened ${lockNamed}`,
    'credential.adopt': () => `A code found on ${lockNamed}${slot} kept as ${whose}`,
    'credential.remove-unmanaged': () => `A code nobody registered removed from ${lockNamed}${slot}`,
    'credential.reveal': () => `${cap(whose)} shown on screen`,
    'slot.status': () => `${cap(whose)} ${STATUS_WORDS[str(d.status) ?? ''] ?? 'changed on'} ${lockNamed}`,
    'sync.blocked': () => `${cap(whose)} cannot go on ${lockNamed}${slot}`,
    'sync.moved': () =>
      `${cap(whose)} moved on ${lockNamed} from slot ${d.from} to slot ${d.to}: its slot is taken`,
    'sync.removed': () => `${cap(whose)} is no longer on ${lockNamed}`,
    'sync.send': () => opsWords(syncOps, opCredential, whoseId, lockNamed, 'sent'),
    'sync.confirmed': () => opsWords(syncOps, opCredential, whoseId, lockNamed, 'done'),
    'sync.failed': () => `A change to ${lockNamed}${slot} failed${str(d.message) ? `: ${d.message}` : ''}`,
    'sync.read': () => `${lockNamed} read: ${count(Number(d.occupied) || 0, 'slot')} in use`,
    'sync.unreachable': () => `${lockNamed} did not answer${str(d.message) ? `: ${d.message}` : ''}`,
    'lock.add': () => `Lock ${str(d.name) ?? lockNamed} added (model ${str(d.model) ?? '?'})`,
    'lock.remove': () => `Lock ${lockNamed} removed`,
    'lock.battery': () =>
      typeof d.voltsPerCell === 'number'
        ? `Battery of ${lockNamed} read at ${d.voltsPerCell.toFixed(2)} V per cell`
        : `Battery of ${lockNamed} read`,
    'lock.maintained': () => `${lockNamed} looked after (monthly checks done)`,
    'manual.open': () => `Keypad steps ready for ${lockNamed}`,
    'manual.step': () => `A keypad step done at ${lockNamed}`,
    'manual.confirmed': () => `A change at the keypad of ${lockNamed}${slot} confirmed`,
    'manual.done': () => `Every keypad change at ${lockNamed} done`,
    'manual.problem': () => `The keypad of ${lockNamed} showed something else`,
    'manual.abandon': () => `Keypad steps at ${lockNamed} given up`,
    'manual.reveal': () => `The codes in the keypad steps for ${lockNamed} shown on screen`,
    'person.add': () => `${personName ?? 'Someone'} added`,
    'person.rename': () => `Person renamed ${personName ?? ''}`.trim(),
    'person.remove': () => `${names.people.get(e.subjectId) ?? 'A person'} removed`,
    'token.create': () => `${aToken(d.role)} created`,
    'token.import': () => `${aToken(d.role)} imported`,
    'token.revoke': () => `${aToken(d.role)} revoked`,
    'site.add': () => `Site ${str(d.name) ?? ''} added`,
    'site.remove': () => 'A site removed',
    'zwave.adopt': () => `${lockNamed} taken over from Z-Wave`,
  };
  const opPeople = opCredentials
    .map((id) => names.credentials.get(id)?.personId)
    .filter((x): x is string => !!x);
  const personIds = personOf
    ? [personOf]
    : e.subjectType === 'person'
      ? [e.subjectId]
      : [...new Set(opPeople)];
  const words = texts[e.action]?.() ?? generic(e.action, lockId ? lockNamed : undefined);
  return {
    seq: e.seq,
    at: e.at,
    who: whoDid(e.actor, names),
    text: `${cap(words)}.`,
    kind: kindOf(e.action),
    lockIds,
    personIds,
  };
}

/** "lock.jammed" on Front door -> "Front door: jammed", for actions this table does not word. */
function generic(action: string, lock: string | undefined): string {
  const what = action.split('.').slice(1).join(' ').replace(/[-_]/g, ' ') || action;
  return lock ? `${lock}: ${what}` : what;
}

/** "An admin token", "A viewer token". */
function aToken(role: unknown): string {
  const r = typeof role === 'string' ? role : '';
  return r ? `${/^[aeiou]/.test(r) ? 'An' : 'A'} ${r} token` : 'A token';
}

/**
 * Sync ops in words: "Ana’s code set on Front door", "Kim’s code removed from Front door", or
 * "3 changes sent to Front door" when there are more than two.
 */
function opsWords(
  ops: readonly SyncOp[],
  credentialOf: (o: SyncOp) => string | undefined,
  whose: (id: string) => string,
  lock: string,
  stage: 'sent' | 'done',
): string {
  if (ops.length === 0 || ops.length > 2) {
    return stage === 'sent'
      ? `${count(ops.length, 'change')} sent to ${lock}`
      : `${count(ops.length, 'change')} confirmed by ${lock}`;
  }
  return ops
    .map((o) => {
      const id = credentialOf(o);
      const who = id ? whose(id) : 'a code';
      if (o.op === 'set-programming')
        return stage === 'sent' ? `New programming code sent to ${lock}` : `Programming code set on ${lock}`;
      if (o.op === 'delete')
        return stage === 'sent' ? `Removing ${who} from ${lock}` : `${cap(who)} removed from ${lock}`;
      return stage === 'sent' ? `${cap(who)} sent to ${lock}` : `${cap(who)} set on ${lock}`;
    })
    .join('; ');
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function count(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

export type AuditItem = { line: AuditLine } | { sync: AuditLine[] };

/**
 * Runs of sync steps folded into one item ("12 sync steps"), so that what people did stands out;
 * a lone sync step stays a line.
 */
export function foldSync(lines: readonly AuditLine[]): AuditItem[] {
  const out: AuditItem[] = [];
  let run: AuditLine[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ line: run[0]! });
    else if (run.length > 1) out.push({ sync: run });
    run = [];
  };
  for (const l of lines) {
    if (l.kind === 'sync') run.push(l);
    else {
      flush();
      out.push({ line: l });
    }
  }
  flush();
  return out;
}

export interface AuditFilter {
  lockId?: string;
  personId?: string;
  kind?: AuditKind;
}

export function matches(l: AuditLine, f: AuditFilter): boolean {
  return (
    (!f.lockId || l.lockIds.includes(f.lockId)) &&
    (!f.personId || l.personIds.includes(f.personId)) &&
    (!f.kind || l.kind === f.kind)
  );
}
