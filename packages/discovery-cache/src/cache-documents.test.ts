import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeGroupList, decodeResourceList, encodeGroupList, encodeResourceList } from './cache-documents.ts';

const kubectlCache = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'kubectl-cache');
const read = (path: string) => new Uint8Array(readFileSync(join(kubectlCache, path)));
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("kubectl's own cache files", () => {
  it('servergroups.json decodes, core group first, and encodes back byte for byte', () => {
    const file = read('servergroups.json');
    const groups = decodeGroupList(file);
    expect(groups?.groups[0]).toEqual({ name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } });
    expect(groups?.groups.find((g) => g.name === 'autoscaling')?.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(text(encodeGroupList(groups!))).toBe(text(file));
  });

  it.each(['v1', 'apps/v1', 'autoscaling/v2'])('%s/serverresources.json decodes and encodes back byte for byte', (gv) => {
    const file = read(`${gv}/serverresources.json`);
    const list = decodeResourceList(file, gv);
    expect(list?.groupVersion).toBe(gv);
    expect(list?.resources.length).toBeGreaterThan(1);
    expect(text(encodeResourceList(list!))).toBe(text(file));
  });

  it('keeps short names, categories and subresources', () => {
    const list = decodeResourceList(read('apps/v1/serverresources.json'), 'apps/v1')!;
    const deployments = list.resources.find((r) => r.name === 'deployments');
    expect(deployments).toMatchObject({ kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'] });
    expect(deployments?.verbs).toContain('watch');
    expect(list.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    // Left out when empty (the list's own group-version), as Go and DiscoveryClient leave them out.
    expect(deployments && 'group' in deployments).toBe(false);
  });
});

describe('damaged and foreign files are misses', () => {
  const groups = read('servergroups.json');
  const apps = read('apps/v1/serverresources.json');

  it('every truncation of a file is a miss', () => {
    for (let length = 0; length < apps.length - 1; length++) {
      expect(decodeResourceList(apps.subarray(0, length), 'apps/v1'), `first ${length} bytes`).toBeUndefined();
    }
    for (let length = 0; length < groups.length - 1; length += 7) {
      expect(decodeGroupList(groups.subarray(0, length)), `first ${length} bytes`).toBeUndefined();
    }
    // Without the trailing newline the JSON is still whole.
    expect(decodeResourceList(apps.subarray(0, apps.length - 1), 'apps/v1')).toBeDefined();
  });

  it('a list of another group-version is a miss', () => {
    expect(decodeResourceList(apps, 'batch/v1')).toBeUndefined();
    expect(decodeResourceList(apps, 'v1')).toBeUndefined();
  });

  it.each([
    ['another kind', '{"kind":"ConfigMap","apiVersion":"v1","data":{}}'],
    ['no kind', '{"groups":[]}'],
    ['another apiVersion', '{"kind":"APIGroupList","apiVersion":"v2","groups":[]}'],
    ['groups not a list', '{"kind":"APIGroupList","apiVersion":"v1","groups":{}}'],
    ['a group without versions', '{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"x"}]}'],
    ['a version without groupVersion', '{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"x","versions":[{"version":"v1"}]}]}'],
    ['a bad preferredVersion', '{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"x","versions":[],"preferredVersion":"v1"}]}'],
    ['a JSON array', '[]'],
    ['null', 'null'],
    ['empty', ''],
    ['not JSON', 'HTTP/1.1 200 OK\r\n\r\n{}'],
  ])('group list: %s', (_what, body) => expect(decodeGroupList(bytes(body))).toBeUndefined());

  it.each([
    ['another kind', '{"kind":"APIGroupList","apiVersion":"v1","groupVersion":"apps/v1","resources":[]}'],
    ['resources not a list', '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":"x"}'],
    ['namespaced not a boolean', '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"a","kind":"A","namespaced":"yes","verbs":[]}]}'],
    ['no kind on a resource', '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"a","namespaced":true,"verbs":[]}]}'],
    ['verbs of numbers', '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"a","kind":"A","namespaced":true,"verbs":[1]}]}'],
    ['a number for shortNames', '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"a","kind":"A","namespaced":true,"verbs":[],"shortNames":3}]}'],
  ])('resource list: %s', (_what, body) => expect(decodeResourceList(bytes(body), 'apps/v1')).toBeUndefined());

  it('invalid UTF-8 is a miss', () => {
    const damaged = new Uint8Array(apps);
    damaged[40] = 0xff;
    expect(decodeResourceList(damaged, 'apps/v1')).toBeUndefined();
  });

  it("Go's nulls for empty lists are read as empty", () => {
    const list = decodeResourceList(
      bytes('{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"a","singularName":"a","namespaced":true,"kind":"A","verbs":null}]}'),
      'apps/v1',
    );
    expect(list?.resources[0]?.verbs).toEqual([]);
  });
});
