import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

interface Flags extends StoreCliOptions {
  url: string;
}

/**
 * A fresh one-time sign-in link for a server already running on this database, for when the
 * one it printed at start has been used or has expired (15 minutes).
 */
export async function signInLinkCommand(ctx: Context, flags: Flags): Promise<void> {
  let base: URL;
  try {
    base = new URL(flags.url);
  } catch {
    throw new UsageError(`--url ${flags.url}: give the server's address, e.g. http://127.0.0.1:8080`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new UsageError(`--url ${flags.url}: the address starts with http:// or https://`);
  const { signInLink } = await import('../../server/auth-serve.js');
  const link = await withStore(flags, async (store) => (await signInLink(store))(base.origin));
  if (flags.json) {
    ctx.io.out(`${JSON.stringify({ url: link.url, expiresAt: new Date(link.expiresAt).toISOString() })}\n`);
    return;
  }
  ctx.io.out(
    `Open this link in your browser to sign in (it works once, within 15 minutes):\n\n  ${link.url}\n\n`,
  );
}

export function registerSignInLink(program: Command, ctx: Context): void {
  storeOptions(
    program
      .command('sign-in-link')
      .description('print a new one-time link that signs a browser in to a running keyward serve')
      .option('--url <url>', 'where the server is reached', 'http://127.0.0.1:8080'),
  ).action((flags: Flags) => signInLinkCommand(ctx, flags));
}
