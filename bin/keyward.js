#!/usr/bin/env node
import { main } from '../dist/bundle/keyward.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`keyward: internal error: ${error?.message ?? error}\n`);
    process.exitCode = 70;
  },
);
