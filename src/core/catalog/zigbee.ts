/**
 * Kwikset's Zigbee model ids (what the lock reports, Zigbee2MQTT's `model_id`) and the catalog
 * models they are. A few ids cover two models (the 910 and 912 share the Home Connect module's
 * ids in places), so a match is a list of candidates, the likeliest first.
 */
const BY_MODEL_ID: Readonly<Record<string, readonly string[]>> = {
  SMARTCODE_DEADBOLT_5: ['910'],
  SMARTCODE_DEADBOLT_5_L: ['910'],
  SMARTCODE_LEVER_5: ['912'],
  SMARTCODE_DEADBOLT_10_W3: ['914'],
  SMARTCODE_DEADBOLT_10T_W3: ['914'],
  SMARTCODE_DEADBOLT_10_W3_L: ['914'],
  SMARTCODE_DEADBOLT_10_L: ['914'],
};

/** Every catalog model sold with a Zigbee module: the candidates for a Kwikset id we do not know. */
const ZIGBEE_MODELS = ['910', '912', '914', '916'] as const;

export interface ZigbeeModelMatch {
  /** Catalog model ids, likeliest first; empty when the device is not a Kwikset keypad lock. */
  candidates: string[];
  /** True when the id is one we know; false: offered because it is a Kwikset we do not know. */
  exact: boolean;
}

export function matchZigbeeModel(
  manufacturer: string | undefined,
  modelId: string | undefined,
): ZigbeeModelMatch {
  const known = modelId ? BY_MODEL_ID[modelId] : undefined;
  if (known) return { candidates: [...known], exact: true };
  // The plain SMARTCODE_DEADBOLT_10 is a Weiser lock that reports the same family name.
  if (modelId === 'SMARTCODE_DEADBOLT_10' || !/kwikset/i.test(manufacturer ?? ''))
    return { candidates: [], exact: false };
  // Conversion kits drive a lock's motor but keep no codes.
  if (modelId?.startsWith('SMARTCODE_CONVERT')) return { candidates: [], exact: false };
  return { candidates: [...ZIGBEE_MODELS], exact: false };
}
