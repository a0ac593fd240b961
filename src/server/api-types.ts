import { z } from 'zod';
import { ACCESS_CODE_ERRORS, SLOT_STATUSES } from '../core/access/lifecycle.js';
import { LOCK_STATES, PROBLEM_CODES, SLOT_PHASES, UPCOMING_KINDS } from '../core/access/lock-state.js';
import { SYMPTOMS } from '../core/diagnose/types.js';
import { AUDIT_PROBLEMS, DRIVERS, ROLES } from '../store/kinds.js';

/**
 * What the API answers, as zod schemas. The routes declare them as their `response` (route()
 * checks every handler returns that shape, and the OpenAPI document shows it); the web UI takes
 * their types with `import type`, so its bundle holds neither zod nor server code. This module
 * therefore imports nothing with I/O: only zod and the pure vocabularies.
 */

export const SYNC_STATES = ['in-sync', 'syncing', 'attention', 'empty'] as const;
export const BATTERY_LEVELS = ['ok', 'replace', 'weak', 'dead'] as const;
export const SESSION_STATUSES = ['active', 'paused', 'needs-help', 'done', 'abandoned'] as const;

const Removed = z.object({ id: z.string(), removed: z.literal(true) });

export const MeOut = z.object({ tokenId: z.string(), role: z.enum(ROLES) });

export const TokenOut = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
export const TokenListOut = z.object({ tokens: z.array(TokenOut) });
export const NewTokenOut = z.object({ id: z.string(), token: z.string().describe('shown once') });

export const BatteryOut = z.object({
  voltsPerCell: z.number(),
  at: z.number().nullable(),
  level: z.enum(BATTERY_LEVELS),
});

export const LockOut = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  model: z.string(),
  driver: z.enum(DRIVERS),
  hasProgrammingCode: z.boolean(),
  battery: BatteryOut.nullable(),
  version: z.number(),
  createdAt: z.number(),
});

export const SyncOut = z.object({
  state: z.enum(SYNC_STATES),
  unset: z.number().optional(),
  setting: z.number().optional(),
  set: z.number().optional(),
  removing: z.number().optional(),
  error: z.number().optional(),
});
/** Issue 15: the lock's state in a host's terms, what is coming, and the visits it needs. */
export const ProblemOut = z.object({ code: z.enum(PROBLEM_CODES), message: z.string() });
export const UpcomingOut = z.object({
  at: z.number(),
  kind: z.enum(UPCOMING_KINDS),
  credentialId: z.string(),
  name: z.string(),
});
export const VisitOut = z.object({
  credentialId: z.string(),
  name: z.string(),
  action: z.enum(['add', 'remove']),
  at: z.number().nullable().describe('null: due now'),
  when: z.enum(['now', 'before', 'after']),
});
export const CodePhaseOut = z.object({
  credentialId: z.string(),
  name: z.string(),
  slot: z.number(),
  phase: z.enum(SLOT_PHASES),
  problem: z.string().nullable(),
  from: z.number().nullable().describe('scheduled: when it goes on'),
});
const LockStateFields = {
  state: z.enum(LOCK_STATES),
  problem: ProblemOut.optional().describe('with state "problem": the reason in plain words'),
  upcoming: z.array(UpcomingOut).describe('the next 7 days: at most 6 per lock in the list, 20 on the lock'),
  visits: z.array(VisitOut).describe('keypad-only locks: the trips to the door to make'),
};
export const LockSummaryOut = LockOut.extend({
  sync: SyncOut,
  ...LockStateFields,
  codes: z.array(CodePhaseOut).optional().describe('with ?codes=true: where each code stands'),
});
export const LockListOut = z.object({ locks: z.array(LockSummaryOut) });

export const SlotOut = z.object({
  slot: z.number(),
  credentialId: z.string().nullable(),
  name: z.string().nullable(),
  status: z.enum([...SLOT_STATUSES, 'unmanaged']),
  error: z.enum(ACCESS_CODE_ERRORS).nullable(),
  phase: z.enum(SLOT_PHASES).optional().describe('where the code stands, as the lock state sees it'),
  problem: z.string().nullable().optional().describe("the slot's problem in plain words"),
});
export const NewLockOut = LockOut.extend({ slots: z.array(SlotOut) });
export const LockDetailOut = NewLockOut.extend({
  unplaced: z.array(z.string()).describe('active codes that found no slot'),
  nextChange: z.number().nullable().describe('when the desired slots next change'),
  ...LockStateFields,
  scheduled: z.array(CodePhaseOut).describe('codes whose stay or window starts later: their slot is kept'),
});
export const LockRemovedOut = Removed;

export const ExposureOut = z.object({
  length: z.number(),
  keyspace: z.number(),
  codes: z.number(),
  guessesExpected: z.number(),
  triesPerHour: z.number(),
  expectedHours: z.number(),
});
export const LockRiskOut = z.object({
  deletedCodes: z.array(z.object({ id: z.string(), deletedAt: z.number() })),
  codesOnLock: z.number(),
  exposure: ExposureOut.nullable(),
});

