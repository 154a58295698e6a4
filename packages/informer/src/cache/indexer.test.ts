import type { KubeObject } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { Indexer, metaNamespaceIndexFunc, NAMESPACE_INDEX } from './indexer.ts';
import { metaNamespaceKeyFunc, splitMetaNamespaceKey } from './keys.ts';
import { Lister } from './lister.ts';

type Pod = KubeObject & { spec?: { nodeName?: string } };

const pod = (namespace: string, name: string, labels: Record<string, string> = {}, nodeName = '', resourceVersion = '1'): Pod => ({
  metadata: { namespace, name, labels, resourceVersion },
  spec: { nodeName },
});

describe('keys', () => {
  it('keys namespaced objects namespace/name and cluster-scoped ones by name', () => {
    expect(metaNamespaceKeyFunc(pod('ns', 'a'))).toBe('ns/a');
    expect(metaNamespaceKeyFunc({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(metaNamespaceKeyFunc(new DeletedFinalStateUnknown('ns/gone', pod('ns', 'gone')))).toBe('ns/gone');
    expect(() => metaNamespaceKeyFunc({ kind: 'Pod', metadata: {} })).toThrow('cannot compute a store key: the object (kind "Pod") has no metadata.name');
    expect(splitMetaNamespaceKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(splitMetaNamespaceKey('a')).toEqual({ namespace: '', name: 'a' });
    expect(() => splitMetaNamespaceKey('a/b/c')).toThrow('unexpected key format');
  });
});

describe('Indexer', () => {
  const byNode = (obj: Pod) => (obj.spec?.nodeName ? [obj.spec.nodeName] : []);

  it('keeps indexes in step through add, update, delete and replace', () => {
    const indexer = new Indexer<Pod>({ indexers: { [NAMESPACE_INDEX]: metaNamespaceIndexFunc, byNode } });
    indexer.add(pod('a', 'p1', {}, 'n1'));
    indexer.add(pod('a', 'p2', {}, 'n1'));
    indexer.add(pod('b', 'p1', {}, 'n2'));
    expect(indexer.size).toBe(3);
    expect(indexer.indexKeys('byNode', 'n1').sort()).toEqual(['a/p1', 'a/p2']);
    expect(indexer.byIndex(NAMESPACE_INDEX, 'b').map(metaNamespaceKeyFunc)).toEqual(['b/p1']);

    indexer.update(pod('a', 'p2', {}, 'n2', '2'));
    expect(indexer.indexKeys('byNode', 'n1')).toEqual(['a/p1']);
    expect(indexer.indexKeys('byNode', 'n2').sort()).toEqual(['a/p2', 'b/p1']);
    expect(indexer.index('byNode', pod('x', 'y', {}, 'n2')).map(metaNamespaceKeyFunc).sort()).toEqual(['a/p2', 'b/p1']);
    expect(indexer.getByKey('a/p2')?.metadata?.resourceVersion).toBe('2');

    indexer.delete(pod('a', 'p1'));
    expect(indexer.listIndexFuncValues('byNode')).toEqual(['n2']);
    indexer.delete(new DeletedFinalStateUnknown('a/p2', pod('a', 'p2')));
    expect(indexer.listKeys()).toEqual(['b/p1']);

    indexer.replace([pod('c', 'p9', {}, 'n3')]);
    expect(indexer.listKeys()).toEqual(['c/p9']);
    expect(indexer.listIndexFuncValues('byNode')).toEqual(['n3']);
    expect(indexer.listIndexFuncValues(NAMESPACE_INDEX)).toEqual(['c']);
  });

  it('indexes cached objects when an index is added later, and refuses unknown or duplicate indexes', () => {
    const indexer = new Indexer<Pod>();
    indexer.add(pod('a', 'p1', {}, 'n1'));
    indexer.addIndexers({ byNode });
    expect(indexer.byIndex('byNode', 'n1')).toHaveLength(1);
    expect(() => indexer.addIndexers({ byNode })).toThrow('indexer conflict: an index named "byNode" already exists');
    expect(() => indexer.byIndex('nope', 'x')).toThrow('index "nope" does not exist (known: byNode)');
  });

  it('deep-freezes stored objects when asked, so mutation throws', () => {
    const indexer = new Indexer<Pod>({ freezeObjects: true });
    indexer.add(pod('a', 'p1', { app: 'web' }));
    const cached = indexer.getByKey('a/p1')!;
    expect(() => {
      cached.metadata!.labels!.app = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(cached.spec)).toBe(true);
  });
});

describe('Lister', () => {
  const indexer = new Indexer<Pod>({ indexers: { [NAMESPACE_INDEX]: metaNamespaceIndexFunc } });
  indexer.add(pod('a', 'web-1', { app: 'web', tier: 'frontend' }));
  indexer.add(pod('a', 'db-1', { app: 'db' }));
  indexer.add(pod('b', 'web-1', { app: 'web' }));
  indexer.add({ metadata: { name: 'node-1', labels: { zone: 'z1' } } });
  const lister = new Lister(indexer);

  it('lists by namespace and selector, in any selector form', () => {
    const names = (objects: Pod[]) => objects.map(metaNamespaceKeyFunc).sort();
    expect(names(lister.list('app=web'))).toEqual(['a/web-1', 'b/web-1']);
    expect(names(lister.byNamespace('a').list())).toEqual(['a/db-1', 'a/web-1']);
    expect(names(lister.byNamespace('a').list('app in (web,db),!tier'))).toEqual(['a/db-1']);
    expect(names(lister.byNamespace('a').list({ matchLabels: { app: 'web' } }))).toEqual(['a/web-1']);
    expect(names(lister.list('zone'))).toEqual(['node-1']);
    expect(lister.byNamespace('a').get('web-1')).toBe(indexer.getByKey('a/web-1'));
    expect(lister.get('node-1')?.metadata?.labels).toEqual({ zone: 'z1' });
    expect(lister.byNamespace('c').get('web-1')).toBeUndefined();
  });

  it('returns the cached objects themselves, not copies', () => {
    expect(lister.byNamespace('b').list()[0]).toBe(indexer.getByKey('b/web-1'));
  });

  it('filters by namespace without a namespace index too', () => {
    const plain = new Indexer<Pod>();
    plain.add(pod('a', 'x'));
    plain.add(pod('b', 'y'));
    expect(new Lister(plain).byNamespace('b').list().map(metaNamespaceKeyFunc)).toEqual(['b/y']);
  });
});
