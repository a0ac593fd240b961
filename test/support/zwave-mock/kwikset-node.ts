import {
  BatteryCCGet,
  BatteryCCReport,
  type CommandClass,
  NotificationCCReport,
  Security2CC,
  UserCodeCCExtendedUserCodeSet,
  UserCodeCCSet,
  UserIDStatus,
  WakeUpCCWakeUpNotification,
} from '@zwave-js/cc';
import { CommandClasses, SecurityClass } from '@zwave-js/core';
import {
  ccCaps,
  createMockZWaveRequestFrame,
  type MockNode,
  type MockNodeBehavior,
  type MockNodeOptions,
} from '@zwave-js/testing';
import type { ModelProfile } from '../../../src/core/catalog/types.js';
import type { LockState } from '../../../src/core/codes/lock-state.js';
import { checkCode } from '../../../src/core/codes/rules.js';

/**
 * A mock Kwikset lock for zwave-js's in-process mock controller. It takes or refuses codes by
 * Keyward's own lock rules (src/core/codes/rules.ts), so tests and benchmarks meet the same
 * refusals a real lock gives: a duplicate or same-prefix code is acknowledged but not stored and
 * answered with Access Control 0x0F, a code beyond the lock's memory with 0x13.
 */
export interface MockKwiksetOptions {
  nodeId: number;
  model: ModelProfile;
  /** Codes on the lock before Keyward first meets it. */
  codes?: Record<number, string>;
  /** Codes deleted since the last factory reset (their prefixes stay reserved). */
  deleted?: string[];
  /** User Code CC version: 2 adds the checksum and Extended User Code Set. */
  userCodeVersion?: 1 | 2;
  /** Users the lock reports; some firmware reports more than it can hold. */
  reportedUsers?: number;
  /** Whether the lock answers a Z-Wave set with an Access Control notification (0x0E / 0x0F). */
  notifiesSets?: boolean;
  /** Battery percentage reported by Battery CC. */
  batteryPercent?: number;
  /** Volts per cell, for the rules (weak batteries make programming fail). */
  voltsPerCell?: number;
  /**
   * A battery node that sleeps (Wake Up CC) instead of listening for beams. SmartCodes are FLiRS,
   * but a lock behind a bridge or with a radio module that sleeps behaves so: zwave-js holds its
   * frames until it wakes (`wakeUp`).
   */
  sleeps?: boolean;
  /** Security classes the lock was included with (S0_Legacy, S2_AccessControl, ...): none is insecure. */
  securityClasses?: SecurityClass[];
}

const ACCESS_CONTROL = 0x06;
/** Unsolicited reports go to the controller, which is node 1 on every mock network here. */
const CONTROLLER_NODE_ID = 1;
export const AccessControlEvent = {
  keypadLock: 0x05,
  keypadUnlock: 0x06,
  allDeleted: 0x0c,
  deleted: 0x0d,
  added: 0x0e,
  duplicate: 0x0f,
  limitExceeded: 0x13,
} as const;

/** Kwikset V1 alarm types (SmartThings and zwave-js device config 0x0090). */
export const KwiksetAlarm = {
  keypadLock: 18,
  keypadUnlock: 19,
  allDeleted: 32,
  deleted: 33,
  codeAdded: 112,
  duplicate: 113,
  batteryLow: 167,
  batteryCritical: 168,
} as const;

interface KwiksetState {
  model: ModelProfile;
  slots: Map<number, string>;
  deleted: string[];
  notifiesSets: boolean;
  voltsPerCell: number;
  batteryPercent: number;
  /** Radio off (a sleeping lock between wake-ups): frames neither acknowledged nor acted on. */
  asleep: boolean;
  /** Included with S2: its own reports go out S2-encapsulated, as zwave-js drops them otherwise. */
  s2: boolean;
}

const STATE_KEY = 'keyward.kwikset';

function kwiksetState(node: MockNode): KwiksetState {
  const state = node.state.get(STATE_KEY) as KwiksetState | undefined;
  if (!state) throw new Error(`mock node ${node.id} is not a Kwikset lock`);
  return state;
}

/** Mirrors slots into the keys zwave-js's default User Code behaviours read (get, checksum). */
function mirror(node: MockNode, slot: number, code: string | undefined): void {
  node.state.set(`UserCode_userIdStatus_${slot}`, code ? UserIDStatus.Enabled : UserIDStatus.Available);
  node.state.set(`UserCode_userCode_${slot}`, code);
}

function lockState(s: KwiksetState): LockState {
  const slots: Record<string, string> = {};
  for (const [slot, code] of s.slots) slots[String(slot)] = code;
  return {
    model: s.model.id,
    programmingCode: null,
    slots,
    deleted: s.deleted,
    voltsPerCell: s.voltsPerCell,
    programmingSwitch: true,
  };
}

