/**
 * One fresh process of the discovery-cache benchmark: times the first `serverGroupsAndResources()`
 * on a warm disk cache (modules already loaded) and prints `{"firstCallMs": …, "firstCallCpuMs": …}`.
 *
 *   node --conditions=@kgo/source src/discovery-cache-worker.ts <connection.json> <discovery folder>
 */
import { readFileSync } from 'node:fs';
import { DiscoveryClient } from '@kgo/discovery';
import { DiskCacheClient, MemoryCacheClient } from '@kgo/discovery-cache';
import type { BenchConnection } from './cluster.ts';

const [connectionFile, directory] = process.argv.slice(2);
if (!connectionFile || !directory) throw new Error('usage: discovery-cache-worker.ts <connection.json> <discovery folder>');
const { server, caCert, cert, key } = JSON.parse(readFileSync(connectionFile, 'utf8')) as BenchConnection;
const client = new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient({ host: server, tls: { caData: caCert, certData: cert, keyData: key } })), { directory });
const cpuBefore = process.cpuUsage();
const started = performance.now();
await client.serverGroupsAndResources();
const firstCallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ firstCallMs, firstCallCpuMs: (cpu.user + cpu.system) / 1000 }));
