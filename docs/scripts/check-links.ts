/**
 * Checks every link of the built site (docs/dist) with linkinator: it serves the folder on loopback, crawls from the
 * home page through every page, and checks each internal link, asset and `#fragment` (the anchor must exist in the
 * target page's HTML). Links to other hosts are not fetched — this machine reaches no network but the package
 * registries — and are counted and listed by host instead.
 *
 * Usage: node scripts/check-links.ts   (`pnpm docs:links`, after `pnpm docs:build`)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, LinkState } from 'linkinator';
import { isExternal } from './external-link.ts';

const site = fileURLToPath(new URL('../dist', import.meta.url));
if (!existsSync(site)) {
  console.error('check-links: docs/dist is missing; run `pnpm docs:build` first.');
  process.exit(2);
}

const external = new Map<string, number>();
const started = performance.now();
const result = await check({
  path: site,
  recurse: true,
  checkFragments: true,
  concurrency: 20,
  linksToSkip: async (link) => {
    const host = isExternal(link);
    if (host !== undefined) external.set(host, (external.get(host) ?? 0) + 1);
    return host !== undefined;
  },
});

const broken = result.links.filter((link) => link.state === LinkState.BROKEN);
for (const link of broken) {
  const why = link.failureDetails?.map((detail) => (detail instanceof Error ? detail.message : JSON.stringify(detail))).join('; ');
  console.error(`broken: ${link.url} (status ${link.status ?? '-'}) on ${link.parent ?? 'the start page'}${why ? `: ${why}` : ''}`);
}
// linkinator reports each URL once (fragments are checked for every link, but not listed): count what was checked.
const htmlFiles = readdirSync(site, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html'));
let internalLinks = 0;
let fragments = 0;
for (const file of htmlFiles) {
  for (const [, href] of readFileSync(join(site, file), 'utf8').matchAll(/<a [^>]*href="([^"]*)"/g)) {
    if (href === undefined || isExternal(new URL(href, 'http://localhost/').href) !== undefined || /^[a-z]+:/i.test(href)) continue;
    internalLinks++;
    if (href.includes('#')) fragments++;
  }
}
const checked = result.links.filter((link) => link.state === LinkState.OK).length;
const pages = htmlFiles.length;
const hosts = [...external].sort(([a], [b]) => a.localeCompare(b)).map(([host, count]) => `${host} (${count})`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `check-links: ${pages} pages, ${internalLinks} internal links (${fragments} to #anchors), ${checked} distinct pages and assets: ${broken.length} broken (${seconds} s).`,
);
if (hosts.length > 0) console.log(`not fetched (external, no network here): ${hosts.join(', ')}`);
if (broken.length > 0 || checked === 0) process.exitCode = 1;