export function mockKwiksetNodeOptions(options: MockKwiksetOptions): Omit<MockNodeOptions, 'controller'> {
  const zwave = options.model.zwave;
  if (!zwave) throw new Error(`model ${options.model.id} has no Z-Wave radio`);
  const version = options.userCodeVersion ?? 2;
  return {
    id: options.nodeId,
    capabilities: {
      manufacturerId: zwave.manufacturerId,
      productType: zwave.productType,
      productId: zwave.productIds[0]!,
      // Locks are FLiRS: they listen every second for a wake-up beam.
      isListening: false,
      isFrequentListening: options.sleeps ? false : '1000ms',
      genericDeviceClass: 0x40,
      specificDeviceClass: 0x03,
      commandClasses: [
        CommandClasses.Version,
        CommandClasses['Manufacturer Specific'],
        ccCaps({
          ccId: CommandClasses['User Code'],
          isSupported: true,
          // A securely included lock takes codes only encrypted.
          secure: (options.securityClasses?.length ?? 0) > 0,
          version,
          numUsers: options.reportedUsers ?? options.model.slots,
          supportsUserCodeChecksum: version >= 2,
          supportsAdminCode: false,
          supportsAdminCodeDeactivation: false,
          supportedASCIIChars: '0123456789',
        }),
        // Kwikset SmartCodes speak Alarm (Notification v1); zwave-js maps their alarms by config.
        ccCaps({
          ccId: CommandClasses.Notification,
          isSupported: true,
          version: 1,
          supportsV1Alarm: true,
          notificationTypesAndEvents: {},
        }),
        { ccId: CommandClasses.Battery, isSupported: true, version: 1 },
        ...(options.sleeps ? [{ ccId: CommandClasses['Wake Up'], isSupported: true, version: 2 }] : []),
        ...securityCCs(options.securityClasses ?? []),
      ],
      ...(options.securityClasses?.length ? { securityClasses: new Set(options.securityClasses) } : {}),
    },
  };
}

function securityCCs(classes: SecurityClass[]) {
  const s0 = classes.includes(SecurityClass.S0_Legacy);
  const s2 = classes.some((c) => c !== SecurityClass.S0_Legacy);
  return [
    ...(s0 ? [{ ccId: CommandClasses.Security, isSupported: true, version: 1 }] : []),
    ...(s2 ? [{ ccId: CommandClasses['Security 2'], isSupported: true, version: 1 }] : []),
  ];
}

/** Installs the Keyward lock rules on a created mock node; call after the default behaviours. */
export function installKwiksetBehaviors(node: MockNode, options: MockKwiksetOptions): void {
  const state: KwiksetState = {
    model: options.model,
    slots: new Map(),
    deleted: [...(options.deleted ?? [])],
    notifiesSets: options.notifiesSets ?? true,
    voltsPerCell: options.voltsPerCell ?? 1.5,
    batteryPercent: options.batteryPercent ?? 90,
    asleep: false,
    s2: (options.securityClasses ?? []).some((c) => c !== SecurityClass.S0_Legacy),
  };
  node.state.set(STATE_KEY, state);
  for (const [slot, code] of Object.entries(options.codes ?? {})) {
    state.slots.set(Number(slot), code);
    mirror(node, Number(slot), code);
  }
  node.defineBehavior(userCodeSetByRules, extendedSetByRules, batteryReport);
  // Checked before every other behaviour: a sleeping radio hears nothing.
  node.defineBehavior(deafWhileAsleep);
}

const deafWhileAsleep: MockNodeBehavior = {
  handleCC(_controller, self) {
    return kwiksetState(self).asleep ? { action: 'stop' } : undefined;
  },
};

const userCodeSetByRules: MockNodeBehavior = {
  handleCC(_controller, self, cc) {
    if (!(cc instanceof UserCodeCCSet)) return undefined;
    const code = cc.userIdStatus === UserIDStatus.Available ? undefined : String(cc.userCode ?? '');
    applySet(self, cc.userId, code);
    return { action: 'ok' };
  },
};

const extendedSetByRules: MockNodeBehavior = {
  handleCC(_controller, self, cc) {
    if (!(cc instanceof UserCodeCCExtendedUserCodeSet)) return undefined;
    for (const entry of cc.userCodes) {
      const code = entry.userIdStatus === UserIDStatus.Available ? undefined : String(entry.userCode ?? '');
      applySet(self, entry.userId, code);
    }
    return { action: 'ok' };
  },
};

const batteryReport: MockNodeBehavior = {
  handleCC(controller, self, cc) {
    if (!(cc instanceof BatteryCCGet)) return undefined;
    const level = kwiksetState(self).batteryPercent;
    return { action: 'sendCC', cc: new BatteryCCReport({ nodeId: controller.ownNodeId, level }) };
  },
};

/**
 * The lock's side of a Z-Wave set: the frame is always acknowledged (the radio took it); only
 * the notification tells whether the code went in. The notification goes out after the ack, as
 * on a real lock.
 */