export const CredentialOut = z.object({
  id: z.string(),
  personId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['permanent', 'guest']),
  startsAt: z.number().nullable(),
  endsAt: z.number().nullable(),
  windows: z
    .array(z.object({ days: z.array(z.number()), startMinute: z.number(), endMinute: z.number() }))
    .optional()
    .describe('weekly hours in the site time zone; empty: at all hours'),
  useLimit: z.number().nullable().optional().describe('the use limit (maxUses when editing); null: none'),
  uses: z.number().optional(),
  revokedAt: z.number().nullable(),
  version: z.number(),
  code: z.string().optional().describe('only when generated or revealed'),
  locks: z.array(
    z.object({
      lockId: z.string(),
      lockName: z.string(),
      slot: z.number(),
      status: z.enum(SLOT_STATUSES),
      error: z.enum(ACCESS_CODE_ERRORS).nullable(),
    }),
  ),
  source: z
    .object({ calendarId: z.string(), bookingKey: z.string() })
    .nullable()
    .optional()
    .describe('the calendar booking this code was made for (GET /api/v1/credentials/{id})'),
});
export const CredentialListOut = z.object({ credentials: z.array(CredentialOut) });

export const PersonOut = z.object({ id: z.string(), name: z.string(), siteId: z.string().nullable() });
export const PeopleOut = z.object({ people: z.array(PersonOut) });
export const PastCredentialOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['permanent', 'guest']),
  personName: z.string().nullable(),
  startsAt: z.number().nullable(),
  endsAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  removedAt: z.number().nullable().describe('when the last lock confirmed it gone; null: being removed'),
  lockNames: z.array(z.string()),
});
export const PastCredentialsOut = z.object({ past: z.array(PastCredentialOut) });
export const PersonRemovedOut = Removed.extend({
  revoked: z.array(z.string()).describe('credentials revoked'),
});

export const DueItemOut = z.object({
  kind: z.enum(['guest-departure', 'rotation', 'battery', 'maintenance']),
  subject: z.object({ type: z.enum(['credential', 'lock']), id: z.string(), name: z.string() }),
  dueAt: z.number(),
  overdue: z.boolean(),
  message: z.string(),
});
export const StatusOut = z.object({
  at: z.number(),
  horizonMs: z.number(),
  items: z.array(DueItemOut),
  counts: z.record(z.string(), z.number()).describe('items of each kind, and overdue'),
});

