import type { Command } from 'commander';
import { isKeywardError } from '../../core/errors.js';
import type { Store } from '../../store/index.js';
import type { Reader } from '../../store/reader.js';
import { UsageError } from '../exit.js';

export interface StoreCliOptions {
  db?: string;
  json?: boolean;
}

/** Every register command takes --db and --json. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <url>', 'SQLite file or postgres://... (default: DATABASE_URL, else the data directory)')
    .option('--json', 'machine output');
}

/**
 * Opens the register for one command and always closes it (a PostgreSQL pool left open would
 * keep the process alive). A database that cannot be opened is the user's --db to fix: exit 2.
 */
export function withStore<T>(opts: StoreCliOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  // Loaded on use: the database drivers would otherwise triple the start-up time of every
  // command, `keyward check` included (BENCHMARKS.md, issue 2).
  return withOpened(async () => (await import('../../store/index.js')).openStore(dbOption(opts)), fn);
}

/** withStore for `keyward status`: the register read without loading the query builder. */
export function withReader<T>(opts: StoreCliOptions, fn: (reader: Reader) => Promise<T>): Promise<T> {
  return withOpened(async () => (await import('../../store/reader.js')).openReader(dbOption(opts)), fn);
}

function dbOption(opts: StoreCliOptions): { db?: string } {
  return opts.db !== undefined ? { db: opts.db } : {};
}

async function withOpened<H extends { close(): Promise<void> }, T>(
  open: () => Promise<H>,
  fn: (opened: H) => Promise<T>,
): Promise<T> {
  let opened: H;
  try {
    opened = await open();
  } catch (e) {
    if (isKeywardError(e) && e.code === 'STORE_FAILED') throw new UsageError(e.message);
    throw e;
  }
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function parseWhole(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Repeatable, comma-separated option values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** `remove` and `rotate` take --version: a view that went stale cannot change a record that moved on. */
export interface VersionOptions extends StoreCliOptions {
  version?: string;
}

export const expectedVersion = (opts: VersionOptions) => parseWhole(opts.version, '--version', 1, 2 ** 31);
