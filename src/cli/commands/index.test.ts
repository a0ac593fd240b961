import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../test/support/fake-io.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every top-level command some module under commands/ declares with program.command(...). */
function declaredCommands(): string[] {
  const names: string[] = [];
  for (const file of readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(`${HERE}/${file}`, 'utf8');
    for (const m of text.matchAll(/program\s*\.command\('([a-z-]+)'\)/g)) names.push(m[1]!);
  }
  return names.sort();
}

describe('the command table the CLI loads from', () => {
  it('lists every command in the overall help, each loaded from its own module', async () => {
    const declared = declaredCommands();
    expect(declared.length).toBeGreaterThan(15);
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    const commands = stdout.slice(stdout.indexOf('Commands:'));
    const listed = [...commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
      .map((m) => m[1]!)
      .filter((n) => n !== 'help');
    expect(listed.sort()).toEqual(declared);
  });

  it('runs a command that shares its module with others by any of their names', async () => {
    for (const name of ['site', 'lock', 'person', 'code', 'backup', 'restore']) {
      const { code, stdout } = await cli([name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: keyward ${name}`);
    }
  });

  it('suggests the right command for a typo, which needs every command registered, on one line', async () => {
    const { code, stderr } = await cli(['stauts']);
    expect(code).toBe(2);
    expect(stderr).toBe("keyward: unknown command 'stauts' (Did you mean status?)\n");
  });
});
