import type { SourceId } from './types.js';

export interface Source {
  id: SourceId;
  title: string;
  detail: string;
}

export const SOURCES: Readonly<Record<SourceId, Source>> = {
  guide: {
    id: 'guide',
    title: 'Kwikset SmartCode programming guide (the project specification)',
    detail:
      'the guide the project was built from (restated in docs/lock-rules.md): models 264, 275, 913 and 955, the hard rules, factory reset',
  },
  'design-field': {
    id: 'design-field',
    title: 'Field facts collected beyond the guide (docs/lock-rules.md)',
    detail: 'models seen in the field, 5-button keypads, lockouts, time-outs, battery thresholds',
  },
  'manual-888': {
    id: 'manual-888',
    title: 'Kwikset SmartCode 888 installation guide',
    detail: 'master code optional and off by default, may equal a user code; 5 s programming time-out',
  },
  'manual-909': {
    id: 'manual-909',
    title: 'Kwikset SmartCode 909 user guide',
    detail: '3 wrong codes in 1 minute disable the keypad for 60 s (red x15, 15 beeps); 5 s time-out',
  },
  'manual-916': {
    id: 'manual-916',
    title: 'Kwikset SmartCode 916 touchscreen user guide',
    detail: 'wrong-code lockout as the 909; 20 s programming time-out',
  },
  'manual-hc620': {
    id: 'manual-hc620',
    title: 'Kwikset HC620 user guide',
    detail: 'wrong-code lockout as the 909; 6 s programming time-out',
  },
  'zwave-js-config': {
    id: 'zwave-js-config',
    title: 'zwave-js device configuration, manufacturer 0x0090',
    detail: 'product ids; alarms 167/168 at 4.8 V and 4.5 V; HC620 Supervision disabled; reset steps',
  },
  'zigbee-model-ids': {
    id: 'zigbee-model-ids',
    title: 'Zigbee model identifiers',
    detail:
      'SMARTCODE_DEADBOLT_5 (910), SMARTCODE_LEVER_5 (912), SMARTCODE_DEADBOLT_10_W3, _10T_W3, _10_W3_L or _10_L (914; the plain SMARTCODE_DEADBOLT_10 is a Weiser model)',
  },
  'alarm-com': {
    id: 'alarm-com',
    title: 'Alarm.com partner documentation on Kwikset 5-button keypads',
    detail: 'two digits per button; the lock sees buttons, so 1357 and 2468 are one code',
  },
  smartthings: {
    id: 'smartthings',
    title: 'SmartThings zwave-lock driver and community threads on 888/910/912',
    detail: 'Kwikset V1 alarms; code id 0 reported when all slots are full',
  },
  'family-assumption': {
    id: 'family-assumption',
    title: "Keyward's choice where every source is silent",
    detail:
      'the behaviour of the closest documented model of the same family; each use is explained in notes',
  },
};
