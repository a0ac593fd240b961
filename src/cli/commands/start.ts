import type { Command } from 'commander';
import type { Context } from '../context.js';
import { addServeOptions, type ServeFlags, serve } from './serve.js';

/** `npm start`: serve on SQLite in the data directory, with the demo site when it is empty. */
export function registerStart(program: Command, ctx: Context): void {
  addServeOptions(
    program.command('start').description('what npm start runs: keyward serve --demo in the data directory'),
  ).action((flags: ServeFlags) => serve(ctx, { ...flags, demo: true }));
}
