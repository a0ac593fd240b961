/**
 * The fuzz suite's vocabulary: a seeded random source, values that follow a JSON Schema from the
 * OpenAPI document, and the hostile values that replace them (wrong types, sizes, encodings,
 * prototype keys, dates, unicode, huge numbers, nested junk).
 */

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: the same seed gives the same requests, so a failure is replayed by its seed. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** A JSON literal sent as written, for what JSON.stringify cannot produce (1e400, -0, dup keys). */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text with Raw pieces spliced in verbatim. */
export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const PROTO_KEYS: Raw[] = [
  new Raw('{"__proto__":{"role":"admin","isAdmin":true,"reveal":true}}'),
  new Raw('{"constructor":{"prototype":{"role":"admin"}}}'),
  new Raw('{"__proto__":null,"toString":1,"valueOf":"x","hasOwnProperty":[]}'),
  new Raw('{"prototype":{"polluted":true},"__defineGetter__":1}'),
];

const HUGE_NUMBERS = [
  new Raw('1e400'),
  new Raw('-1e400'),
  new Raw('-0'),
  new Raw('123456789012345678901234567890'),
  new Raw('9007199254740993'),
  new Raw('1e-400'),
  new Raw('0.30000000000000004'),
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  -1,
  0,
  2 ** 31,
  -(2 ** 31) - 1,
  1.5,
];

const DATES = [
  '1900-01-01',
  '1970-01-01T00:00:00Z',
  '2000-01-01',
  '2026-02-30',
  '2026-13-45T25:61:61Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-12-05T12:00:00+14:00',
  '2026-12-05T12:00:00-99:99',
  '-5',
  '0',
  '1e20',
  'Infinity',
  'NaN',
  'now',
  'tomorrow',
  '2026-12-05 12:00',
  '1764950400000',
];

const STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b\u200c\u200d\ufeff',
  'ü',
  'Ω≈ç√∫',
  '🔑🚪'.repeat(50),
  'é'.normalize('NFD'),
  '%',
  '%25',
  '%zz',
  '%00',
  '%C0%AF',
  '..%2F..%2Fetc%2Fpasswd',
  '../../etc/passwd',
  '/dev/null',
  '/dev/ttyFUZZ0',
  'COM999',
  'ws://127.0.0.1:9/',
  'wss://127.0.0.1:9/?token=secret',
  'ws://user:password@127.0.0.1:9',
  'http://127.0.0.1:9/',
  "'; drop table locks; --",
  '" or 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}}\u0024{7*7}',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'lock_',
  'x'.repeat(65),
  'A'.repeat(10_000),
  '0'.repeat(17),
  '12345678901234567890',
  '0000',
  '1234',
  '-1',
  '1.5',
  'admin',
  'viewer',
  'guest',
  'permanent',
];

/** Digits that are never one of the secrets the store was seeded with. */
export function randomDigits(r: Rng, length: number, secrets: readonly string[]): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += String(r.int(10));
    if (!secrets.some((c) => s.includes(c))) return s;
  }
}

function deep(r: Rng, depth: number): unknown {
  let v: unknown = r.pick([1, 'x', null]);
  for (let i = 0; i < depth; i++) v = r.chance(0.5) ? [v] : { a: v };
  return v;
}

/** Anything at all in place of a value, weighted towards what breaks parsers and handlers. */
export function junk(r: Rng, secrets: readonly string[], level = 0): unknown {
  switch (r.int(level > 1 ? 8 : 12)) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.pick(HUGE_NUMBERS);
    case 2:
      return r.pick(DATES);
    case 3:
    case 4:
      return r.pick(STRINGS);
    case 5:
      return randomDigits(r, 1 + r.int(20), secrets);
    case 6:
      return r.int(100) - 10;
    case 7:
      return r.pick(PROTO_KEYS);
    case 8:
      return Array.from({ length: r.int(4) }, () => junk(r, secrets, level + 1));
    case 9:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [r.pick(STRINGS).slice(0, 20), junk(r, secrets, level + 1)]),
      );
    case 10:
      return deep(r, r.pick([10, 100, 1000]));
    default:
      return r.chance(0.5)
        ? Array.from({ length: r.pick([1000, 20_000]) }, (_, i) => i)
        : 'x'.repeat(r.pick([1000, 100_000]));
  }
}

