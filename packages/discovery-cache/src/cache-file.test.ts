import { mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFreshFile, STALE_TEMPORARY_MS, writeFileAtomic } from './cache-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-cache-file-'));
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;

describe('writeFileAtomic', () => {
  it("creates the folders 0750 and the file 0660 (kubectl's modes), whatever the umask", async () => {
    const previous = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, 'a', 'b', 'file.json'), '{"x":1}');
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(dir, 'a', 'b', 'file.json'))).mode & 0o777).toBe(0o660);
    // Folders follow the umask, as Go's MkdirAll does; with the usual 022 they are 0750.
    await writeFileAtomic(join(dir, 'c', 'file.json'), '{}');
    expect((await stat(join(dir, 'c'))).mode & 0o777).toBe(0o750 & ~process.umask());
    expect(await readFile(join(dir, 'a', 'b', 'file.json'), 'utf8')).toBe('{"x":1}');
  });

  it("removes the temporary files a killed writer left of the same file once they are over ten minutes old", async () => {
    const folder = join(dir, 'leftovers');
    await mkdir(folder, { recursive: true });
    const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;
    const leftovers = {
      stale: 'serverresources.json.0123456789ab',
      fresh: 'serverresources.json.ba9876543210',
      otherFile: 'other.json.0123456789ab',
      notOurs: 'serverresources.json.backup',
    };
    for (const name of Object.values(leftovers)) await writeFile(join(folder, name), 'partial');
    for (const name of [leftovers.stale, leftovers.otherFile, leftovers.notOurs]) await utimes(join(folder, name), old, old);
    await writeFileAtomic(join(folder, 'serverresources.json'), '{}');
    expect((await readdir(folder)).sort()).toEqual(
      ['serverresources.json', leftovers.fresh, leftovers.otherFile, leftovers.notOurs].sort(),
    );
  });

  it('replaces a file whole and leaves no temporary file behind', async () => {
    const path = join(dir, 'replace', 'file.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(join(dir, 'replace'))).toEqual(['file.json']);
  });

  it('concurrent writers and readers: a reader sees one writer’s whole file, never a mix or a part', async () => {
    const path = join(dir, 'race', 'file.json');
    const bodies = Array.from({ length: 20 }, (_, i) => String(i).repeat(64 * 1024));
    await writeFileAtomic(path, bodies[0]!);
    const seen = new Set<string>();
    await Promise.all([
      ...bodies.map((body) => writeFileAtomic(path, body)),
      ...Array.from({ length: 40 }, async () => seen.add(await readFile(path, 'utf8'))),
    ]);
    for (const body of seen) expect(bodies).toContain(body);
    expect(await readdir(join(dir, 'race'))).toEqual(['file.json']);
  });

  it('fails when the folder cannot be made, and leaves nothing', async () => {
    await writeFile(join(dir, 'blocker'), 'a file where a folder should be');
    await expect(writeFileAtomic(join(dir, 'blocker', 'x.json'), '{}')).rejects.toThrow();
  });
});

describe('readFreshFile', () => {
  it('reads a file younger than the TTL', async () => {
    const path = join(dir, 'fresh.json');
    await writeFile(path, 'data');
    expect(new TextDecoder().decode(readFreshFile(path, HOUR))).toBe('data');
  });

  it('judges age by modification time: older than the TTL is a miss', async () => {
    const path = join(dir, 'old.json');
    await writeFile(path, 'data');
    const twoHoursAgo = (Date.now() - 2 * HOUR) / 1000;
    await utimes(path, twoHoursAgo, twoHoursAgo);
    expect(readFreshFile(path, HOUR)).toBeUndefined();
    expect(readFreshFile(path, 3 * HOUR)).toBeDefined();
  });

  it('a missing file or a folder is a miss, not an error', async () => {
    expect(readFreshFile(join(dir, 'nope.json'), HOUR)).toBeUndefined();
    await mkdir(join(dir, 'folder.json'));
    expect(readFreshFile(join(dir, 'folder.json'), HOUR)).toBeUndefined();
  });
});
