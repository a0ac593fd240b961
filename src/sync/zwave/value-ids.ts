/** The zwave-js value ids Keyward reads, shared by the in-process and the server link. */
export const CC = {
  userCode: 0x63,
  notification: 0x71,
  battery: 0x80,
  manufacturerSpecific: 0x72,
} as const;

export const USER_ENABLED = 1;

export function isAlarmValue(
  commandClass: number,
  property: unknown,
): property is 'alarmType' | 'alarmLevel' {
  return commandClass === CC.notification && (property === 'alarmType' || property === 'alarmLevel');
}

export function isBatteryStatusValue(commandClass: number, property: unknown, propertyKey: unknown): boolean {
  return (
    commandClass === CC.notification &&
    property === 'Power Management' &&
    propertyKey === 'Battery level status'
  );
}
