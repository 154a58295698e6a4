/*
 * kgo-typed-gen: writes types and typed clients for CustomResourceDefinitions into your project.
 *
 *   kgo-typed-gen crd crds/*.yaml --out src/generated
 *   kgo-typed-gen crd --from-cluster [--context NAME] --out src/generated
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asCustomResourceDefinition, type CustomResourceDefinition, generateCrds } from './generator/generate-crds.ts';

const USAGE = `usage:
  kgo-typed-gen crd <file.yaml|file.json>... --out <dir>
  kgo-typed-gen crd --from-cluster [--context <name>] --out <dir>   (reads the cluster's CRDs with kubectl)`;

/** Reads the CRDs of YAML or JSON files (multi-document YAML too; other kinds are skipped). */
export async function readCrdFiles(files: string[]): Promise<CustomResourceDefinition[]> {
  const crds: CustomResourceDefinition[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const documents = parseAllDocuments(text);
    for (const [index, document] of documents.entries()) {
      if (document.errors.length > 0) throw new Error(`${file}: document ${index + 1} is not valid YAML: ${document.errors[0]?.message}`);
      const value = document.toJS() as { kind?: string; items?: unknown[] } | null;
      if (!value) continue;
      const items = value.kind === 'List' || value.kind === 'CustomResourceDefinitionList' ? (value.items ?? []) : [value];
      for (const item of items) {
        if ((item as { kind?: string }).kind === 'CustomResourceDefinition') crds.push(asCustomResourceDefinition(item, `${file} (document ${index + 1})`));
      }
    }
  }
  return crds;
}

function crdsFromCluster(context: string | undefined): CustomResourceDefinition[] {
  const args = ['get', 'customresourcedefinitions.apiextensions.k8s.io', '-o', 'json', ...(context ? ['--context', context] : [])];
  let output: string;
  try {
    output = execFileSync('kubectl', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new Error(`--from-cluster reads the CRDs with \`kubectl ${args.join(' ')}\`, which failed: ${stderr || (error as Error).message}`);
  }
  const list = JSON.parse(output) as { items: unknown[] };
  return list.items.map((item, index) => asCustomResourceDefinition(item, `the cluster's CRD #${index + 1}`));
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'crd') {
    console.error(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  let out: string | undefined;
  let context: string | undefined;
  let fromCluster = false;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--out') out = rest[++i];
    else if (arg === '--context') context = rest[++i];
    else if (arg === '--from-cluster') fromCluster = true;
    else if (arg.startsWith('--')) {
      console.error(`kgo-typed-gen: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (!out || (files.length === 0) === !fromCluster) {
    console.error(USAGE);
    return 2;
  }
  const crds = fromCluster ? crdsFromCluster(context) : await readCrdFiles(files);
  if (crds.length === 0) {
    console.error(`kgo-typed-gen: no CustomResourceDefinition found in ${fromCluster ? 'the cluster' : files.join(', ')}`);
    return 1;
  }
  const source = fromCluster ? 'the CRDs of a live cluster' : files.map((file) => file.split(/[\\/]/).pop()).join(', ');
  const inputs = fromCluster ? `--from-cluster${context ? ` --context ${context}` : ''}` : files.join(' ');
  const generated = generateCrds(crds, source, `kgo-typed-gen crd ${inputs} --out <this folder>`);
  for (const [path, content] of generated) {
    const target = join(resolve(out), path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  console.error(`kgo-typed-gen: wrote ${generated.size} files for ${crds.length} CRDs to ${out}`);
  return 0;
}
