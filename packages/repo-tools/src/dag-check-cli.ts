/**
 * `pnpm run lint`: checks the package DAG of the repository (see dag-check.ts) and exits 1 on
 * any violation. Usage: `node packages/repo-tools/src/dag-check-cli.ts [repo-root]`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWorkspace, formatViolation } from './dag-check.ts';
import { loadWorkspace } from './workspace.ts';

// This file lives at packages/repo-tools/src/, three levels below the repository root.
const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../../..', import.meta.url)));
if (!existsSync(join(root, 'packages'))) {
  console.error(`dag-check: ${root} has no packages/ folder; pass the repository root.`);
  process.exit(2);
}
const result = checkWorkspace(loadWorkspace(root));

for (const violation of result.violations) console.error(formatViolation(violation));
const counts = `${result.packages} packages, ${result.edges} internal edges, ${result.imports} imports in ${result.files} files`;
if (result.violations.length > 0) {
  console.error(`\ndag-check: ${result.violations.length} violation(s) in ${counts}.`);
  process.exitCode = 1;
} else {
  console.log(`dag-check OK: ${counts} checked.`);
}