export const AuditEntryOut = z.object({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export const AuditPageOut = z.object({ entries: z.array(AuditEntryOut) });
export const AuditReportOut = z.object({
  ok: z.boolean(),
  rows: z.number(),
  problems: z.array(z.object({ seq: z.number(), problem: z.enum(AUDIT_PROBLEMS), message: z.string() })),
});

export const SignalOut = z.union([
  z.object({ led: z.enum(['green', 'red', 'amber']), count: z.number() }),
  z.object({ beep: z.enum(['short', 'long']), count: z.number() }),
]);

export const CauseOut = z.object({
  id: z.string(),
  likelihood: z.number().describe('0..1'),
  explanation: z.string(),
  fix: z.array(z.string()),
  basis: z.enum(['confirmed', 'possible']),
  source: z.enum(['guide', 'field']),
});
export const DiagnosisOut = z.object({
  symptom: z.enum(SYMPTOMS),
  model: z.string(),
  causes: z.array(CauseOut),
  quickFix: z.array(z.string()),
  basedOn: z
    .object({
      lockId: z.string(),
      lockName: z.string(),
      codes: z.number(),
      deleted: z.number(),
      programmingCode: z.enum(['known', 'unknown', 'none']),
      voltsPerCell: z.number().nullable(),
      unknown: z.array(z.string()),
    })
    .optional()
    .describe('what Keyward knew of the lock (with lockId)'),
});

export const SessionStepOut = z.object({
  n: z.number(),
  instruction: z.string(),
  inputs: z.array(z.unknown()).describe('key presses; empty unless revealed (they spell the code)'),
  expect: z.array(SignalOut),
  ifDifferent: z.string().optional(),
});
const SessionOpKind = z.enum(['add', 'delete']);
export const ManualSessionOut = z
  .object({
    id: z.string(),
    lockId: z.string(),
    status: z.enum(SESSION_STATUSES),
    stepNumber: z.number(),
    totalSteps: z.number(),
    op: z.object({ op: SessionOpKind, slot: z.number(), index: z.number(), count: z.number() }).nullable(),
    step: SessionStepOut.nullable().describe('the step to do now (codes masked unless revealed)'),
    symptom: z.enum(SYMPTOMS).nullable(),
    ops: z.array(
      z.object({
        op: SessionOpKind,
        slot: z.number(),
        credentialId: z.string().nullable(),
        name: z.string().nullable(),
        firstStep: z.number(),
        steps: z.array(SessionStepOut),
      }),
    ),
    revealed: z
      .boolean()
      .describe('whether steps carry their codes and key presses (?reveal=true, manager and up)'),
    diagnosis: DiagnosisOut.nullable(),
  })
  .describe('a guide session of a manual lock');
export const OpenSessionOut = z.object({ session: ManualSessionOut.nullable() });

export type Me = z.output<typeof MeOut>;
export type Role = Me['role'];
export type ApiToken = z.output<typeof TokenOut>;
export type TokenList = z.output<typeof TokenListOut>;
export type NewToken = z.output<typeof NewTokenOut>;
export type Battery = z.output<typeof BatteryOut>;
const ZigbeeDeviceOut = z.object({
  device: z.string().describe("the friendly name: a zigbee2mqtt lock's device"),
  ieeeAddress: z.string(),
  modelId: z.string().nullable().describe('what the lock reports, e.g. SMARTCODE_DEADBOLT_5'),
  z2mModel: z.string().nullable().describe("Zigbee2MQTT's model, e.g. 99100-045"),
  candidates: z.array(z.string()).describe('catalog models, likeliest first'),
  exact: z.boolean().describe('false: a Kwikset id Keyward does not know; every Zigbee model is offered'),
  codes: z.boolean().describe('Zigbee2MQTT can set codes on it'),
  exposePin: z.boolean().describe("codes can be read back (the device's expose_pin option)"),
  lockId: z.string().nullable().describe('the register lock for this device, if already added'),
});
export const ZigbeeDevicesOut = z.object({ devices: z.array(ZigbeeDeviceOut) });

export type LockSummary = z.output<typeof LockSummaryOut>;
export type ZigbeeDevices = z.output<typeof ZigbeeDevicesOut>;
export type Upcoming = z.output<typeof UpcomingOut>;
export type Visit = z.output<typeof VisitOut>;
export type CodePhase = z.output<typeof CodePhaseOut>;
export type LockList = z.output<typeof LockListOut>;
export type LockDetail = z.output<typeof LockDetailOut>;
export type NewLock = z.output<typeof NewLockOut>;
export type SlotView = z.output<typeof SlotOut>;
export type Exposure = z.output<typeof ExposureOut>;
export type LockRisk = z.output<typeof LockRiskOut>;
export type Credential = z.output<typeof CredentialOut>;
export type CredentialList = z.output<typeof CredentialListOut>;
export type Person = z.output<typeof PersonOut>;
export type People = z.output<typeof PeopleOut>;
export type PastCredential = z.output<typeof PastCredentialOut>;
export type PastCredentials = z.output<typeof PastCredentialsOut>;
export type DueItem = z.output<typeof DueItemOut>;
export type StatusReport = z.output<typeof StatusOut>;
export type AuditEntry = z.output<typeof AuditEntryOut>;
export type AuditEntries = z.output<typeof AuditPageOut>;
export type AuditReport = z.output<typeof AuditReportOut>;
export type Cause = z.output<typeof CauseOut>;
export type Diagnosis = z.output<typeof DiagnosisOut>;
export type SessionStep = z.output<typeof SessionStepOut>;
export type ManualSession = z.output<typeof ManualSessionOut>;
export type OpenSession = z.output<typeof OpenSessionOut>;

// Booking calendars (issue 16 §2; docs/calendars.md).
export const CALENDAR_BOOKING_STATUSES = ['active', 'cancelled', 'ended', 'failed'] as const;
export const CalendarOut = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  lockIds: z.array(z.string()),
  checkInTime: z.string().nullable().describe("null: the site's check-in time"),
  checkOutTime: z.string().nullable().describe("null: the site's check-out time"),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  codeFrom: z.enum(['phone-last-4', 'generate']),
  refreshMinutes: z.number(),
  missesBeforeCancel: z.number(),
  lastFetchAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  lastError: z.string().nullable().describe('why the last fetch failed, in plain words; null when it worked'),
  failures: z.number().describe('failed fetches in a row'),
  nextFetchAt: z.number(),
  version: z.number(),
  createdAt: z.number(),
});
export const CalendarBookingOut = z.object({
  key: z.string(),
  name: z.string(),
  startsAt: z.number(),
  endsAt: z.number(),
  credentialId: z.string().nullable(),
  status: z.enum(CALENDAR_BOOKING_STATUSES),
  problem: z.string().nullable(),
});
export const CalendarDetailOut = CalendarOut.extend({ bookings: z.array(CalendarBookingOut) });
export const CalendarListOut = z.object({ calendars: z.array(CalendarOut) });
export const CalendarRefreshOut = z.object({
  added: z.number(),
  changed: z.number(),
  cancelled: z.number(),
  unchanged: z.number(),
  error: z.string().nullable(),
});
export const CalendarRemovedOut = Removed.extend({ revoked: z.array(z.string()) });
export type Calendar = z.output<typeof CalendarOut>;
export type CalendarDetail = z.output<typeof CalendarDetailOut>;
export type CalendarList = z.output<typeof CalendarListOut>;
export type CalendarRefresh = z.output<typeof CalendarRefreshOut>;
