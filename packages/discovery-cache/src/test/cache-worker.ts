/*
 * One of the processes of the concurrency test: fills a shared discovery cache folder, invalidates
 * and fills it again, `rounds` times, checking every answer it gets. Run with
 * `node --conditions=@kgo/source cache-worker.ts <connection.json> <folder> <rounds>`; exits 0 when
 * every answer was complete, 1 (with the reason on stderr) otherwise. With KGO_CACHE_WORKER_REPORT=1
 * it sends its parent (IPC) one message per operation done, so a parent that kills it knows how far
 * it got.
 */
import { readFileSync } from 'node:fs';
import { DiscoveryClient } from '@kgo/discovery';
import type { RestConfig } from '@kgo/rest';
import { DiskCacheClient } from '../disk-cache-client.ts';
import { MemoryCacheClient } from '../memory-cache-client.ts';

const [connectionFile, directory, roundsArg] = process.argv.slice(2);
if (!connectionFile || !directory || !roundsArg) {
  console.error('usage: cache-worker.ts <connection.json> <folder> <rounds>');
  process.exit(2);
}
const connection = JSON.parse(readFileSync(connectionFile, 'utf8')) as { server: string; caCert: string; cert: string; key: string };
const config: RestConfig = { host: connection.server, tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key }, qps: -1 };

function check(what: string, result: { groups: { name: string }[]; resources: { groupVersion: string; resources: { name: string }[] }[] }): void {
  const apps = result.resources.find((list) => list.groupVersion === 'apps/v1');
  if (!apps?.resources.some((r) => r.name === 'deployments')) throw new Error(`${what}: apps/v1 deployments missing`);
  if (result.groups[0]?.name !== '' || result.resources.length < 10) throw new Error(`${what}: incomplete (${result.resources.length} lists)`);
}

const report = process.env.KGO_CACHE_WORKER_REPORT === '1' && process.send ? () => process.send?.('op') : () => {};

try {
  for (let round = 0; round < Number(roundsArg); round++) {
    const client = new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(config)), { directory });
    check(`round ${round}, first read`, await client.serverGroupsAndResources());
    report();
    client.invalidate();
    check(`round ${round}, after invalidate`, await client.serverGroupsAndResources());
    report();
    check(`round ${round}, preferred`, { groups: [{ name: '' }], resources: await client.serverPreferredResources() });
    report();
  }
  process.exit(0);
} catch (error) {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
}
