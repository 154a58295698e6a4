import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvtestError } from './errors.ts';
import { KWOK_VERSION } from './versions.ts';

/** One textual fix to a file of the kwok module, applied to a copy of the module at build time. */
interface KwokPatch {
  /** The file, relative to the kwok module's root. */
  file: string;
  /** What the fix is for (named in the error when the file no longer matches). */
  why: string;
  /** The exact text to find, once. */
  find: string;
  replace: string;
}

/**
 * kwok v0.8.0's local exec copies the client's stdin into the process's stdin pipe and never
 * closes the pipe, so a command reading to the end of its input (`cat`, `wc`) never ends when the
 * client closes stdin — on a kubelet it does (the CRI closes it). Closing the pipe once the copy
 * ends is the kubelet's behaviour. Go's module cache is never changed (and `go build -overlay`
 * refuses files in it): envtest builds kwok in a patched copy of the module, whose own go.mod
 * and go.sum pin the same dependencies. A pattern that is not found fails the build, naming the
 * file, rather than building an unpatched kwok.
 */
const KWOK_PATCHES: KwokPatch[] = [
  {
    file: 'pkg/utils/exec/exec.go',
    why: 'close the process stdin when the client closes its stdin',
    find: '\t\t\tgo func() {\n\t\t\t\t_, _ = io.Copy(inPipe, opt.In)\n\t\t\t}()',
    replace: '\t\t\tgo func() {\n\t\t\t\t_, _ = io.Copy(inPipe, opt.In)\n\t\t\t\t_ = inPipe.Close()\n\t\t\t}()',
  },
];

/**
 * Copies the kwok module from Go's module cache to `target` (writable: the cache's files are
 * read-only) and applies {@link KWOK_PATCHES} there; `go build ./cmd/kwok` in `target` then
 * builds the patched kwok.
 */
export async function prepareKwokSource(moduleDir: string, target: string): Promise<void> {
  await copyTree(moduleDir, target);
  for (const patch of KWOK_PATCHES) {
    const file = join(target, patch.file);
    const text = await readFile(file, 'utf8');
    const at = text.indexOf(patch.find);
    if (at < 0 || text.indexOf(patch.find, at + 1) >= 0) {
      throw new EnvtestError(
        `kwok v${KWOK_VERSION}'s ${patch.file} does not read as envtest expects (${patch.why}): the text to patch is ${at < 0 ? 'missing' : 'there twice'} in ${join(moduleDir, patch.file)}.`,
      );
    }
    await writeFile(file, text.slice(0, at) + patch.replace + text.slice(at + patch.find.length));
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    if (entry.isDirectory()) {
      await copyTree(source, destination);
    } else if (entry.isFile()) {
      await copyFile(source, destination);
      await chmod(destination, 0o644);
    }
  }
}
