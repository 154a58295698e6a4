// Adds up the vitest JSON reports of every package into one closing line, so a reader (and CI)
// sees the whole run's count: "kgo: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
const files = process.argv.slice(2).filter((file) => !file.includes('*'));
for (const file of files) {
  // A report named outright (examples/, outside the packages/* glob) must exist: its tests did not run.
  if (!existsSync(file)) {
    missing++;
    console.log(`${file.replace(/\/\.vitest\/results\.json$/, '')}: no report (its tests did not run)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${file.replace(/\/\.vitest\/results\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (files.length === 0) {
  console.log('kgo tests: no vitest reports found');
  process.exit(1);
}
console.log(`kgo: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing > 0 || passed === 0 ? 1 : 0);
