#!/usr/bin/env node
// The kgo-typed-gen executable: runs the CLI in cli.ts (kept apart so the CLI can be imported and tested).
import { main } from './cli.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`kgo-typed-gen: ${error.message}`);
    process.exit(1);
  },
);
