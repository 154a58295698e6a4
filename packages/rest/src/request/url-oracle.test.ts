import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Request } from './request.ts';
import { RestClient } from '../rest-client.ts';

/*
 * client-go is the oracle for URL building: oracle/client-go-urls is a small Go program that
 * builds each recipe with client-go's own rest.Request (k8s.io/client-go v0.37.2) and prints the
 * URL or the builder error. Every recipe must come out identical from kgo.
 */

interface Step {
  op: 'absPath' | 'prefix' | 'suffix' | 'namespace' | 'resource' | 'name' | 'subresource' | 'param' | 'timeout';
  args?: string[];
  ms?: number;
}
interface Recipe {
  host: string;
  group?: string;
  version?: string;
  verb: string;
  steps: Step[];
}
interface Outcome {
  url?: string;
  error?: string;
}

const oracleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'oracle', 'client-go-urls');

function runOracle(recipes: Recipe[]): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('go', ['run', '.'], { cwd: oracleDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' } }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the client-go oracle (go run in ${oracleDir}) failed: ${error.message}\n${stderr}\nGo >= 1.26 must be installed to run this test.`));
      } else {
        resolve(JSON.parse(stdout) as Outcome[]);
      }
    });
    child.stdin?.end(JSON.stringify(recipes));
  });
}

function build(recipe: Recipe): Request {
  const groupVersion = recipe.group === undefined ? undefined : { group: recipe.group, version: recipe.version ?? 'v1' };
  let request = new RestClient({ host: recipe.host, qps: -1 }, { groupVersion }).verb(recipe.verb);
  for (const step of recipe.steps) {
    const args = step.args ?? [];
    switch (step.op) {
      case 'absPath':
        request = request.absPath(...args);
        break;
      case 'prefix':
        request = request.prefix(...args);
        break;
      case 'suffix':
        request = request.suffix(...args);
        break;
      case 'namespace':
        request = request.namespace(args[0] ?? '');
        break;
      case 'resource':
        request = request.resource(args[0] ?? '');
        break;
      case 'name':
        request = request.name(args[0] ?? '');
        break;
      case 'subresource':
        request = request.subresource(...args);
        break;
      case 'param':
        request = request.param(args[0] ?? '', args[1] ?? '');
        break;
      case 'timeout':
        request = request.timeout(step.ms ?? 0);
        break;
    }
  }
  return request;
}

function kgoOutcome(recipe: Recipe): Outcome {
  const request = build(recipe);
  const error = request.error();
  return error ? { error: error.message } : { url: request.url().toString() };
}

