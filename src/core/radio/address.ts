/**
 * One rule for every Z-Wave address Keyward is given (the API's locks and Z-Wave routes, the
 * command line, a lock's stored settings): a serial port is the device path of a Z-Wave stick,
 * never any other file, and a server is a zwave-js-server websocket, never another scheme. A
 * password inside a server address is the owner's secret: `redactUrl` takes it out of anything
 * that is shown, logged or audited, and `splitUrlCredentials` separates it for encryption.
 */

/**
 * Device paths of the kinds USB and GPIO Z-Wave controllers appear at: Linux ttyUSB (FTDI,
 * CP210x), ttyACM (Aeotec Z-Stick 7, Zooz 800), ttyAMA and ttyS (Raspberry Pi HATs such as the
 * RaZberry), the udev links under /dev/serial/by-id and by-path, macOS cu.usbmodem /
 * cu.usbserial / cu.SLAB_USBtoUART, and Windows COM1 to COM256. Networked sticks (tcp://) are
 * not taken: the address would let the server open a connection to any host.
 */
const SERIAL_PORTS: readonly RegExp[] = [
  /^\/dev\/tty(?:USB|ACM|AMA|S)[0-9]{1,3}$/,
  /^\/dev\/serial\/by-(?:id|path)\/[A-Za-z0-9_:+-][A-Za-z0-9._:+-]{0,190}$/,
  /^\/dev\/cu\.(?:usbmodem|usbserial|SLAB_USBtoUART)[A-Za-z0-9_-]{0,40}$/,
  /^COM(?:[1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-6])$/i,
];

export const SERIAL_PORT_RULE =
  'must be the device path of a Z-Wave stick: /dev/ttyUSB0, /dev/ttyACM0, /dev/ttyAMA0, /dev/ttyS0, /dev/serial/by-id/..., /dev/cu.usbmodem... or COM3';

export const SERVER_URL_RULE =
  'must be the address of a zwave-js-server: ws://host:port or wss://host:port, such as ws://homeassistant.local:3000';

const MAX_URL = 300;

/** Why this cannot be a Z-Wave stick's serial port, or null when it can. */
export function serialPortProblem(value: unknown): string | null {
  if (typeof value !== 'string') return SERIAL_PORT_RULE;
  // "by-id/.." would climb out of the directory the pattern names.
  if (value.includes('..')) return SERIAL_PORT_RULE;
  return SERIAL_PORTS.some((p) => p.test(value)) ? null : SERIAL_PORT_RULE;
}

/** Why this cannot be a zwave-js-server address, or null when it can. */
export function serverUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL) return SERVER_URL_RULE;
  // Whitespace and control characters are refused rather than trimmed or encoded.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (!/^wss?:\/\//.test(value) || /[\s\u0000-\u001f\u007f#\\]/.test(value)) return SERVER_URL_RULE;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return SERVER_URL_RULE;
  }
  if (parsed.hostname === '' || parsed.port === '0') return SERVER_URL_RULE;
  return null;
}

/** The userinfo of a URL: everything between "scheme://" and the last "@" of the authority. */
const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/;
/** The same inside free text (an error message): up to the last "@" before the host ends. */
const USERINFO_IN_TEXT = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#]*@/g;

/** The URL without its user name and password, for everything shown, logged or audited. */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, '$1');
}

/** Every URL in a text (an error message, a log line) without its user name and password. */
export function redactUrlsIn(text: string): string {
  return text.includes('@') ? text.replace(USERINFO_IN_TEXT, '$1') : text;
}

/** A JSON value (an audit row's detail) with every URL in its strings redacted; the same object when none has credentials. */
export function redactUrlsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactUrlsIn(value) as T;
  if (Array.isArray(value)) {
    const out = value.map(redactUrlsDeep);
    return (out.every((v, i) => v === value[i]) ? value : out) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = redactUrlsDeep(v);
      if (out[k] !== v) changed = true;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/**
 * The URL without credentials, and the credentials ("user:password" as written, percent
 * escapes kept) or null. `joinUrlCredentials` puts them back.
 */
export function splitUrlCredentials(url: string): { url: string; credentials: string | null } {
  const m = USERINFO.exec(url);
  if (!m) return { url, credentials: null };
  return { url: redactUrl(url), credentials: m[2]! };
}

export function joinUrlCredentials(url: string, credentials: string | null): string {
  if (credentials === null || credentials === '') return url;
  // A function, not a replacement string: a password may hold "$&" or "$1".
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)/, (scheme) => `${scheme}${credentials}@`);
}

/** Where a Z-Wave network is reached: a stick Keyward opens, or a zwave-js-server. */
export type RadioTarget = { serialPort: string } | { url: string };

/**
 * The network a target names, whatever credentials it carries: one server address written two
 * ways (an upper-case host, the default port spelled out) is one network.
 */
export function networkKey(target: RadioTarget): string {
  if ('serialPort' in target) return `serial ${target.serialPort}`;
  const bare = redactUrl(target.url);
  try {
    const u = new URL(bare);
    const path = u.pathname === '/' ? '' : u.pathname;
    return `server ${u.protocol}//${u.host}${path}${u.search}`;
  } catch {
    return `server ${bare}`;
  }
}

/** The target as people read it: its port, or its address without credentials. */
export function describeRadioTarget(target: RadioTarget): string {
  return 'url' in target ? redactUrl(target.url) : target.serialPort;
}

/**
 * Who may reach a network: an admin any network the rules above allow; anyone else only one
 * already known (used by a lock in the register, or registered by an admin), so that the API
 * cannot be made to probe hosts and ports. Configuring a lock on a serial port is an admin's
 * alone: the server opens that device.
 */
export function mayReachNetwork(opts: {
  admin: boolean;
  target: RadioTarget;
  known: (key: string) => boolean;
  configures: boolean;
}): boolean {
  if (opts.admin) return true;
  if (opts.configures && 'serialPort' in opts.target) return false;
  return opts.known(networkKey(opts.target));
}