function applySet(node: MockNode, slot: number, code: string | undefined): void {
  const s = kwiksetState(node);
  if (slot === 0 && code === undefined) {
    for (const existing of s.slots.keys()) forget(node, existing);
    later(node, v1Alarm(KwiksetAlarm.allDeleted, 0));
    return;
  }
  if (code === undefined) {
    if (s.slots.has(slot)) forget(node, slot);
    later(node, v1Alarm(KwiksetAlarm.deleted, slot));
    return;
  }
  if (slot > s.model.slots) {
    if (s.notifiesSets) later(node, accessControl(AccessControlEvent.limitExceeded, slot));
    return;
  }
  const verdict = checkCode(lockState(s), s.model, { code, kind: 'user', slot });
  if (!verdict.accepted) {
    if (s.notifiesSets) later(node, accessControl(AccessControlEvent.duplicate, slot));
    return;
  }
  s.slots.set(slot, code);
  mirror(node, slot, code);
  if (s.notifiesSets) later(node, accessControl(AccessControlEvent.added, slot));
}

function forget(node: MockNode, slot: number): void {
  const s = kwiksetState(node);
  const code = s.slots.get(slot);
  if (code === undefined) return;
  s.slots.delete(slot);
  if (s.model.quirks.deletedCodeMemory) s.deleted.push(code);
  mirror(node, slot, undefined);
}

function accessControl(event: number, slot: number): NotificationCCReport {
  return new NotificationCCReport({
    nodeId: CONTROLLER_NODE_ID,
    notificationType: ACCESS_CONTROL,
    notificationEvent: event,
    eventParameters: Uint8Array.of(slot),
  });
}

function v1Alarm(alarmType: number, alarmLevel: number): NotificationCCReport {
  return new NotificationCCReport({ nodeId: CONTROLLER_NODE_ID, alarmType, alarmLevel });
}

function later(node: MockNode, cc: CommandClass): void {
  setTimeout(() => {
    void send(node, cc);
  }, 5);
}

async function send(node: MockNode, cc: CommandClass): Promise<void> {
  const secured = kwiksetState(node).s2 ? Security2CC.encapsulate(cc, node.id, node.securityManagers) : cc;
  await node.sendToController(createMockZWaveRequestFrame(secured, { ackRequested: false }));
}

/**
 * What a person does at the lock itself, each answered with the V1 alarm a real 910 sends.
 * Returns whether the lock took the change.
 */
export const keypad = {
  async addCode(node: MockNode, slot: number, code: string): Promise<boolean> {
    const s = kwiksetState(node);
    const verdict = checkCode(lockState(s), s.model, { code, kind: 'user', slot });
    if (!verdict.accepted) {
      await send(node, v1Alarm(KwiksetAlarm.duplicate, slot));
      return false;
    }
    s.slots.set(slot, code);
    mirror(node, slot, code);
    await send(node, v1Alarm(KwiksetAlarm.codeAdded, slot));
    return true;
  },
  async deleteCode(node: MockNode, slot: number): Promise<void> {
    forget(node, slot);
    await send(node, v1Alarm(KwiksetAlarm.deleted, slot));
  },
  async deleteAll(node: MockNode): Promise<void> {
    for (const slot of [...kwiksetState(node).slots.keys()]) forget(node, slot);
    await send(node, v1Alarm(KwiksetAlarm.allDeleted, 0));
  },
  async unlockWith(node: MockNode, slot: number): Promise<void> {
    await send(node, v1Alarm(KwiksetAlarm.keypadUnlock, slot));
  },
  async batteryLow(node: MockNode, critical = false): Promise<void> {
    const s = kwiksetState(node);
    s.voltsPerCell = critical ? 1.125 : 1.2;
    s.batteryPercent = critical ? 5 : 15;
    await send(
      node,
      v1Alarm(critical ? KwiksetAlarm.batteryCritical : KwiksetAlarm.batteryLow, s.batteryPercent),
    );
  },
  /** Fresh cells: the lock says nothing, its next Battery report shows it. */
  newBatteries(node: MockNode): void {
    const s = kwiksetState(node);
    s.voltsPerCell = 1.5;
    s.batteryPercent = 100;
  },
};

/**
 * A sleeping lock wakes up: it tells the controller, which then sends what it held for it and,
 * when done, sends it back to sleep (zwave-js's wake-up queue).
 */
export async function wakeUp(node: MockNode): Promise<void> {
  kwiksetState(node).asleep = false;
  node.autoAckControllerFrames = true;
  await send(node, new WakeUpCCWakeUpNotification({ nodeId: CONTROLLER_NODE_ID }));
}

/**
 * A sleeping lock's radio is off: frames to it go unacknowledged, which is how zwave-js learns
 * that it sleeps (it then holds further frames until `wakeUp`).
 */
export function fallAsleep(node: MockNode): void {
  kwiksetState(node).asleep = true;
  node.autoAckControllerFrames = false;
}

/** The codes the mock lock holds now (for assertions; a real lock is only known by radio). */
export function mockSlots(node: MockNode): Record<number, string> {
  return Object.fromEntries(kwiksetState(node).slots);
}
