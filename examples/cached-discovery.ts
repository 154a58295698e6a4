// The cached discovery walkthrough: discovery through kubectl's disk cache. The first run fills
// ./cache/discovery and ./cache/http; later runs (this one's second, and any run within the hour)
// are answered from the files, with no request at all.
//
// client-go:
//   dc, _ := disk.NewCachedDiscoveryClientForConfig(config, "./cache/discovery", "./cache/http", time.Hour)
//   groups, lists, _ := dc.ServerGroupsAndResources()
//
// Run: node cached-discovery.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/discovery @kgo/discovery-cache; uses KUBECONFIG or ~/.kube/config)
import { discoveryCacheDir, httpCacheDir, newCachedDiscoveryClientForConfig } from '@kgo/discovery-cache';
import { loadConfig } from '@kgo/kubeconfig';
import type { RateLimiter } from '@kgo/rest';

const { config } = await loadConfig();

// Count what goes on the wire: every request (and retry) takes a token from the rate limiter first.
// (This limiter also replaces the default QPS limit, which a handful of discovery requests never reach.)
let requests = 0;
const countingLimiter: RateLimiter = { acquire: async () => void requests++ };

// kubectl's layout under ./cache: one discovery folder per server (./cache/discovery/<host_port>), so
// two clusters never share one; the HTTP cache beside it.
const discoveryDir = discoveryCacheDir(config.host, './cache');
const httpDir = httpCacheDir('./cache');

for (const run of [1, 2]) {
  requests = 0;
  const started = performance.now();
  // A new client each time, as a new process would make: only the files carry over.
  const discovery = newCachedDiscoveryClientForConfig({ ...config, rateLimiter: countingLimiter }, { discoveryDir, httpCacheDir: httpDir, ttlMs: 60 * 60 * 1000 });
  const { groups, resources } = await discovery.serverGroupsAndResources();
  const ms = Math.round(performance.now() - started);
  console.log(`run ${run}: ${requests} requests, ${groups.length} groups, ${resources.length} group-versions, ${ms} ms (${discoveryDir}, ${httpDir})`);
}
