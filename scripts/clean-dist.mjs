// tsc writes dist/ but never deletes from it: a source file moved or removed (such as the Z-Wave
// mock locks, now test support) would otherwise live on in dist/ and ship in the package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
