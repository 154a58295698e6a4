/**
 * The way the informer benchmark makes kgo's informer — `new SharedIndexInformer(clientSet.coreV1().configMaps(ns))`,
 * as @kgo/informer's docs promise a user can — must type-check and work. This package is the one
 * that depends on both @kgo/typed and @kgo/informer (neither may depend on the other). It once did
 * not compile: @kgo/rest's ManagedFieldsEntry typed `operation` as 'Apply' | 'Update' while the
 * generated ObjectMeta has a string, so no typed client was a ListerWatcher.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { type ListerWatcher, SharedIndexInformer } from '@kgo/informer';
import { HttpClient } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import type { ConfigMap } from '@kgo/typed/core/v1';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';

const cluster = testCluster();
const http = new HttpClient(restConfigFor(cluster));
const clientSet = createClientSet(http, { coreV1 });
const namespace = uniqueNamespace('kgo-bench-typed-informer');

afterAll(async () => {
  await clientSet.coreV1().namespaces().delete(namespace).catch(() => {});
  await http.close();
});

describe('a typed client as the ListerWatcher of a SharedIndexInformer', () => {
  it('is one as it is, with no cast', () => {
    expectTypeOf(clientSet.coreV1().configMaps(namespace)).toExtend<ListerWatcher<ConfigMap>>();
  });

  it('syncs the namespace\'s ConfigMaps and delivers an update', async () => {
    await clientSet.coreV1().namespaces().create({ metadata: { name: namespace } });
    await clientSet.coreV1().configMaps(namespace).create({ metadata: { name: 'one' }, data: { v: '1' } });
    const informer = new SharedIndexInformer(clientSet.coreV1().configMaps(namespace));
    const updated = new Promise<ConfigMap>((resolve) => {
      informer.addEventHandler({ onUpdate: (_old, cm) => resolve(cm) });
    });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    try {
      expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
      expect(informer.lister().byNamespace(namespace).get('one')?.data).toEqual({ v: '1' });
      await clientSet.coreV1().configMaps(namespace).update({ metadata: { name: 'one' }, data: { v: '2' } });
      expect((await updated).data).toEqual({ v: '2' });
    } finally {
      stop.abort();
      await running;
    }
  });
});