// Hand-picked cases: the shapes client-go's own tests and real clients use, and the odd corners.
const hosts = ['https://h:6443', 'https://h:6443/', 'https://rancher.example/k8s/clusters/c-1', 'http://[::1]:8080/p/'];
const groups: (string | undefined)[] = [undefined, '', 'apps', 'rbac.authorization.k8s.io'];
const shapes: Step[][] = [
  [],
  [{ op: 'resource', args: ['pods'] }],
  [{ op: 'namespace', args: ['default'] }, { op: 'resource', args: ['ConfigMaps'] }, { op: 'name', args: ['app'] }],
  [{ op: 'name', args: ['bar'] }, { op: 'resource', args: ['baz'] }, { op: 'namespace', args: ['foo'] }, { op: 'suffix', args: ['test'] }, { op: 'subresource', args: ['a', 'b'] }],
  [{ op: 'namespace', args: [''] }, { op: 'resource', args: ['pods'] }],
  [{ op: 'absPath', args: ['/version'] }],
  [{ op: 'absPath', args: ['/apis/'] }],
  [{ op: 'absPath', args: ['apis', 'apps', 'v1/'] }],
  [{ op: 'absPath', args: ['/'] }],
  [{ op: 'prefix', args: ['watch'] }, { op: 'namespace', args: ['ns'] }, { op: 'resource', args: ['pods'] }],
  [{ op: 'prefix', args: ['/a/', '../b'] }, { op: 'suffix', args: ['c/', './d'] }],
  [{ op: 'resource', args: ['secrets'] }, { op: 'name', args: ['a b:c@d+e;f=g&h$i,j!k*l(m)n\'o~p'] }],
  [{ op: 'resource', args: ['configmaps'] }, { op: 'name', args: ['ünïcødé'] }],
  [{ op: 'resource', args: ['pods'] }, { op: 'param', args: ['labelSelector', 'app in (a, b),!x'] }, { op: 'param', args: ['fieldSelector', 'status.phase!=Running'] }],
  [{ op: 'resource', args: ['pods'] }, { op: 'param', args: ['b', '2'] }, { op: 'param', args: ['a', '1'] }, { op: 'param', args: ['b', '1'] }, { op: 'param', args: ['x', "~*'!() +&="] }],
  [{ op: 'resource', args: ['pods'] }, { op: 'param', args: ['timeout', '5s'] }, { op: 'timeout', ms: 90_000 }],
  [{ op: 'resource', args: ['pods'] }, { op: 'timeout', ms: 1500 }],
  [{ op: 'resource', args: ['pods'] }, { op: 'timeout', ms: 250 }],
  [{ op: 'resource', args: ['pods'] }, { op: 'timeout', ms: 3_723_000 }],
  [{ op: 'namespace', args: ['a'] }, { op: 'namespace', args: ['b'] }],
  [{ op: 'resource', args: ['a'] }, { op: 'resource', args: ['b'] }],
  [{ op: 'name', args: ['a'] }, { op: 'name', args: ['b'] }],
  [{ op: 'subresource', args: ['a'] }, { op: 'subresource', args: ['b'] }],
  [{ op: 'name', args: [''] }],
  [{ op: 'name', args: ['.'] }],
  [{ op: 'name', args: ['..'] }],
  [{ op: 'namespace', args: ['a/b'] }],
  [{ op: 'resource', args: ['a%2F'] }],
  [{ op: 'name', args: ['a/b%'] }],
  [{ op: 'subresource', args: ['status', '..'] }],
];
const verbs = ['GET', 'POST', 'DELETE'];

const handPicked: Recipe[] = hosts.flatMap((host, h) =>
  groups.flatMap((group) => shapes.map((steps, i) => ({ host, group, version: group === 'apps' ? 'v1beta2' : 'v1', verb: verbs[(h + i) % verbs.length] as string, steps }))),
);

// Seeded random recipes (deterministic), mixing every operation and value class.
function randomRecipes(count: number, seed: number): Recipe[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const values = ['x', 'default', 'kube-system', '', '.', '..', 'a/b', 'a%b', 'a b', 'é', 'v1', 'status', '/lead', 'trail/', 'a//b', 'x.y-z_1', '~tilde', 'a+b'];
  const ops: Step['op'][] = ['absPath', 'prefix', 'suffix', 'namespace', 'resource', 'name', 'subresource', 'param', 'timeout'];
  return Array.from({ length: count }, () => {
    const steps: Step[] = Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
      const op = pick(ops);
      if (op === 'timeout') return { op, ms: pick([0, 1, 999, 1000, 61_000, 7_200_000]) };
      if (op === 'param') return { op, args: [pick(values), pick(values)] };
      const many = op === 'absPath' || op === 'prefix' || op === 'suffix' || op === 'subresource';
      return { op, args: many ? Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(values)) : [pick(values)] };
    });
    return { host: pick(hosts), group: pick(groups), version: 'v1', verb: pick(verbs), steps };
  });
}

describe('URL building matches client-go (oracle: client-go v0.37.2 rest.Request)', () => {
  it(`builds the same URL or the same error for every recipe`, async () => {
    const recipes = [...handPicked, ...randomRecipes(400, 20261123)];
    const expected = await runOracle(recipes);
    expect(expected).toHaveLength(recipes.length);
    const mismatches = recipes
      .map((recipe, i) => ({ recipe, kgo: kgoOutcome(recipe), clientGo: expected[i] }))
      .filter(({ kgo, clientGo }) => JSON.stringify(kgo) !== JSON.stringify(clientGo));
    expect(mismatches, JSON.stringify(mismatches.slice(0, 5), null, 2)).toEqual([]);
    expect(expected.filter((outcome) => outcome.error).length).toBeGreaterThan(20);
  }, 600_000);
});
