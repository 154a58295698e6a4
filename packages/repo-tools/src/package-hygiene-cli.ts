/**
 * `pnpm hygiene`: checks every published package as it would be published, after `pnpm build`.
 * For each package it packs the tarball (`pnpm pack`, as `pnpm publish` does) and runs
 * - publint (strict) over the tarball,
 * - Are the types wrong? over the tarball, for every entry point (wildcards expanded), ESM-only profile,
 * - the public API report: regenerated from the built `.d.ts` and compared with the committed
 *   `packages/<name>/api-report.md`; a difference fails with the diff's first lines.
 *
 * `--update` (or `pnpm api:update`) writes the API reports instead of comparing them. Exits 1 on any finding.
 * Usage: node packages/repo-tools/src/package-hygiene-cli.ts [--update]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { exportEntries, type ExportsField } from './exports-map.ts';
import { apiReports, type ReportPackage } from './package-hygiene/api-report.ts';
import { firstDifference } from './package-hygiene/first-difference.ts';
import { publintTarball } from './package-hygiene/publint-check.ts';
import { typesProblems } from './package-hygiene/types-check.ts';
import { assertBuilt, pack, publishablePackages, repoRoot, TempDirs } from './test/consumer-project.ts';

const update = process.argv.includes('--update');
const started = performance.now();
const packages = publishablePackages();
assertBuilt(packages);

// @kgo/typed's generated Kubernetes types are listed by member names: their full text is the committed generator
// output, checked against a fresh generation by its own test.
const generatedTypes = `${sep}packages${sep}typed${sep}dist${sep}generated${sep}`;
const summarize = (file: string) => file.includes(generatedTypes) && file.endsWith(`${sep}types.d.ts`);

const reportPackages: ReportPackage[] = packages.map((pkg) => ({
  name: pkg.name,
  dir: pkg.dir,
  entries: exportEntries(pkg.name, (pkg.manifest.exports ?? {}) as ExportsField, pkg.dir, 'types').map((entry) => ({
    specifier: entry.specifier,
    typesFile: join(pkg.dir, entry.target),
  })),
}));
const reports = apiReports(reportPackages, { summarize });

const temp = new TempDirs();
let failures = 0;
try {
  const destination = temp.make('kgo-hygiene-');
  for (const [index, pkg] of packages.entries()) {
    const findings: string[] = [];
    const reportFile = join(pkg.dir, 'api-report.md');
    const report = reports.get(pkg.name)!;
    if (update) {
      writeFileSync(reportFile, report);
    } else {
      const committed = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : undefined;
      if (committed === undefined) findings.push(`${relative(repoRoot, reportFile)} is missing: run \`pnpm api:update\` and commit it.`);
      else if (committed !== report) {
        findings.push(`${relative(repoRoot, reportFile)} is stale: the public API changed. Run \`pnpm api:update\`, review and commit the report.\n${firstDifference(committed, report)}`);
      }
    }
    const tarball = new Uint8Array(readFileSync(await pack(pkg.dir, destination)));
    const manifest = pkg.manifest as unknown as Record<string, unknown>;
    findings.push(...(await publintTarball(tarball, manifest)));
    const subpaths = reportPackages[index]!.entries.map((entry) => (entry.specifier === pkg.name ? '.' : `.${entry.specifier.slice(pkg.name.length)}`));
    findings.push(...(await typesProblems(tarball, subpaths)));
    if (findings.length === 0) {
      console.log(`ok   ${pkg.name}: publint, attw (${subpaths.length} entry points), API report ${update ? 'written' : 'up to date'}`);
    } else {
      failures += findings.length;
      console.error(`FAIL ${pkg.name}:\n${findings.map((finding) => `  - ${finding.replace(/\n/g, '\n    ')}`).join('\n')}`);
    }
  }
} finally {
  temp.removeAll();
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failures > 0) {
  console.error(`\npackage hygiene: ${failures} finding(s) in ${packages.length} packages (${seconds} s).`);
  process.exitCode = 1;
} else {
  console.log(`package hygiene OK: ${packages.length} packages (${seconds} s).`);
}