/** A query or path value: junk as text, sometimes encoded, sometimes deliberately malformed. */
export function junkText(r: Rng, secrets: readonly string[]): string {
  const v = junk(r, secrets, 2);
  const text = v instanceof Raw ? v.text : typeof v === 'string' ? v : JSON.stringify(v);
  const s = (text ?? 'null').slice(0, 5000);
  const mode = r.int(4);
  if (mode === 0) return s;
  if (mode === 1) return r.pick(['%', '%2', '%zz', '%E0%A4%A', '%C0%AF', '%FF%FE', '%25%32%35', '%00']);
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

export type Schema = Record<string, unknown>;

/** A value that follows the schema, with names that want real records given them. */
export function fromSchema(
  r: Rng,
  schema: Schema | undefined,
  name: string,
  real: (name: string) => string | undefined,
  secrets: readonly string[],
): unknown {
  if (!schema) return junk(r, secrets);
  const known = schema.type === 'array' ? undefined : real(name);
  if (known !== undefined && r.chance(0.85)) return known;
  if (/At$/.test(name) && r.chance(0.85)) {
    const t = Date.UTC(2027, r.int(12), 1 + r.int(28));
    return r.chance(0.5) ? new Date(t).toISOString() : t;
  }
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches?.length) return fromSchema(r, r.pick(branches), name, real, secrets);
  if (Array.isArray(schema.enum)) return r.pick(schema.enum as unknown[]);
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? r.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'string':
      return stringFor(r, schema, name, secrets);
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? Math.min(schema.maximum, min + 1000) : min + 100;
      return min + r.int(Math.max(1, max - min + 1));
    }
    case 'boolean':
      return r.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const n = Math.min(min + r.int(3), typeof schema.maxItems === 'number' ? schema.maxItems : 3);
      return Array.from({ length: n }, () =>
        fromSchema(r, schema.items as Schema | undefined, singular(name), real, secrets),
      );
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(props)) {
        if (required.has(k) || r.chance(0.5)) out[k] = fromSchema(r, s, k, real, secrets);
      }
      if (name === 'state' || name === 'desired') return lockStateLike(r, out);
      return coherent(r, out);
    }
    default:
      return junk(r, secrets);
  }
}

/** Fields that only make sense together, made to agree most of the time so requests get through. */
function coherent(r: Rng, out: Record<string, unknown>): Record<string, unknown> {
  if ('code' in out && 'generate' in out && r.chance(0.9)) delete out[r.chance(0.5) ? 'code' : 'generate'];
  if ('generate' in out && !('code' in out)) out.generate = true;
  if ('lockIds' in out && !('code' in out) && !('generate' in out) && r.chance(0.9)) out.generate = true;
  const ms = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number(v));
  if (out.startsAt != null && out.endsAt != null && ms(out.startsAt) > ms(out.endsAt))
    [out.startsAt, out.endsAt] = [out.endsAt, out.startsAt];
  if (out.kind === 'guest' && out.endsAt === undefined) out.endsAt = '2027-06-01T10:00:00.000Z';
  if ('url' in out && 'serialPort' in out && r.chance(0.9)) delete out[r.chance(0.5) ? 'url' : 'serialPort'];
  return out;
}

const singular = (name: string) => (name.endsWith('s') ? name.slice(0, -1) : name);

const MODELS = ['264', '275', '888', '909', '910', '912', '913', '914', '916', '954', '955', 'HC620'];

function lockStateLike(r: Rng, base: Record<string, unknown>): Record<string, unknown> {
  const model = r.pick(MODELS);
  return {
    ...base,
    model,
    ...(r.chance(0.5) ? { slots: { '1': '13579', '2': '24680' } } : {}),
    ...(r.chance(0.3) ? { programmingCode: '97531' } : {}),
    ...(r.chance(0.3) ? { deleted: ['86420'] } : {}),
  };
}

function stringFor(r: Rng, schema: Schema, name: string, secrets: readonly string[]): string {
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : '';
  if (/code$/i.test(name) || pattern.includes('0-9]+$')) return randomDigits(r, 4 + r.int(5), secrets);
  if (/At$/.test(name)) return new Date(Date.UTC(2027, r.int(12), 1 + r.int(28))).toISOString();
  if (name === 'url') return 'ws://127.0.0.1:9/';
  if (name === 'serialPort') return '/dev/ttyFUZZ0';
  if (name === 'model') return r.pick(MODELS);
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 12;
  const n = Math.max(min, Math.min(max, 3 + r.int(10)));
  return `f${'uzz'.repeat(n)}`.slice(0, n);
}
