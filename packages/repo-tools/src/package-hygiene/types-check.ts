/**
 * Are the types wrong? (@arethetypeswrong/core) over a packed tarball, for every entry point, wildcard subpaths
 * included: each must resolve to types that match its JavaScript under `node16` (from ESM) and `bundler`
 * resolution. kgo is ESM-only (docs/module-format.md), so the checks attw's `esm-only` profile ignores are ignored
 * here too: `node10` (no `exports` support) and `node16-cjs` (a `require()` of an ES module).
 */
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import type { Problem, ResolutionKind } from '@arethetypeswrong/core/types';

/** Resolution kinds an ESM-only package is not expected to serve (attw's `esm-only` profile). */
export const IGNORED_RESOLUTIONS: readonly ResolutionKind[] = ['node10', 'node16-cjs'];

function describe(problem: Problem): string {
  const where = [
    'entrypoint' in problem ? problem.entrypoint : undefined,
    'resolutionKind' in problem ? problem.resolutionKind : undefined,
  ].filter(Boolean);
  const info = problemKindInfo[problem.kind];
  return `attw ${problem.kind}${where.length ? ` (${where.join(', ')})` : ''}: ${info.description} ${info.docsUrl}`;
}

/** attw's problems for one tarball, checking `entrypoints` (subpaths such as `.` and `./core/v1`). */
export async function typesProblems(tarball: Uint8Array, entrypoints: readonly string[]): Promise<string[]> {
  const result = await checkPackage(createPackageFromTarballData(tarball), { entrypoints: [...entrypoints] });
  if (!result.types) return ['attw: the package ships no types'];
  return result.problems
    .filter((problem) => !('resolutionKind' in problem) || !IGNORED_RESOLUTIONS.includes(problem.resolutionKind))
    .map(describe);
}
