import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { EXIT_REJECTED } from '../exit.js';
import { paint, writeJson } from '../io.js';
import { registerAuditList } from './audit-list.js';
import { type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

export function registerAudit(program: Command, ctx: Context): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log');
  storeOptions(
    audit.command('verify').description('check that no row was changed, removed or reordered'),
  ).action((opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const report = await store.verifyAudit();
      if (!report.ok) ctx.exitCode = EXIT_REJECTED;
      if (opts.json) return writeJson(ctx.io, report);
      if (report.ok) {
        ctx.io.out(`${paint(ctx.io, 'green', 'OK')}  ${report.rows} audit rows, chain intact\n`);
        return;
      }
      ctx.io.out(
        `${paint(ctx.io, 'red', 'TAMPERED')}  ${count(report.problems.length, 'problem')} in ${report.rows} rows:\n`,
      );
      for (const p of report.problems) ctx.io.out(`  - ${p.message}\n`);
    }),
  );
  registerAuditList(audit, ctx);
}
