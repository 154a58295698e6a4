/*
 * Writes the protobuf inputs of generate.ts into protobuf/, from the k8s.io Go modules that
 * scripts/proto-schema/go.mod pins (the same Kubernetes version as openapi/):
 *
 *   node scripts/dump-protobuf.ts
 *
 * - protobuf/schema.json: the JSON facts of every type reachable from the built-in kinds (JSON
 *   names, omitempty, pointers, inlined structs, custom JSON forms), by reflection over the Go
 *   struct tags (scripts/proto-schema/main.go);
 * - protobuf/proto/<Go package>/generated.proto: the wire layout, the modules' own .proto files
 *   with comments and blank lines removed (the wire facts are unchanged).
 *
 * Needs Go and the Go module proxy (or a warm module cache). Run by hand when the pinned version
 * changes; the output is committed so generation needs neither.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = join(root, 'scripts', 'proto-schema');
const out = join(root, 'protobuf');
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: program, encoding: 'utf8', maxBuffer: 64 << 20 });

const schemaText = run('go', ['run', '.', join(root, 'openapi', 'source.json')]);
const schema = JSON.parse(schemaText) as { types: Record<string, unknown> };
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'proto'), { recursive: true });
writeFileSync(join(out, 'schema.json'), schemaText);

// The Go packages of every type: k8s.io.api.core.v1.Pod → k8s.io/api/core/v1.
const goPackages = new Set(Object.keys(schema.types).map((name) => name.slice(0, name.lastIndexOf('.')).replaceAll('.', '/').replace(/^k8s\/io\//, 'k8s.io/').replace('apiextensions_apiserver', 'apiextensions-apiserver').replace('kube_aggregator', 'kube-aggregator')));
const listed = run('go', ['list', '-f', '{{.ImportPath}} {{.Dir}}', ...[...goPackages].sort()]);
for (const line of listed.trim().split('\n')) {
  const [importPath, dir] = line.split(' ') as [string, string];
  const text = readFileSync(join(dir, 'generated.proto'), 'utf8');
  const stripped = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((row) => row.trim() !== '' && !row.trim().startsWith('//'))
    .join('\n');
  mkdirSync(join(out, 'proto', importPath), { recursive: true });
  writeFileSync(join(out, 'proto', importPath, 'generated.proto'), `// From ${importPath} (comments removed) by scripts/dump-protobuf.ts. DO NOT EDIT.\n${stripped}\n`);
}
console.error(`wrote protobuf/schema.json and ${goPackages.size} .proto files`);
