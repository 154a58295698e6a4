import type { Watch } from '@kgo/rest';
import type { BenchWatch, ConfigMap, WatchListener } from './types.ts';

/** Drains a kgo `Watch` (rest, typed and dynamic all return one) into `listener`. */
export function drainKgoWatch(watch: Watch<ConfigMap>, listener: WatchListener): BenchWatch {
  const done = (async () => {
    for await (const event of watch) listener(event.type, event.object as ConfigMap);
  })();
  return { done, stop: () => watch.stop() };
}
