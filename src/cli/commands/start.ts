import type { Command } from 'commander';
import { MODELS } from '../../core/catalog/index.js';
import type { Context } from '../main.js';

/** What `npm start` shows until the server exists: the models and how to check a code. */
export function registerStart(program: Command, ctx: Context): void {
  program
    .command('start')
    .description('what npm start runs')
    .action(() => {
      ctx.io.out(
        [
          'Keyward knows these Kwikset SmartCode models:',
          `  ${MODELS.map((m) => m.id).join(', ')}   (details: keyward models)`,
          '',
          'Check a code before you touch the lock:',
          '  node bin/keyward.js check 29476 --model 264 --slots 1=29475',
          '',
        ].join('\n'),
      );
    });
}
