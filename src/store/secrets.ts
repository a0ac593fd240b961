import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeywardError } from '../core/errors.js';

export const KEY_FILE = 'secret.key';

/** 32 bytes as 64 hex digits or as base64. Anything else is refused rather than stretched. */
export function parseSecretKey(text: string, where: string): Buffer {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t, 'base64');
  if (key?.length !== 32) {
    throw new KeywardError('BAD_INPUT', `${where} must be 32 bytes written as 64 hex digits or base64`);
  }
  return key;
}

/**
 * KEYWARD_SECRET_KEY, else the key file in the data directory, created on first use with mode
 * 0600 (and its directory 0700) so that only the owner can read it.
 */
export function loadSecretKey(dir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.KEYWARD_SECRET_KEY) return parseSecretKey(env.KEYWARD_SECRET_KEY, 'KEYWARD_SECRET_KEY');
  const path = join(dir, KEY_FILE);
  try {
    return parseSecretKey(readFileSync(path, 'utf8'), path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return parseSecretKey(readFileSync(path, 'utf8'), path);
    throw e;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return key;
}

const VERSION = 'v1';

/**
 * A wrong key must fail before anything is read or written: a known value sealed with the key
 * on first open (the meta row below) is opened again on every open, by the store and the reader.
 */
export const KEY_CHECK = { metaKey: 'key_check', text: 'keyward', aad: 'key-check' } as const;

export function verifyKeyCheck(sealer: Sealer, sealed: string): void {
  if (sealer.open(sealed, KEY_CHECK.aad) !== KEY_CHECK.text) {
    throw new KeywardError('WRONG_SECRET_KEY', 'the secret key does not decrypt the stored data');
  }
}

/**
 * Everything the store does with the secret key: AES-256-GCM for codes, keyed hashes of code
 * prefixes, and the audit chain. Separate subkeys, so that no use of one can weaken another.
 */
export class Sealer {
  readonly #enc: Buffer;
  readonly #prefix: Buffer;
  readonly #audit: Buffer;
  readonly #backup: Buffer;

  constructor(master: Buffer) {
    const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    this.#enc = sub('keyward codes v1');
    this.#prefix = sub('keyward prefix v1');
    this.#audit = sub('keyward audit v1');
    this.#backup = sub('keyward backup v1');
  }

  /**
   * The associated data binds a ciphertext to its row, so a code copied into another record
   * fails to decrypt instead of silently becoming that record's code.
   */
  seal(plain: string, aad: string): string {
    return sealWith(this.#enc, plain, aad);
  }

  open(sealed: string, aad: string): string {
    return openWith(this.#enc, sealed, aad);
  }

  sealBackup(plain: string): string {
    return sealWith(this.#backup, plain, 'backup');
  }

  openBackup(sealed: string): string {
    return openWith(this.#backup, sealed, 'backup');
  }

  /** The first four presses of a code on one lock, hashed so prefixes compare without decrypting. */
  prefixHash(lockId: string, prefixKey: number): string {
    return createHmac('sha256', this.#prefix).update(`${lockId}:${prefixKey}`).digest('base64url');
  }

  auditHash(prevHash: string, payload: string): string {
    return createHmac('sha256', this.#audit).update(prevHash).update('\n').update(payload).digest('hex');
  }
}

function sealWith(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

function openWith(key: Buffer, sealed: string, aad: string): string {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data)
    throw new KeywardError('STORE_FAILED', 'an encrypted value has an unknown format');
  const raw = Buffer.from(data, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new KeywardError(
      'WRONG_SECRET_KEY',
      'the secret key does not decrypt the stored data: set KEYWARD_SECRET_KEY or restore the key file used when the data was written',
    );
  }
}
