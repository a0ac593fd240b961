import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardError } from '../core/errors.js';
import { KEY_FILE, loadSecretKey, parseSecretKey, Sealer } from './secrets.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('secret key', () => {
  it('creates a key file readable only by its owner on first use and reads it back after', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyward-key-')), 'data');
    dirs.push(dir);
    const key = loadSecretKey(dir, {});
    expect(key).toHaveLength(32);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadSecretKey(dir, {})).toEqual(key);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8').trim()).toBe(key.toString('hex'));
  });

  it('takes KEYWARD_SECRET_KEY as hex or base64 and refuses any other length', () => {
    const key = Buffer.alloc(32, 5);
    expect(parseSecretKey(key.toString('hex'), 'k')).toEqual(key);
    expect(parseSecretKey(key.toString('base64'), 'k')).toEqual(key);
    expect(loadSecretKey('/nonexistent', { KEYWARD_SECRET_KEY: key.toString('base64') })).toEqual(key);
    expect(() => parseSecretKey('abcd', 'KEYWARD_SECRET_KEY')).toThrow(/32 bytes/);
  });

  it('detects a wrong key or a value moved to another record instead of returning garbage', () => {
    const sealed = new Sealer(Buffer.alloc(32, 1)).seal('4821', 'credential:a');
    expect(sealed).not.toContain('4821');
    expect(new Sealer(Buffer.alloc(32, 1)).open(sealed, 'credential:a')).toBe('4821');
    const wrongKey = () => new Sealer(Buffer.alloc(32, 2)).open(sealed, 'credential:a');
    expect(wrongKey).toThrow(KeywardError);
    expect(wrongKey).toThrow(/secret key/);
    expect(() => new Sealer(Buffer.alloc(32, 1)).open(sealed, 'credential:b')).toThrow(KeywardError);
  });

  it('hashes the same prefix on one lock alike and on another lock differently', () => {
    const s = new Sealer(Buffer.alloc(32, 1));
    expect(s.prefixHash('lock_a', 2947)).toBe(s.prefixHash('lock_a', 2947));
    expect(s.prefixHash('lock_a', 2947)).not.toBe(s.prefixHash('lock_b', 2947));
    expect(s.prefixHash('lock_a', 2947)).not.toBe(s.prefixHash('lock_a', 2948));
  });
});
