/**
 * The peer release check: a pending changeset that takes a peer-only package (@kgo/rest,
 * @kgo/discovery) out of its caret range must release every package that lists it as a peer at
 * a breaking level too.
 *
 * Why: the layers publish their peer range as `^<version at publish>` (pnpm's rewrite of
 * `workspace:^`). changesets (3.x) bumps such a dependent by a patch when the peer leaves its
 * range, so `@kgo/kubeconfig@0.1.1` would require `@kgo/rest@^0.2.0` while apps on
 * `@kgo/kubeconfig@^0.1.0` + `@kgo/rest@^0.1.0` pick it up as a patch, and their next install
 * reports an unmet peer (npm fails with ERESOLVE; pnpm warns and runs the layer against a @kgo/rest
 * it was not released for). Pure: the CLI (`peer-release-cli.ts`) reads the files.
 */
import type { PackageManifest } from './dag-check.ts';

export type BumpType = 'major' | 'minor' | 'patch' | 'none';
const ORDER: readonly BumpType[] = ['none', 'patch', 'minor', 'major'];

/** One pending changeset: its file and the bump it asks for each package. */
export interface Changeset {
  file: string;
  releases: Record<string, BumpType>;
}

/** A package's manifest with its version (what the check needs of it). */
export type VersionedManifest = PackageManifest & { version: string };

/** One missing release, with a message naming the changeset, the packages and the fix. */
export interface PeerReleaseProblem {
  dependent: string;
  message: string;
}

/**
 * Reads the front matter of a changeset file (`"@kgo/rest": minor` lines between `---` fences).
 * Throws on a line it cannot read, naming the file: a misread changeset must not pass the check.
 */
export function parseChangeset(file: string, text: string): Changeset {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!match) throw new Error(`${file}: no front matter (a changeset starts with a --- fenced list of "package": bump lines).`);
  const releases: Record<string, BumpType> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const release = /^\s*(["']?)([^"':\s]+)\1\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
    if (!release) throw new Error(`${file}: cannot read the release line ${JSON.stringify(line)} (expected "<package>": major|minor|patch|none).`);
    releases[release[2]!] = release[3] as BumpType;
  }
  return { file, releases };
}

function parseVersion(name: string, version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`${name} has version ${JSON.stringify(version)}, which is not semver.`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The version a bump gives (pre-release tags dropped). */
export function bumpVersion(name: string, version: string, bump: BumpType): string {
  const [major, minor, patch] = parseVersion(name, version);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}

/** The smallest bump that leaves `^version`: major from 1.0.0, minor in 0.x, patch in 0.0.x. */
export function breakingBump(name: string, version: string): BumpType {
  const [major, minor] = parseVersion(name, version);
  return major > 0 ? 'major' : minor > 0 ? 'minor' : 'patch';
}

/**
 * Finds the packages that list a peer-only package as a peer while the pending changesets take
 * that package out of its caret range, and are not themselves released at their breaking level.
 */
export function checkPeerReleases(changesets: readonly Changeset[], manifests: readonly VersionedManifest[], peerOnly: readonly string[]): PeerReleaseProblem[] {
  // The bump each package gets: the highest over all changesets, as changesets computes it.
  const bumps = new Map<string, { type: BumpType; files: string[] }>();
  for (const changeset of changesets) {
    for (const [name, type] of Object.entries(changeset.releases)) {
      const current = bumps.get(name) ?? { type: 'none', files: [] };
      if (ORDER.indexOf(type) > ORDER.indexOf(current.type)) current.type = type;
      current.files.push(changeset.file);
      bumps.set(name, current);
    }
  }
  const byName = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  const problems: PeerReleaseProblem[] = [];
  for (const peer of peerOnly) {
    const bump = bumps.get(peer);
    const manifest = byName.get(peer);
    if (!bump || !manifest || ORDER.indexOf(bump.type) < ORDER.indexOf(breakingBump(peer, manifest.version))) continue;
    const next = bumpVersion(peer, manifest.version, bump.type);
    for (const dependent of manifests) {
      if (dependent.private || dependent.peerDependencies?.[peer] === undefined) continue;
      const needed = breakingBump(dependent.name, dependent.version);
      const given = bumps.get(dependent.name)?.type ?? 'none';
      if (ORDER.indexOf(given) >= ORDER.indexOf(needed)) continue;
      problems.push({
        dependent: dependent.name,
        message:
          `${bump.files.join(', ')} release${bump.files.length === 1 ? 's' : ''} ${peer} ${manifest.version} → ${next} (${bump.type}), out of the peer range ^${manifest.version} ` +
          `that ${dependent.name} publishes, but ${dependent.name} gets ${given === 'none' ? 'no release of its own' : `only a ${given}`}. ` +
          `Its next release moves that peer range to ^${next}, and apps on ${peer}@^${manifest.version} would take it as a patch and hit an unmet peer: ` +
          `add "${dependent.name}": ${needed} to a changeset (${needed} is the breaking bump at ${dependent.version}).`,
      });
    }
  }
  return problems;
}
