import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { readSource, writeJson } from '../io.js';
import { type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

export function registerBackup(program: Command, ctx: Context): void {
  storeOptions(
    program
      .command('backup')
      .description('export the whole register, encrypted with the secret key')
      .option('--out <file>', 'write here (mode 0600) instead of standard output'),
  ).action((opts: StoreCliOptions & { out?: string }) =>
    withStore(opts, async (store) => {
      const text = await store.backup();
      if (!opts.out) {
        ctx.io.out(text);
        return;
      }
      try {
        writeFileSync(opts.out, text, { mode: 0o600 });
      } catch (e) {
        throw new UsageError(`cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
      if (opts.json) return writeJson(ctx.io, { file: opts.out, bytes: Buffer.byteLength(text) });
      ctx.io.out(`backup written to ${opts.out}\n`);
    }),
  );
  storeOptions(
    program
      .command('restore')
      .description('load a backup into an empty register (either dialect); needs the same secret key')
      .argument('<file>', 'the backup, or - for standard input'),
  ).action((file: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const { rows } = await store.restore(readSource(ctx.io, file));
      if (opts.json) return writeJson(ctx.io, { restored: rows, database: store.location });
      ctx.io.out(`restored ${rows} rows into ${store.location}; audit log verified\n`);
    }),
  );
}
