/**
 * `pnpm run lint`, second step: checks the pending changesets in `.changeset/` against the peer
 * rule of peer-release-check.ts and exits 1 on a problem.
 * Usage: `node packages/repo-tools/src/peer-release-cli.ts [repo-root]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KGO_POLICY } from './dag-check.ts';
import { checkPeerReleases, parseChangeset, type VersionedManifest } from './peer-release-check.ts';
import { loadWorkspace } from './workspace.ts';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../../..', import.meta.url)));
const changesetDir = join(root, '.changeset');
const files = existsSync(changesetDir) ? readdirSync(changesetDir).filter((file) => file.endsWith('.md') && file !== 'README.md').sort() : [];
const changesets = files.map((file) => parseChangeset(`.changeset/${file}`, readFileSync(join(changesetDir, file), 'utf8')));
const manifests = loadWorkspace(root).map((pkg) => pkg.manifest as VersionedManifest);
const problems = checkPeerReleases(changesets, manifests, KGO_POLICY.peerOnly);

for (const problem of problems) console.error(`✗ [peer-release] ${problem.message}`);
if (problems.length > 0) {
  console.error(`\npeer-release: ${problems.length} package(s) need a breaking release in ${changesets.length} pending changeset(s).`);
  process.exitCode = 1;
} else {
  console.log(`peer-release OK: ${changesets.length} pending changeset(s) checked.`);
}
