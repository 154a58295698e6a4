/**
 * client-go's side of the benchmark: the Go program under go/ (module versions pinned to the
 * envtest Kubernetes version in go.mod), built with the machine's Go once per state of its sources
 * and cached as `~/.cache/kgo/benchmarks/client-go-bench-<hash>`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const GO_DIR = fileURLToPath(new URL('../go/', import.meta.url));

/** The client-go version the program is built against (from go.mod). */
export function clientGoVersion(): string {
  return /^\s*k8s\.io\/client-go (v\S+)/m.exec(readFileSync(join(GO_DIR, 'go.mod'), 'utf8'))?.[1] ?? 'unknown';
}

/**
 * The path of the built program, building it when no binary of these sources (and this Go
 * version) is cached. The first build compiles client-go: minutes on 2 cores.
 */
export async function clientGoBinary(log: (line: string) => void): Promise<string> {
  const run = promisify(execFile);
  let goVersion: string;
  try {
    goVersion = (await run('go', ['version'])).stdout.trim();
  } catch (error) {
    throw new Error(
      `the client-go rows need Go (≥ 1.26) on PATH to build go/ (\`go version\` failed: ${(error as Error).message}); set KGO_BENCH_CLIENT_GO=off to run without them`,
    );
  }
  const hash = createHash('sha256').update(goVersion);
  for (const file of readdirSync(GO_DIR).filter((name) => /\.(go|mod|sum)$/.test(name)).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(GO_DIR, file))).update('\0');
  }
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cacheRoot, 'kgo', 'benchmarks');
  const binary = join(dir, `client-go-bench-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  log(`building the client-go program (${goVersion}; cached afterwards as ${binary})…`);
  const started = performance.now();
  const partial = `${binary}.${process.pid}.tmp`;
  await run('go', ['build', '-o', partial, '.'], {
    cwd: GO_DIR,
    env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 45 * 60_000,
  });
  renameSync(partial, binary); // atomic: a concurrent run sees the whole binary or none
  log(`built in ${Math.round((performance.now() - started) / 1000)} s`);
  return binary;
}
